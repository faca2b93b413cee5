import ChatProcess
import ChatProtocol
import ChatTestSupport
import Foundation
import Testing

@testable import ChatClientCore

#if canImport(Glibc)
    import Glibc
#endif

/// A client given several addresses (`--also`): two real, separate `chat-server` processes. They share nothing,
/// so the session on the second is a fresh one; in a cluster the same path resumes it.
@Suite(.timeLimit(.minutes(1))) struct ServerFailoverTests {
    static let fast = LinkStateMachine.Timing(
        handshakeTimeout: 5_000, idleBeforePing: 30_000, pingTimeout: 30_000,
        backoff: Backoff(initial: 200, maximum: 200, jitter: 0), maxAttempts: 5)

    @Test func whenItsServerIsKilledTheClientMovesOnToTheNext() throws {
        let first = try ServerProcess()
        let second = try ServerProcess()
        defer { second.finish() }
        let leslie = try RawClient.joined("leslie", port: second.port)
        let pat = ScriptedFrontEnd(["/q"], waitingFor: ["/q": "leslie: you made it"])
        let session = ChatSession(
            nick: "pat", host: "127.0.0.1", port: first.port, timing: Self.fast,
            alsoServers: [ServerAddress(host: "127.0.0.1", port: second.port)])
        let running = SessionThread(session, frontEnd: pat)
        pat.waitUntilShown("*** pat has joined the chat")
        first.signal(SIGKILL)
        #expect(first.waitForExit(within: .seconds(10)) == .signaled(SIGKILL))
        // The next address, at the first reconnect attempt: pat joins there, with its old resume token unknown.
        _ = try leslie.receive(through: { $0 == .join(nick: "pat", room: "lobby") })
        try leslie.send(.chat(message: "you made it"))
        #expect(running.outcome() == .quit)
        #expect(pat.lines.contains("leslie: you made it"))
        #expect(pat.lines.contains { $0.hasPrefix("*** disconnected from server") })
        #expect(session.currentServer == ServerAddress(host: "127.0.0.1", port: second.port))
    }

    @Test func aRefusedFirstAddressIsSkippedAtStart() throws {
        let nobody = try ServerProcess.freePort()
        let server = try ServerProcess()
        defer { server.finish() }
        let pat = ScriptedFrontEnd(["hello", "/q"], waitingFor: ["hello": "*** pat has joined the chat"])
        let session = ChatSession(
            nick: "pat", host: "127.0.0.1", port: nobody, timing: Self.fast,
            alsoServers: [ServerAddress(host: "127.0.0.1", port: server.port)])
        #expect(SessionThread(session, frontEnd: pat).outcome() == .quit)
        #expect(session.currentServer.port == server.port)
    }

    @Test func withNoAddressAnsweringTheRunFailsWithTheLastError() throws {
        let ports = [try ServerProcess.freePort(), try ServerProcess.freePort()]
        let session = ChatSession(
            nick: "pat", host: "127.0.0.1", port: ports[0], timing: Self.fast,
            alsoServers: [ServerAddress(host: "127.0.0.1", port: ports[1])])
        guard case .connectFailed(let reason) = session.run(frontEnd: ScriptedFrontEnd([])) else {
            Issue.record("expected a connect failure")
            return
        }
        #expect(reason.contains("\(ports[1])"))
    }

    @Test(arguments: [
        ("127.0.0.1:7000", ServerAddress(host: "127.0.0.1", port: 7000)),
        ("node-2.example:1", ServerAddress(host: "node-2.example", port: 1)),
        ("[::1]:65535", ServerAddress(host: "::1", port: 65535)),
    ])
    func addressesParse(text: String, expected: ServerAddress) {
        #expect(ServerAddress(parsing: text) == expected)
        #expect(ServerAddress(parsing: expected.description) == expected)
    }

    @Test(arguments: ["", "host", ":7000", "host:", "host:0", "host:65536", "host:x", "::1:7000", "[::1]7000", "h:+1"])
    func badAddressesDoNot(text: String) {
        #expect(ServerAddress(parsing: text) == nil)
    }
}
