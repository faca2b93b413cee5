import ChatProcess
import ChatProtocol
import ChatTestSupport
import Foundation
import Testing

@testable import ChatServerCore

/// Three real nodes over a real Redis, clients spread round-robin: one chat (docs/CLUSTER.md).
@Suite(.serialized, .timeLimit(.minutes(2))) struct ClusterTests {
    static let everything = ClusterNodes.everything

    /// Waits for the first packet `matching`, skipping others; throws after the deadline.
    @discardableResult
    static func await(
        _ client: RawClient, within timeout: Duration = RawClient.patience, _ matching: (ServerPacket) -> Bool
    ) throws -> ServerPacket {
        guard let last = try client.receive(through: matching, within: timeout).last else {
            throw ServerProcess.Failure("nothing received")
        }
        return last
    }

    @Test func threeNodesAreOneChat() throws {
        let cluster = try ClusterNodes(count: 3)
        defer { cluster.finish() }
        let pat = try cluster.join("pat", node: 0).client
        let leslie = try cluster.join("leslie", node: 1).client
        let chris = try cluster.join("chris", node: 2, features: []).client
        // Joins on other nodes are seen, as on one server.
        try Self.await(pat) { $0 == .join(nick: "chris", room: "lobby") }
        try Self.await(leslie) { $0 == .join(nick: "chris", room: "lobby") }
        // A chat from node 0 reaches every node with one id; the base client gets the base packet.
        try pat.send(.chat(message: "hello from n0"))
        let seen = try [pat, leslie].map { client in
            try Self.await(client) { if case .chat(_, "hello from n0", _) = $0 { true } else { false } }
        }
        #expect(seen[0] == seen[1] && seen[0].stamp != nil)
        try Self.await(chris) { $0 == .chat(nick: "pat", message: "hello from n0") }
        // Emote, downgraded for chris; a DM across nodes.
        try leslie.send(.emote(message: "waves"))
        try Self.await(chris) { $0 == .chat(nick: "*", message: "leslie waves") }
        try chris.send(.dm(to: "PAT", message: "psst"))
        try Self.await(pat) { if case .dm("chris", "pat", "psst", _) = $0 { true } else { false } }
        try Self.await(chris) { $0 == .chat(nick: "chris -> pat", message: "psst") }
        // who and rooms count every node's members, on every node.
        try leslie.send(.who)
        try Self.await(leslie) { $0 == .who(room: "lobby", nicks: ["chris", "leslie", "pat"]) }
        try leslie.send(.join(room: "Games"))
        try leslie.send(.rooms)
        try Self.await(leslie) { $0 == .rooms([.init(name: "Games", count: 1), .init(name: "lobby", count: 2)]) }
        try Self.await(pat) { $0 == .leave(nick: "leslie", room: "lobby", to: "Games") }
        try pat.send(.rooms)
        try Self.await(pat) { $0 == .rooms([.init(name: "Games", count: 1), .init(name: "lobby", count: 2)]) }
        // A rename is seen across nodes, and the old nick is free while the new one is taken everywhere.
        try pat.send(.nick("patricia"))
        try Self.await(chris) { $0 == .chat(nick: "*", message: "pat is now known as patricia") }
        let taken = try cluster.join("PATRICIA", node: 2)
        #expect(taken.packets.first.map { if case .error(.nickInUse, _) = $0 { true } else { false } } == true)
        taken.client.close()
        let reused = try cluster.join("pat", node: 1, features: [])
        #expect(reused.packets.last == .join(nick: "pat", room: "lobby"))
        // Backfill and `history before` from the replica of another node.
        try leslie.send(.leave)
        let back = try leslie.receive(through: { if case .history = $0 { true } else { false } })
        #expect(
            back.contains { if case .chat("pat", "hello from n0", let stamp?) = $0 { stamp.replay } else { false } })
        try leslie.send(.history(before: seen[0].stamp?.id ?? 0 + 1, limit: 5))
        try Self.await(leslie) { if case .history(let end) = $0 { end.complete == true } else { false } }
        // Error codes as on one server.
        try chris.send(.dm(to: "nobody", message: "x"))
        try Self.await(chris) { if case .error(.noSuchNick, _) = $0 { true } else { false } }
        try chris.send(.join(room: "bad room"))
        try Self.await(chris) { if case .error(.badRoom, _) = $0 { true } else { false } }
        try chris.send(.hello(nick: "again", features: []))
        try Self.await(chris) { if case .error(.alreadyJoined, _) = $0 { true } else { false } }
        // quit: leave everywhere at once.
        try chris.send(.quit)
        try Self.await(pat) { $0 == .leave(nick: "chris", room: "lobby") }
        for client in [pat, leslie, chris, reused.client] { client.close() }
    }

    @Test func aNodeStartedLaterLoadsTheChatAsItIs() throws {
        let cluster = try ClusterNodes(count: 2)
        defer { cluster.finish() }
        // Node 1 is down while the chat goes on, and comes back under its old name.
        cluster.kill(1)
        let pat = try cluster.join("pat", node: 0).client
        let leslie = try cluster.join("leslie", node: 0).client
        try leslie.send(.join(room: "Games"))
        try pat.send(.nick("patricia"))
        var sent: [ServerPacket] = []
        for text in ["one", "two", "three"] {
            try pat.send(.chat(message: text))
            sent.append(try Self.await(pat) { if case .chat(_, text, _) = $0 { true } else { false } })
        }
        try cluster.restart(1)
        let chris = try cluster.join("chris", node: 1)
        // The backfill holds what was said before the node existed, with the same ids and the sender's new nick.
        let backfill = chris.packets.filter { if case .chat = $0 { true } else { false } }
        #expect(backfill.map(\.stamp?.id) == sent.map(\.stamp?.id))
        #expect(backfill.allSatisfy { if case .chat("patricia", _, _) = $0 { true } else { false } })
        try chris.client.send(.who)
        try Self.await(chris.client) { $0 == .who(room: "lobby", nicks: ["chris", "patricia"]) }
        try chris.client.send(.rooms)
        try Self.await(chris.client) {
            $0 == .rooms([.init(name: "Games", count: 1), .init(name: "lobby", count: 2)])
        }
        // And the nicks it did not see claimed are still taken.
        let taken = try cluster.join("LESLIE", node: 1)
        #expect(taken.packets.first.map { if case .error(.nickInUse, _) = $0 { true } else { false } } == true)
        for client in [pat, leslie, chris.client, taken.client] { client.close() }
    }

    @Test func everySenderInOrderExactlyOnceAcrossNodes() throws {
        let cluster = try ClusterNodes(count: 3, arguments: ["--rate", "0"])
        defer { cluster.finish() }
        let senders = 6
        let count = 100
        var clients: [RawClient] = []
        for index in 0..<senders { clients.append(try cluster.join("s\(index)", node: index % 3).client) }
        // Everyone has seen the last join before the load starts.
        for client in clients.dropLast() {
            try Self.await(client) { $0 == .join(nick: "s\(senders - 1)", room: "lobby") }
        }
        for sequence in 0..<count {
            for (index, client) in clients.enumerated() { try client.send(.chat(message: "\(index) \(sequence)")) }
        }
        for client in clients {
            var next = [Int](repeating: 0, count: senders)
            var lastID = 0
            var received = 0
            while received < senders * count {
                guard case .chat(_, let text, let stamp?) = try client.receive() else { continue }
                let parts = text.split(separator: " ").compactMap { Int($0) }
                #expect(parts.count == 2 && next[parts[0]] == parts[1], "out of order or twice: \(text)")
                #expect(stamp.id > lastID, "ids must increase")
                next[parts[0]] = parts[1] + 1
                lastID = stamp.id
                received += 1
            }
            try client.expectNothing(for: .milliseconds(200))
        }
        for client in clients { client.close() }
    }

    /// chat-bench's own checks (every join seen, per-sender order, exactly once, resumes after cuts) with its
    /// clients spread over three nodes. At a fixed rate: in max mode a cut client's gap can outgrow the replay
    /// limit, which the bench counts as loss (on one node too, only later).
    @Test func theBenchsChecksHoldOverThreeNodes() throws {
        let cluster = try ClusterNodes(count: 3, arguments: ["--rate", "0"])
        defer { cluster.finish() }
        let bench = ServerProcess.binaryDirectory.appendingPathComponent("chat-bench").path
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: output) }
        let ports = (0..<3).map { String(cluster.port($0)) }.joined(separator: ",")
        var command = [bench, "--ports", ports, "--clients", "90", "--senders", "9", "--duration", "2"]
        command +=
            ["--mode", "rate", "--rate", "500", "--cuts", "6", "--json-only"] + (TestTransport.isTLS ? ["--tls"] : [])
        let status = try ServerProcess.run(command, errorLog: output.path, within: .seconds(90))
        let log = (try? ServerProcess.readFile(output.path)) ?? ""
        #expect(status == .exited(0), "chat-bench: \(log)")
    }
}
