import ChatProtocol
import ChatTestSupport
import Foundation
import Testing

@testable import ChatClientCore

/// A front end fed like a pipe: its lines, then end of input at once.
final class PipedFrontEnd: FrontEnd {
    private let script: Locked<[String]>
    private let shown = Locked<[String]>([])

    init(_ script: [String]) {
        self.script = Locked(script.reversed())
    }

    var lines: [String] { shown.withLock { $0 } }

    func start() throws {}
    func stop() {}
    func update(_ status: SessionStatus) {}
    func show(_ line: DisplayLine) { shown.withLock { $0.append(line.text) } }
    func connectionClosed() {}
    func readLine(prompt: String) -> String? { script.withLock { $0.popLast() } }
}

/// Issue 10's defects, each found before it was fixed.
@Suite(.timeLimit(.minutes(2))) struct DefectTests {
    /// Piped input loses its tail when the client closes with unread input (a reset).
    @Test func tenThousandPipedLinesAreAllRelayedInOrder() throws {
        let server = try TestServer { $0.rate = 0 }
        defer { server.stop() }
        let leslie = try RawClient.joined("leslie", port: server.port)
        let count = 10_000
        let pat = PipedFrontEnd((1...count).map { "line \($0)" })
        let outcome = ChatSession(nick: "pat", host: "127.0.0.1", port: server.port).run(frontEnd: pat)
        #expect(outcome == .quit)
        let packets = try leslie.receive(
            through: { if case .leave("pat", _, _) = $0 { true } else { false } }, within: .seconds(60))
        let relayed = packets.compactMap { if case .chat("pat", let message, _) = $0 { message } else { nil } }
        #expect(relayed.count == count)
        #expect(relayed.elementsEqual((1...count).lazy.map { "line \($0)" }))
    }

    /// At the server's rate limit the echoes take longer than the close wait: the client waits while they flow.
    @Test func aRateLimitedServerStillGetsEveryPipedLine() throws {
        let server = try TestServer {
            $0.rate = 500
            $0.burst = 50
        }
        defer { server.stop() }
        let leslie = try RawClient.joined("leslie", port: server.port)
        let count = 1_500
        let pat = PipedFrontEnd((1...count).map { "line \($0)" })
        #expect(ChatSession(nick: "pat", host: "127.0.0.1", port: server.port).run(frontEnd: pat) == .quit)
        let packets = try leslie.receive(
            through: { if case .leave("pat", _, _) = $0 { true } else { false } }, within: .seconds(30))
        let relayed = packets.compactMap { if case .chat("pat", let message, _) = $0 { message } else { nil } }
        #expect(relayed.elementsEqual((1...count).lazy.map { "line \($0)" }))
    }

    /// A server that sends a packet before the join: it is shown at once and input is not blocked.
    @Test func aPacketBeforeTheJoinIsShownAtOnceAndInputFlows() throws {
        let received = Recorder<ClientPacket>()
        let server = try ScriptedServer([
            { peer in
                let hello = try peer.hello()
                try peer.send(.info(message: "banner"))
                guard let typed = try peer.receive(timeout: .seconds(3)) else { return }
                received.append(typed)
                try peer.send(json: #"{"type":"join","nick":"\#(hello.nick)"}"#)
                try peer.send(.chat(nick: "pat", message: "early"))
                received.append(contentsOf: peer.receiveUntilClosed())
            }
        ])
        let pat = ScriptedFrontEnd(["early", "/q"], waitingFor: ["early": "*** banner", "/q": "pat: early"])
        let outcome = ChatSession(nick: "pat", host: "127.0.0.1", port: server.port).run(frontEnd: pat)
        server.wait()
        #expect(outcome == .quit)
        #expect(pat.lines.prefix(3) == ["*** banner", "*** pat has joined the chat", "pat: early"])
        #expect(received.all.first == .chat(message: "early"))
    }

    /// A server that never echoes the join: what it sends is shown and `/q` still quits.
    @Test func aServerThatNeverJoinsStillShowsAndQuits() throws {
        let server = try ScriptedServer([
            { peer in
                _ = try peer.hello()
                try peer.send(.info(message: "no join for you"))
                _ = peer.receiveUntilClosed(timeout: .seconds(3))
            }
        ])
        let pat = ScriptedFrontEnd(["/q"], waitingFor: ["/q": "no join for you"])
        let outcome = ChatSession(nick: "pat", host: "127.0.0.1", port: server.port).run(frontEnd: pat)
        server.wait()
        #expect(outcome == .quit)
        #expect(pat.lines.contains("*** no join for you"))
    }

    /// A malformed packet of a known type, or a payload that is not JSON, is skipped with a notice.
    @Test func malformedPacketsAreSkippedWithANotice() throws {
        let server = try ScriptedServer([
            { peer in
                let hello = try peer.hello()
                try peer.send(json: #"{"type":"join","nick":"\#(hello.nick)"}"#)
                try peer.send(json: #"{"type":"chat","nick":"x","message":42}"#)
                try peer.send(json: #"{"type":"dm","nick":"x","too":"pat","message":"hi"}"#)
                try peer.socket.sendAll([0, 5, 0xFF, 0xFE, 0x00, 0x1B, 0x5B])
                try peer.send(json: #"{"type":"chat","nick":"x","message":"still here"}"#)
                _ = peer.receiveUntilClosed()
            }
        ])
        let pat = ScriptedFrontEnd(["/q"], waitingFor: ["/q": "x: still here"])
        let outcome = ChatSession(nick: "pat", host: "127.0.0.1", port: server.port).run(frontEnd: pat)
        server.wait()
        #expect(outcome == .quit)
        let skipped = pat.lines.filter { $0.hasPrefix("*** skipped a malformed packet from the server (") }
        #expect(skipped.count == 3)
        #expect(pat.lines.contains("x: still here"))
    }

    /// A base server (no welcome) gets base packets only; `/who` is refused locally.
    @Test func aBaseServerIsSentNoExtensionPackets() throws {
        let received = Recorder<ClientPacket>()
        let server = try ScriptedServer([
            { peer in
                let hello = try peer.hello()
                try peer.send(json: #"{"type":"join","nick":"\#(hello.nick)"}"#)
                received.append(contentsOf: peer.receiveUntilClosed())
            }
        ])
        let script = ["/who", "/rooms", "/join games", "/msg leslie hi", "/me waves", "plain words", "/q"]
        let pat = ScriptedFrontEnd(script, waitingFor: ["/who": "has joined"])
        let outcome = ChatSession(nick: "pat", host: "127.0.0.1", port: server.port).run(frontEnd: pat)
        server.wait()
        #expect(outcome == .quit)
        #expect(received.all == [.chat(message: "plain words")])
        #expect(pat.lines.contains("*** this server does not support /who"))
        #expect(pat.lines.contains("*** this server does not support /msg"))
    }

    /// `/leave` in the lobby and `/join` of the room you are in say so and send nothing.
    @Test func pointlessRoomMovesStayLocal() throws {
        let received = Recorder<ClientPacket>()
        let server = try ScriptedServer([
            { peer in
                let hello = try peer.hello()
                try peer.welcome(hello.nick, features: Features.all.union(.session))
                try peer.send(.join(nick: hello.nick, room: "lobby"))
                received.append(contentsOf: peer.receiveUntilClosed())
            }
        ])
        let pat = ScriptedFrontEnd(["/leave", "/join LOBBY", "/who", "/q"], waitingFor: ["/leave": "has joined"])
        let outcome = ChatSession(nick: "pat", host: "127.0.0.1", port: server.port).run(frontEnd: pat)
        server.wait()
        #expect(outcome == .quit)
        // The first who is the client's own, on entering the lobby (for the roster); the second is /who.
        #expect(received.all == [.who, .who, .quit])
        #expect(pat.lines.contains("*** you are already in the lobby"))
        #expect(pat.lines.contains("*** you are already in lobby"))
    }

    /// Each refusal of a hello ends the run as a rejection, even after another packet came first.
    @Test(arguments: [ErrorCode.badNick, .nickInUse, .badPassword, .serverFull, .timeout])
    func anErrorBeforeAcceptanceIsARejection(_ code: ErrorCode) throws {
        let server = try ScriptedServer([
            { peer in
                _ = try peer.hello()
                try peer.send(.info(message: "banner"))
                try peer.send(.error(code: code, message: "no: \(code)"))
            }
        ])
        let pat = ScriptedFrontEnd([])
        let outcome = ChatSession(nick: "pat", host: "127.0.0.1", port: server.port).run(frontEnd: pat)
        server.wait()
        #expect(outcome == .rejected("no: \(code)"))
        #expect(pat.lines == ["*** banner", "*** error: no: \(code)"])
    }
}
