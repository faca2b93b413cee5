import ChatProtocol
import ChatTestSupport
import Foundation
import Testing

@testable import ChatServerCore

/// Shutdown over real sockets, in process: what the state machine's grace means for clients on the wire.
@Suite(.timeLimit(.minutes(1))) struct ShutdownTests {
    /// Connects with a small receive buffer and completes `hello` without announcing features.
    static func slowReader(_ nick: String, port: UInt16) throws -> RawClient {
        let client = try RawClient(port: port, receiveBuffer: 4096)
        try client.send(.hello(nick: nick, features: []))
        #expect(try client.receive() == .join(nick: nick, room: "lobby"))
        return client
    }

    @Test func shutdownSendsNoLeaveAndEndsAClientThatDoesNotRead() throws {
        let server = try TestServer { $0.rate = 0 }
        let pat = try RawClient.joined("pat", port: server.port, features: .all)
        let sloth = try Self.slowReader("sloth", port: server.port)
        let deaf = try Self.slowReader("deaf", port: server.port)
        let leslie = try RawClient.joined("leslie", port: server.port)
        // Enough output that neither slow reader's queue can drain while it does not read.
        let text = String(repeating: "x", count: 1_000)
        for _ in 0..<300 { try pat.send(.chat(message: text)) }
        // Three joins, then the 300 echoes.
        _ = try pat.receive(303)
        let stopped = ContinuousClock.now
        server.stopHandle.requestStop()
        #expect(try pat.receive() == .info(message: "server shutting down"))
        // Shutdown has begun: leslie's departure now must not reach anyone as `leave`.
        leslie.close()
        Thread.sleep(forTimeInterval: 0.2)
        let slothSaw = try sloth.waitForClose(within: .seconds(5))
        #expect(slothSaw.count >= 300, "sloth got \(slothSaw.count) packets before the close")
        #expect(!slothSaw.contains { if case .leave = $0 { true } else { false } })
        try pat.waitForClose()
        // deaf never reads: only the 2-second grace ends its connection, and with it the server.
        #expect(server.waitUntilStopped(timeout: .seconds(10)))
        let elapsed = ContinuousClock.now - stopped
        #expect(elapsed >= .milliseconds(1_900), "the server stopped after \(elapsed), before the grace ended")
        withExtendedLifetime(deaf) {}
    }
}
