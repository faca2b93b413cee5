import ChatProtocol
import ChatTestSupport
import Testing

@testable import ChatServerCore

/// A server with a password: `hello` must carry it, or `bad_password` and the connection closes.
@Suite struct PasswordTests {
    static let time = HubTime(instant: .now, epochMilliseconds: 0)
    static let pat = ClientID(slot: 5)

    static func hello(_ hub: inout ChatHub, password: String?) throws -> [HubAction] {
        var actions: [HubAction] = []
        let frame = try PacketEncoder.frame(.hello(nick: "pat", features: [], options: .init(password: password)))
        hub.handle(.received(pat, frame[2...]), at: time, into: &actions)
        return actions
    }

    static func protectedHub() -> ChatHub {
        var configuration = ServerConfiguration(port: 0)
        configuration.password = "correct horse"
        return ChatHub(configuration: configuration)
    }

    @Test(arguments: [nil, "", "correct hors", "correct horse ", "Correct horse"])
    func aMissingOrWrongPasswordIsRefusedAndClosed(_ password: String?) throws {
        var hub = Self.protectedHub()
        let actions = try Self.hello(&hub, password: password)
        let packets = try ChatHubTests.packets(to: Self.pat, features: [], in: actions)
        guard case .error(.badPassword, let reason)? = packets.first, packets.count == 1 else {
            Issue.record("expected bad_password alone, got \(packets)")
            return
        }
        #expect(reason == (password == nil ? "this server needs a password" : "wrong password"))
        #expect(ChatHubTests.closes(Self.pat, actions))
        #expect(!hub.isJoined(Self.pat))
    }

    @Test func theRightPasswordJoins() throws {
        var hub = Self.protectedHub()
        let packets = try ChatHubTests.packets(
            to: Self.pat, features: [], in: Self.hello(&hub, password: "correct horse"))
        #expect(packets == [.join(nick: "pat", room: "lobby")])
    }

    @Test func aPasswordIsCheckedBeforeTheNick() throws {
        var hub = Self.protectedHub()
        var actions: [HubAction] = []
        let frame = try PacketEncoder.frame(.hello(nick: "bad nick", features: []))
        hub.handle(.received(Self.pat, frame[2...]), at: Self.time, into: &actions)
        let packets = try ChatHubTests.packets(to: Self.pat, features: [], in: actions)
        #expect(packets.first.map { if case .error(.badPassword, _) = $0 { true } else { false } } == true)
    }

    @Test func aServerWithoutPasswordIgnoresTheField() throws {
        var hub = ChatHub()
        let packets = try ChatHubTests.packets(to: Self.pat, features: [], in: Self.hello(&hub, password: "anything"))
        #expect(packets == [.join(nick: "pat", room: "lobby")])
    }

    @Test func theComparisonIsExact() {
        #expect(ChatHub.constantTimeEqual("abc", "abc"))
        #expect(ChatHub.constantTimeEqual("", ""))
        #expect(!ChatHub.constantTimeEqual("abc", "abd"))
        #expect(!ChatHub.constantTimeEqual("abc", "abc\u{0}"))
        #expect(!ChatHub.constantTimeEqual("abc", "ab"))
        #expect(!ChatHub.constantTimeEqual("", "a"))
    }

    @Test(.timeLimit(.minutes(1))) func overASocketTheRefusalIsSentThenTheConnectionCloses() throws {
        let server = try TestServer { $0.password = "correct horse" }
        defer { server.stop() }
        let refused = try RawClient(port: server.port, name: "refused")
        try refused.send(.hello(nick: "pat", features: [], options: .init(password: "guess")))
        let packets = try refused.waitForClose()
        #expect(packets == [.error(code: .badPassword, message: "wrong password")])
        let admitted = try RawClient(port: server.port, name: "admitted")
        try admitted.send(.hello(nick: "pat", features: [], options: .init(password: "correct horse")))
        #expect(try admitted.receive() == .join(nick: "pat", room: "lobby"))
    }
}
