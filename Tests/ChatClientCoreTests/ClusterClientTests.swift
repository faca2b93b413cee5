import ChatProcess
import ChatProtocol
import ChatTestSupport
import Foundation
import Testing

@testable import ChatClientCore

#if canImport(Glibc)
    import Glibc
#endif

/// Our client given every node of a real cluster (`--also`): when its node is killed it resumes the session on
/// the next one, and shows what it missed, DMs included, with nobody seeing it leave or join.
@Suite(.timeLimit(.minutes(1))) struct ClusterClientTests {
    @Test func whenItsNodeIsKilledTheClientResumesOnAnotherWithNothingLost() throws {
        let cluster = try ClusterHarness(nodes: 2, arguments: ["--lease", "5"])
        defer { cluster.finish() }
        let leslie = try RawClient(port: cluster.ports[1], name: "leslie")
        try leslie.send(.hello(nick: "leslie", features: [.dm]))
        _ = try leslie.receive(through: { $0 == .join(nick: "leslie", room: "lobby") })
        let pat = ScriptedFrontEnd(["/q"], waitingFor: ["/q": "leslie: are you back?"])
        let session = ChatSession(
            nick: "pat", host: "127.0.0.1", port: cluster.ports[0], timing: ServerFailoverTests.fast,
            alsoServers: [ServerAddress(host: "127.0.0.1", port: cluster.ports[1])])
        let running = SessionThread(session, frontEnd: pat)
        _ = try leslie.receive(through: { $0 == .join(nick: "pat", room: "lobby") })
        pat.waitUntilShown("*** pat has joined the chat")
        // Something stamped first: a client that has seen no id resumes without `after`, and gets the backfill
        // (no DMs), as from one server.
        try leslie.send(.chat(message: "hi pat"))
        pat.waitUntilShown("leslie: hi pat")
        cluster.killNode(0)
        try leslie.send(.chat(message: "while you were away"))
        try leslie.send(.dm(to: "pat", message: "ping me when back"))
        _ = try leslie.receive(through: { if case .dm = $0 { true } else { false } })
        pat.waitUntilShown("--- reconnected: 2 messages you missed ---", timeout: .seconds(20))
        try leslie.send(.chat(message: "are you back?"))
        #expect(running.outcome() == .quit)
        #expect(pat.lines.contains("leslie: while you were away"))
        #expect(pat.lines.contains("leslie -> pat: ping me when back"))
        #expect(session.currentServer.port == cluster.ports[1])
        // The move was silent for the others: pat's quit is the first thing leslie hears of it.
        let heard = try leslie.receive(through: { if case .leave = $0 { true } else { false } })
        #expect(!heard.contains { if case .join("pat", _) = $0 { true } else { false } })
        #expect(heard.last == .leave(nick: "pat", room: "lobby"))
        leslie.close()
    }
}
