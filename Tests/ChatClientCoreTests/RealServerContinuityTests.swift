import ChatProtocol
import ChatTestSupport
import Foundation
import Testing

@testable import ChatClientCore

/// The client against the real server (in process), through a proxy that cuts connections.
@Suite(.timeLimit(.minutes(1))) struct RealServerContinuityTests {
    static let fast = LinkStateMachine.Timing.forTests()

    @Test func aCutIsResumedWithNothingLostNothingTwiceAndNoLeaveSeen() throws {
        let server = try TestServer()
        defer { server.stop() }
        let proxy = try CuttingProxy(to: server.port)
        defer { proxy.stop() }
        let leslie = try RawClient.joined("leslie", port: server.port)
        let pat = ScriptedFrontEnd(["/q"], waitingFor: ["/q": "leslie: three"])
        let session = ChatSession(nick: "pat", host: "127.0.0.1", port: proxy.port, timing: Self.fast)
        let running = SessionThread(session, frontEnd: pat)
        pat.waitUntilShown("*** pat has joined the chat")
        try leslie.send(.chat(message: "one"))
        pat.waitUntilShown("leslie: one")
        proxy.cutAll()
        try leslie.send(.chat(message: "two"))
        try leslie.send(.chat(message: "three"))
        #expect(running.outcome() == .quit)
        let lines = pat.lines
        for message in ["one", "two", "three"] {
            #expect(lines.filter { $0 == "leslie: \(message)" }.count == 1)
        }
        #expect(lines.contains("--- reconnected: 2 messages you missed ---"))
        #expect(lines.filter { $0 == "*** pat has joined the chat" }.count == 1)
        #expect(proxy.acceptedCount == 2)
        // Leslie saw pat join once and leave once, at the `/q`: the resume was invisible to her.
        let seen = try leslie.receive(through: { if case .leave("pat", _, _) = $0 { true } else { false } })
        #expect(seen.filter { if case .join("pat", _) = $0 { true } else { false } }.count == 1)
        #expect(seen.filter { if case .leave("pat", _, _) = $0 { true } else { false } }.count == 1)
    }
}
