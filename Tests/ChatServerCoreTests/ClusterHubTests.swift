import ChatProtocol
import Testing

@testable import ChatServerCore

/// The hub's cluster mode without Redis: hubs of several nodes fed one log (docs/CLUSTER.md).
@Suite struct ClusterHubTests {
    static let pat = ClientID(slot: 5)
    static let leslie = ClientID(slot: 6)
    static let chris = ClientID(slot: 7)
    static let everything = Features.all.union(.session)

    /// What `who` and `rooms` answer on `node`, asked by `id`.
    static func view(_ driver: inout ClusterDriver, _ id: ClientID, on node: String) throws -> [ServerPacket] {
        driver.clear()
        try driver.send(.who, from: id, on: node)
        try driver.send(.rooms, from: id, on: node)
        return try driver.packets(to: id, on: node)
    }

    @Test func twoNodesFedTheSameLogAgreeOnEverything() throws {
        var driver = ClusterDriver(nodes: ["a", "b"])
        try driver.hello("pat", Self.pat, on: "a")
        try driver.hello("leslie", Self.leslie, on: "b")
        try driver.hello("chris", Self.chris, on: "b", [])
        driver.clear()
        try driver.send(.chat(message: "hello from a"), from: Self.pat, on: "a")
        // Leslie, on the other node, gets it stamped with the log's id; chris, a base client, plain.
        let seen = try driver.packets(to: Self.leslie, on: "b")
        guard case .chat("pat", "hello from a", let stamp?)? = seen.first else {
            Issue.record("leslie did not get pat's chat: \(seen)")
            return
        }
        #expect(stamp.id == 4)
        #expect(try driver.packets(to: Self.chris, on: "b", []) == [.chat(nick: "pat", message: "hello from a")])
        #expect(try driver.packets(to: Self.pat, on: "a").count == 1)
        try driver.send(.join(room: "Games"), from: Self.leslie, on: "b")
        try driver.send(.nick("lez"), from: Self.leslie, on: "b")
        try driver.send(.emote(message: "waves"), from: Self.leslie, on: "b")
        driver.clear()
        try driver.send(.dm(to: "LEZ", message: "psst"), from: Self.pat, on: "a")
        #expect(
            try driver.packets(to: Self.leslie, on: "b").map { $0.stamp == nil }
                == [false] && driver.packets(to: Self.pat, on: "a").count == 1)
        // Both nodes answer who and rooms alike, counting every node's members.
        let onA = try Self.view(&driver, Self.pat, on: "a")
        #expect(onA.contains(.who(room: "lobby", nicks: ["chris", "pat"])))
        #expect(onA.contains(.rooms([.init(name: "Games", count: 1), .init(name: "lobby", count: 2)])))
        let onB = try Self.view(&driver, Self.chris, on: "b")
        #expect(onB.contains(.who(room: "lobby", nicks: ["chris", "pat"])))
        #expect(onB.contains(.rooms([.init(name: "Games", count: 1), .init(name: "lobby", count: 2)])))
        // And their histories hold the same entries.
        let a = try #require(driver.hubs["a"]).history
        let b = try #require(driver.hubs["b"]).history
        #expect(a.recent(roomKey: "lobby", limit: 10).entries == b.recent(roomKey: "lobby", limit: 10).entries)
        #expect(a.recent(roomKey: "games", limit: 10).entries.map(\.nick) == ["lez"])
        #expect(a.lastID == b.lastID)
    }

    @Test func aNickClaimedOnTwoNodesAtOnceGoesToTheFirstInTheLog() throws {
        var driver = ClusterDriver(nodes: ["a", "b"])
        try driver.hello("pat", Self.pat, on: "a", run: false)
        try driver.hello("PAT", Self.leslie, on: "b", run: false)
        driver.runLog()
        #expect(try Self.welcome(driver.packets(to: Self.pat, on: "a")) != nil)
        let refused = try driver.packets(to: Self.leslie, on: "b")
        #expect(refused.count == 1)
        guard case .error(.nickInUse, _)? = refused.first else {
            Issue.record("no nick_in_use: \(refused)")
            return
        }
        #expect(driver.closes(Self.leslie, on: "b"))
        #expect(driver.hubs["b"]?.isJoined(Self.leslie) == false && driver.hubs["b"]?.sessions.count == 1)
    }

    @Test func packetsSentBeforeTheHelloIsAppliedWaitForIt() throws {
        var driver = ClusterDriver(nodes: ["a", "b"])
        try driver.hello("leslie", Self.leslie, on: "b")
        driver.clear()
        try driver.hello("pat", Self.pat, on: "a", run: false)
        try driver.send(.who, from: Self.pat, on: "a", run: false)
        try driver.send(.chat(message: "first"), from: Self.pat, on: "a", run: false)
        #expect(try driver.packets(to: Self.pat, on: "a").isEmpty)
        driver.runLog()
        let packets = try driver.packets(to: Self.pat, on: "a")
        #expect(Self.welcome(packets) != nil)
        #expect(packets.contains(.who(room: "lobby", nicks: ["leslie", "pat"])))
        #expect(packets.last.map { if case .chat("pat", "first", _) = $0 { true } else { false } } == true)
    }

    @Test func aWhoAfterAMoveInFlightListsTheNewRoom() throws {
        var driver = ClusterDriver(nodes: ["a"])
        try driver.hello("pat", Self.pat, on: "a")
        driver.clear()
        try driver.send(.join(room: "games"), from: Self.pat, on: "a", run: false)
        try driver.send(.who, from: Self.pat, on: "a", run: false)
        #expect(try driver.packets(to: Self.pat, on: "a").isEmpty)
        driver.runLog()
        #expect(try driver.packets(to: Self.pat, on: "a").contains(.who(room: "games", nicks: ["pat"])))
    }

    @Test func aDeadNodesSessionsLeaveWhenReaped() throws {
        var driver = ClusterDriver(nodes: ["a", "b"])
        try driver.hello("pat", Self.pat, on: "a")
        try driver.hello("leslie", Self.leslie, on: "b")
        driver.clear()
        driver.reap("a")
        #expect(try driver.packets(to: Self.leslie, on: "b") == [.leave(nick: "pat", room: "lobby")])
        // The nick is free again.
        try driver.hello("pat", Self.chris, on: "b")
        #expect(try Self.welcome(driver.packets(to: Self.chris, on: "b"))?.nick == "pat")
    }

    @Test func aNodeReapedWhileStillRunningClosesItsClients() throws {
        var driver = ClusterDriver(nodes: ["a", "b"])
        try driver.hello("pat", Self.pat, on: "a")
        try driver.hello("leslie", Self.leslie, on: "b")
        driver.clear()
        // a stalled past its lease: b reaped it, and a applies its own sessions' leaves when it wakes.
        driver.reap("a", stillRunning: true)
        #expect(driver.closes(Self.pat, on: "a") && driver.hubs["a"]?.isJoined(Self.pat) == false)
        #expect(try driver.packets(to: Self.leslie, on: "b") == [.leave(nick: "pat", room: "lobby")])
    }

    @Test func aSessionResumedOnAnotherNodeMovesSilently() throws {
        var driver = ClusterDriver(nodes: ["a", "b"]) { $0.resumeGrace = .seconds(120) }
        try driver.hello("pat", Self.pat, on: "a")
        let token = try #require(Self.welcome(driver.packets(to: Self.pat, on: "a"))?.resume)
        try driver.hello("leslie", Self.leslie, on: "b")
        try driver.send(.dm(to: "pat", message: "are you there?"), from: Self.leslie, on: "b")
        driver.clear()
        let back = ClientID(slot: 9)
        try driver.hello("pat", back, on: "b", Self.everything, .init(after: 2, resume: token))
        let packets = try driver.packets(to: back, on: "b")
        let welcome = try #require(Self.welcome(packets))
        #expect(welcome.resumed && welcome.resume != token)
        #expect(
            packets.contains { if case .dm(_, _, "are you there?", let stamp?) = $0 { stamp.replay } else { false } })
        // The old connection on a is closed without a word; leslie sees nothing.
        #expect(driver.closes(Self.pat, on: "a") && driver.hubs["a"]?.isJoined(Self.pat) == false)
        #expect(try driver.packets(to: Self.leslie, on: "b").isEmpty)
        // a's grace timer, if any, no longer ends a session that is b's now.
        driver.clear()
        driver.event(.graceEnded(SessionID(rawValue: 1)), on: "a")
        #expect(try driver.packets(to: Self.leslie, on: "b").isEmpty)
        // And a reap of a does not touch it.
        driver.reap("a")
        #expect(try driver.packets(to: Self.leslie, on: "b").isEmpty)
        #expect(driver.hubs["b"]?.isJoined(back) == true)
    }

    @Test func quitLeavesEverywhereThenCloses() throws {
        var driver = ClusterDriver(nodes: ["a", "b"])
        try driver.hello("pat", Self.pat, on: "a")
        try driver.hello("leslie", Self.leslie, on: "b")
        driver.clear()
        try driver.send(.quit, from: Self.pat, on: "a")
        #expect(try driver.packets(to: Self.leslie, on: "b") == [.leave(nick: "pat", room: "lobby")])
        #expect(driver.closes(Self.pat, on: "a"))
    }

    @Test func aDroppedConnectionWithoutResumeLeavesOnEveryNode() throws {
        var driver = ClusterDriver(nodes: ["a", "b"])
        try driver.hello("pat", Self.pat, on: "a", [])
        try driver.hello("leslie", Self.leslie, on: "b")
        driver.clear()
        driver.event(.disconnected(Self.pat), on: "a")
        #expect(try driver.packets(to: Self.leslie, on: "b") == [.leave(nick: "pat", room: "lobby")])
        #expect(driver.hubs["a"]?.sessions.isEmpty == false)
    }

    @Test func whilePausedHellosAreRefusedAndPacketsHeld() throws {
        var driver = ClusterDriver(nodes: ["a"])
        try driver.hello("pat", Self.pat, on: "a")
        driver.clear()
        driver.event(.clusterReachable(false), on: "a")
        #expect(
            try driver.packets(to: Self.pat, on: "a") == [
                .info(message: "chat is paused: the cluster's store is unreachable")
            ])
        try driver.hello("leslie", Self.leslie, on: "a")
        guard case .error(.serverFull, _)? = try driver.packets(to: Self.leslie, on: "a").first else {
            Issue.record("no server_full while paused")
            return
        }
        driver.clear()
        try driver.send(.chat(message: "anyone?"), from: Self.pat, on: "a")
        #expect(try driver.packets(to: Self.pat, on: "a").isEmpty)
        driver.event(.clusterReachable(true), on: "a")
        let after = try driver.packets(to: Self.pat, on: "a")
        #expect(after.first == .info(message: "chat resumed"))
        #expect(after.last.map { if case .chat("pat", "anyone?", _) = $0 { true } else { false } } == true)
    }

    @Test func afterAnEmptyRestartTheEarlierClaimInTheNewLogWins() throws {
        var driver = ClusterDriver(nodes: ["a", "b"])
        try driver.hello("pat", Self.pat, on: "a")
        try driver.hello("leslie", Self.leslie, on: "b")
        driver.restartStore()
        driver.clear()
        // b's new client claims PAT in the new log before a has restored pat: pat loses, on both nodes alike.
        try driver.hello("PAT", Self.chris, on: "b")
        guard case .error(.nickInUse, _)? = try driver.packets(to: Self.pat, on: "a").first else {
            Issue.record("pat was not told nick_in_use: \(try driver.packets(to: Self.pat, on: "a"))")
            return
        }
        #expect(driver.closes(Self.pat, on: "a"))
        #expect(try driver.packets(to: Self.leslie, on: "b").contains(.leave(nick: "pat", room: "lobby")))
        driver.event(.clusterRestarted, on: "a")
        driver.event(.clusterRestarted, on: "b")
        driver.event(.clusterRestartSettled, on: "a")
        driver.event(.clusterRestartSettled, on: "b")
        for node in ["a", "b"] {
            let nicks = driver.hubs[node]?.sessions.values.map(\.nick).sorted()
            #expect(nicks == ["PAT", "leslie"], "\(node): \(nicks ?? [])")
        }
        // And the claims are whole again: nobody else can take leslie.
        try driver.hello("LESLIE", ClientID(slot: 9), on: "a")
        guard case .error(.nickInUse, _)? = try driver.packets(to: ClientID(slot: 9), on: "a").first else {
            Issue.record("leslie's nick was not restored")
            return
        }
    }

    @Test func aNodeThatDiedWhileTheStoreWasAwayIsForgotten() throws {
        var driver = ClusterDriver(nodes: ["a", "b"])
        try driver.hello("pat", Self.pat, on: "a")
        try driver.hello("leslie", Self.leslie, on: "b")
        driver.restartStore()
        driver.hubs["b"] = nil
        driver.clear()
        driver.event(.clusterRestarted, on: "a")
        #expect(try driver.packets(to: Self.pat, on: "a").isEmpty)
        driver.event(.clusterRestartSettled, on: "a")
        #expect(try driver.packets(to: Self.pat, on: "a") == [.leave(nick: "leslie", room: "lobby")])
        try driver.send(.chat(message: "still here"), from: Self.pat, on: "a")
        #expect(try driver.packets(to: Self.pat, on: "a").count == 2)
    }

    @Test func entriesSurviveTheirFields() throws {
        let entries = [
            ClusterEntry(
                node: "a", session: nil, connection: ClientID(slot: 3, generation: 7),
                change: .hello(nick: "pät", room: "lobby")),
            ClusterEntry(node: "b", session: SessionID(rawValue: 9), connection: nil, change: .leave(.reaped)),
            ClusterEntry(
                node: "b", session: SessionID(rawValue: 9), connection: ClientID(slot: 4),
                change: .move(room: "x", after: nil)),
            ClusterEntry(
                node: "b", session: SessionID(rawValue: 9), connection: ClientID(slot: 4),
                change: .move(room: "x", after: 12)),
            ClusterEntry(
                node: "b", session: SessionID(rawValue: 9), connection: ClientID(slot: 4),
                change: .dm(to: "z", message: "a\nb")),
        ]
        for entry in entries {
            var fields: [String: String] = ["s": "12", "t": "1764621914123"]
            let flat = entry.fields
            for index in stride(from: 0, to: flat.count, by: 2) { fields[flat[index]] = flat[index + 1] }
            let parsed = try #require(ClusterEntry.parse(fields))
            #expect(parsed.entry == entry && parsed.id == 12 && parsed.time == 1_764_621_914_123)
        }
        #expect(ClusterEntry.parse(["k": "chat", "o": "a", "s": "1", "t": "1", "m": "x"]) == nil)
    }

    @Test func clusterURLs() {
        #expect(
            ClusterSettings(url: "redis://127.0.0.1:6380/2", node: "n1")
                == ClusterSettings(host: "127.0.0.1", port: 6380, database: 2, node: "n1"))
        #expect(ClusterSettings(url: "redis://redis", node: "n1")?.port == 6379)
        #expect(ClusterSettings(url: "redis://[::1]:7000", node: "n1")?.host == "::1")
        for bad in ["http://x", "redis://", "redis://x:0", "redis://x:99999", "redis://x/y", "redis://x:1z"] {
            #expect(ClusterSettings(url: bad, node: "n1") == nil, "\(bad)")
        }
        #expect(ClusterSettings(url: "redis://x", node: "no spaces") == nil)
    }

    static func welcome(_ packets: [ServerPacket]) -> ServerPacket.Welcome? {
        guard case .welcome(let welcome)? = packets.first else { return nil }
        return welcome
    }
}
