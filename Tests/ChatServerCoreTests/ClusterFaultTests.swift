import ChatProcess
import ChatProtocol
import ChatTestSupport
import Foundation
import Testing

@testable import ChatServerCore

/// Faults of a real cluster: a node killed, Redis killed and restarted (docs/CLUSTER.md, "Failure behaviour").
@Suite(.serialized, .timeLimit(.minutes(2))) struct ClusterFaultTests {
    static let everything = ClusterNodes.everything

    @discardableResult
    static func await(
        _ client: RawClient, within timeout: Duration = RawClient.patience, _ matching: (ServerPacket) -> Bool
    ) throws -> ServerPacket {
        try ClusterTests.await(client, within: timeout, matching)
    }

    @Test func aKilledNodesClientsResumeElsewhereAndOthersLeaveAfterTheLease() throws {
        let cluster = try ClusterNodes(count: 3, lease: 2)
        defer { cluster.finish() }
        let (pat, patHello) = try cluster.join("pat", node: 0)
        let token = try #require(patHello.compactMap { if case .welcome(let w) = $0 { w.resume } else { nil } }.first)
        let chris = try cluster.join("chris", node: 0, features: []).client
        let leslie = try cluster.join("leslie", node: 1).client
        try pat.send(.chat(message: "before"))
        let before = try Self.await(leslie) { if case .chat(_, "before", _) = $0 { true } else { false } }
        _ = try Self.await(pat) { if case .chat(_, "before", _) = $0 { true } else { false } }
        cluster.kill(0)
        let killedAt = ContinuousClock.now
        try leslie.send(.chat(message: "while n0 is dead"))
        try leslie.send(.dm(to: "pat", message: "are you there?"))
        // Both are in the log before pat comes back (through another node, which could overtake them).
        try Self.await(leslie) { if case .dm(_, _, "are you there?", _) = $0 { true } else { false } }
        // pat comes back on node 2 and resumes: nothing lost, nobody sees it leave or join.
        let resumed = try cluster.join(
            "pat", node: 2, options: .init(after: before.stamp?.id ?? 0, resume: token))
        #expect(resumed.packets.first.map { if case .welcome(let w) = $0 { w.resumed } else { false } } == true)
        let replay = try resumed.client.receive(through: { if case .history = $0 { true } else { false } })
        #expect(replay.contains { if case .chat(_, "while n0 is dead", let s?) = $0 { s.replay } else { false } })
        #expect(replay.contains { if case .dm(_, _, "are you there?", let s?) = $0 { s.replay } else { false } })
        // chris, who does not come back, leaves for the others only once n0's lease has run out.
        let leave = try Self.await(leslie, within: .seconds(15)) { if case .leave = $0 { true } else { false } }
        #expect(leave == .leave(nick: "chris", room: "lobby"))
        #expect(ContinuousClock.now - killedAt >= .seconds(1), "a leave before the lease ran out")
        try resumed.client.send(.chat(message: "back"))
        try Self.await(leslie) { if case .chat("pat", "back", _) = $0 { true } else { false } }
        try leslie.expectNothing(for: .milliseconds(300))
        for client in [pat, chris, leslie, resumed.client] { client.close() }
    }

    /// A node killed in the middle of the talk: its clients resume on another node, send again what the dead
    /// node never relayed, and every client ends with every message exactly once, in each sender's order.
    @Test func aNodeKilledUnderLoadLosesNothing() throws {
        let cluster = try ClusterNodes(count: 3, lease: 5, arguments: ["--rate", "0"])
        defer { cluster.finish() }
        let senders = 6
        // Few enough that a replay from the start (a victim that saw nothing) is not truncated at 200.
        let rounds = 30
        var clients: [RawClient] = []
        var tokens: [String] = []
        var seen = [[ServerPacket]](repeating: [], count: senders)
        for index in 0..<senders {
            let (client, packets) = try cluster.join("c\(index)", node: index % 3)
            clients.append(client)
            let welcome = packets.compactMap { if case .welcome(let w) = $0 { w } else { nil } }.first
            tokens.append(try #require(welcome?.resume))
        }
        for client in clients.dropLast() {
            try Self.await(client) { $0 == .join(nick: "c\(senders - 1)", room: "lobby") }
        }
        let victims = (0..<senders).filter { $0 % 3 == 0 }
        for round in 0..<rounds / 2 {
            for (index, client) in clients.enumerated() { try client.send(.chat(message: "\(index) \(round)")) }
        }
        cluster.kill(0)
        for round in rounds / 2..<rounds {
            for (index, client) in clients.enumerated() where !victims.contains(index) {
                try client.send(.chat(message: "\(index) \(round)"))
            }
        }
        for index in victims {
            seen[index] = try clients[index].waitForClose()
            let lastID = seen[index].compactMap(\.stamp?.id).max() ?? 0
            let back = try cluster.join(
                "c\(index)", node: 1, options: .init(after: lastID, resume: tokens[index]))
            #expect(back.packets.first.map { if case .welcome(let w) = $0 { w.resumed } else { false } } == true)
            clients[index] = back.client
            seen[index] += try back.client.receive(through: { if case .history = $0 { true } else { false } })
            // What the dead node never relayed is sent again, then the rest.
            let relayed = Set(
                seen[index].compactMap { if case .chat("c\(index)", let text, _) = $0 { text } else { nil } })
            for round in 0..<rounds where !relayed.contains("\(index) \(round)") {
                try back.client.send(.chat(message: "\(index) \(round)"))
            }
        }
        for (receiver, client) in clients.enumerated() {
            var ids = Set<Int>()
            var next = [Int](repeating: 0, count: senders)
            var packets = seen[receiver]
            while next.reduce(0, +) < senders * rounds {
                if packets.isEmpty { packets = [try client.receive()] }
                let packet = packets.removeFirst()
                #expect(packet.leaveNick == nil, "\(receiver) saw a leave: \(packet)")
                // The client drops a message it has seen by id (a replay of one that came live).
                guard case .chat(_, let text, let stamp?) = packet, ids.insert(stamp.id).inserted else { continue }
                let parts = text.split(separator: " ").compactMap { Int($0) }
                guard parts.count == 2 else { continue }
                #expect(next[parts[0]] == parts[1], "c\(receiver): \(text) out of order or twice")
                next[parts[0]] = max(next[parts[0]], parts[1] + 1)
            }
        }
        for client in clients { client.close() }
    }

    /// Redis killed while both nodes' clients talk, and started again empty: a notice, hellos refused, what is
    /// sent meanwhile held and delivered once it is back, in order and once; ids go on; nicks stay unique.
    @Test func aRedisRestartUnderLoadPausesTheChatAndItHeals() throws {
        let cluster = try ClusterNodes(count: 2, arguments: ["--rate", "0"])
        defer { cluster.finish() }
        let pat = try cluster.join("pat", node: 0).client
        let leslie = try cluster.join("leslie", node: 1).client
        try Self.await(pat) { $0 == .join(nick: "leslie", room: "lobby") }
        try pat.send(.chat(message: "before"))
        let before = try Self.await(leslie) { if case .chat(_, "before", _) = $0 { true } else { false } }
        // A burst, with Redis killed in its middle: what was on its way to Redis then may be lost (never twice).
        for index in 0..<20 { try pat.send(.chat(message: "p \(index)")) }
        cluster.redis.kill()
        for index in 20..<40 { try pat.send(.chat(message: "p \(index)")) }
        let notice = ServerPacket.info(message: "chat is paused: the cluster's store is unreachable")
        try Self.await(leslie) { $0 == notice }
        // Meanwhile a hello is refused with a clear reason, and chats wait.
        let refused = try cluster.join("chris", node: 1)
        #expect(refused.packets.first.map { if case .error(.serverFull, _) = $0 { true } else { false } } == true)
        try pat.send(.chat(message: "during"))
        try cluster.redis.start()
        let healed = try leslie.receive(through: { if case .chat(_, "during", _) = $0 { true } else { false } })
        #expect(healed.contains(.info(message: "chat resumed")))
        let numbers = healed.compactMap { packet -> Int? in
            guard case .chat(_, let text, _) = packet, text.hasPrefix("p ") else { return nil }
            return Int(text.dropFirst(2))
        }
        #expect(numbers == numbers.sorted() && Set(numbers).count == numbers.count, "\(numbers)")
        #expect(Array(20..<40).allSatisfy(numbers.contains), "held chats lost: \(numbers)")
        let ids = healed.compactMap(\.stamp?.id)
        #expect(ids == ids.sorted() && (ids.first ?? 0) > (before.stamp?.id ?? .max), "ids went back")
        // The nicks are claimed again: never two sessions with one nick.
        let twice = try cluster.join("PAT", node: 1)
        #expect(twice.packets.first.map { if case .error(.nickInUse, _) = $0 { true } else { false } } == true)
        // Full service: a new client, chat both ways.
        let chris = try cluster.join("chris", node: 1).client
        try Self.await(pat) { $0 == .join(nick: "chris", room: "lobby") }
        try chris.send(.chat(message: "after"))
        try Self.await(pat) { if case .chat("chris", "after", _) = $0 { true } else { false } }
        for client in [pat, leslie, chris, refused.client, twice.client] { client.close() }
    }

    /// Redis that hangs (`SIGSTOP`: connects still complete, nothing is answered) pauses the chat like Redis gone,
    /// once a reply is overdue by the lease; when it answers again, full service comes back.
    @Test func aHungRedisPausesTheChatAndItHeals() throws {
        let cluster = try ClusterNodes(count: 2)
        defer { cluster.finish() }
        // Before `finish`, on every exit path: never leave a stopped process behind.
        defer { cluster.redis.resume() }
        let pat = try cluster.join("pat", node: 0).client
        let leslie = try cluster.join("leslie", node: 1).client
        try Self.await(pat) { $0 == .join(nick: "leslie", room: "lobby") }
        cluster.redis.pause()
        let pausedAt = ContinuousClock.now
        let notice = ServerPacket.info(message: "chat is paused: the cluster's store is unreachable")
        try Self.await(pat, within: .seconds(10)) { $0 == notice }
        try Self.await(leslie, within: .seconds(10)) { $0 == notice }
        let refused = try cluster.join("chris", node: 1)
        #expect(refused.packets.first.map { if case .error(.serverFull, _) = $0 { true } else { false } } == true)
        // Two leases: every lease has run out, and the nodes' next attempts (whose connects complete) hang too.
        // The reaps Redis then finds in its buffer must not end anyone's session.
        while ContinuousClock.now < pausedAt + .seconds(5) { usleep(50_000) }
        cluster.redis.resume()
        try Self.await(pat, within: .seconds(10)) { $0 == .info(message: "chat resumed") }
        try Self.await(leslie, within: .seconds(10)) { $0 == .info(message: "chat resumed") }
        try pat.send(.chat(message: "after"))
        try Self.await(leslie, within: .seconds(10)) { if case .chat("pat", "after", _) = $0 { true } else { false } }
        for client in [pat, leslie, refused.client] { client.close() }
    }

    /// While Redis is away a client that keeps talking is held at `ClusterState.holdLimit` packets, the rest
    /// waiting in its socket; all of it goes out, in order, once Redis is back.
    @Test func aLongPauseHoldsAClientBackAndLosesNothing() throws {
        let cluster = try ClusterNodes(count: 2, arguments: ["--rate", "0"])
        defer { cluster.finish() }
        let pat = try cluster.join("pat", node: 0).client
        let leslie = try cluster.join("leslie", node: 1).client
        try Self.await(pat) { $0 == .join(nick: "leslie", room: "lobby") }
        cluster.redis.kill()
        try Self.await(pat) { $0 == .info(message: "chat is paused: the cluster's store is unreachable") }
        let count = ClusterState.holdLimit * 3
        for index in 0..<count { try pat.send(.chat(message: "p \(index)")) }
        try cluster.redis.start()
        var next = 0
        while next < count {
            guard case .chat("pat", let text, _) = try leslie.receive(within: .seconds(20)) else { continue }
            #expect(text == "p \(next)")
            next += 1
        }
        for client in [pat, leslie] { client.close() }
    }
}

extension ServerPacket {
    /// The nick of a `leave`, nil for any other packet.
    fileprivate var leaveNick: String? {
        if case .leave(let nick, _, _) = self { return nick }
        return nil
    }
}
