import ChatProtocol
import Testing

@testable import ChatServerCore

/// The session extensions in the pure hub: welcome, history, resume, quit, ping and nick, with a test clock.
@Suite struct SessionExtensionTests: HubDriving {
    var hub: ChatHub
    var time = HubTime(instant: .now, epochMilliseconds: 1_764_621_914_123)

    init() {
        hub = Self.hub()
    }

    // MARK: - welcome

    @Test mutating func welcomeComesFirstThenReplayThenJoinThenInfo() throws {
        let packets = try hello("pat", Self.pat)
        let welcome = try #require(Self.welcome(packets))
        #expect(welcome.nick == "pat" && welcome.room == "lobby" && !welcome.resumed)
        #expect(welcome.features == Self.everything)
        #expect((welcome.resume?.count ?? 0) >= 32)
        #expect(welcome.server == ServerConfiguration.defaultServerName)
        #expect(packets.dropFirst().first == .history(.init(room: "lobby", count: 0, truncated: false)))
        #expect(packets.dropFirst(2).first == .join(nick: "pat", room: "lobby"))
        #expect(packets.last == .info(message: ServerConfiguration.defaultWelcome))
        #expect(packets.count == 4)
    }

    @Test mutating func welcomeListsOnlyWhatTheServerSupportsAndNoTokenWithoutResume() throws {
        let packets = try hello("pat", Self.pat, [.welcome, .dm])
        let welcome = try #require(Self.welcome(packets))
        #expect(welcome.features == [.welcome, .dm])
        #expect(welcome.resume == nil)
        #expect(try hello("leslie", Self.leslie, []) == [.join(nick: "leslie", room: "lobby")])
    }

    // MARK: - history

    @Test mutating func historyClientsGetStampsAndBaseClientsExactlyTheBasePacket() throws {
        try hello("pat", Self.pat)
        try hello("leslie", Self.leslie, [])
        let actions = try send(.chat(message: "hi"), from: Self.leslie)
        let stamp = ServerPacket.Stamp(id: 1, time: "2025-12-01T20:45:14.123Z")
        #expect(
            try Self.packets(to: Self.pat, Self.everything, in: actions) == [
                .chat(nick: "leslie", message: "hi", stamp: stamp)
            ])
        #expect(try Self.packets(to: Self.leslie, [], in: actions) == [.chat(nick: "leslie", message: "hi")])
        advance(1)
        let emote = try send(.emote(message: "waves"), from: Self.pat)
        let next = ServerPacket.Stamp(id: 2, time: "2025-12-01T20:45:14.124Z")
        #expect(
            try Self.packets(to: Self.pat, Self.everything, in: emote) == [
                .emote(nick: "pat", message: "waves", stamp: next)
            ])
        #expect(try Self.packets(to: Self.leslie, [], in: emote) == [.chat(nick: "*", message: "pat waves")])
        // A history client without `emote` gets the downgraded form, stamped.
        #expect(
            try Self.packets(to: Self.pat, [.history], in: emote) == [
                .chat(nick: "*", message: "pat waves", stamp: next)
            ])
    }

    @Test mutating func aNewcomerGetsTheLastTwentyThenTheMarker() throws {
        try hello("leslie", Self.leslie, [])
        for index in 1...25 { try send(.chat(message: "m\(index)"), from: Self.leslie) }
        let packets = try hello("pat", Self.pat)
        let replayed = packets.compactMap { packet -> Int? in
            guard case .chat(_, _, let stamp?) = packet, stamp.replay else { return nil }
            return stamp.id
        }
        #expect(replayed == Array(6...25))
        #expect(packets.contains(.history(.init(room: "lobby", count: 20, truncated: false))))
    }

    @Test mutating func afterReplaysWhatWasMissedUpToTheReplayLimit() throws {
        try hello("leslie", Self.leslie, [])
        for index in 1...250 { try send(.chat(message: "m\(index)"), from: Self.leslie) }
        let few = try hello("pat", Self.pat, Self.everything, .init(after: 245))
        #expect(few.compactMap(\.stamp?.id) == [246, 247, 248, 249, 250])
        #expect(few.contains(.history(.init(room: "lobby", count: 5, truncated: false))))
        let many = try hello("chris", Self.chris, Self.everything, .init(after: 10))
        #expect(many.compactMap(\.stamp?.id) == Array(51...250))
        #expect(many.contains(.history(.init(room: "lobby", count: 200, truncated: true))))
    }

    @Test mutating func historyBeforeAsksForOlderMessages() throws {
        try hello("pat", Self.pat)
        for index in 1...30 { try send(.chat(message: "m\(index)"), from: Self.pat) }
        let older = try Self.packets(
            to: Self.pat, Self.everything, in: send(.history(before: 11, limit: 5), from: Self.pat))
        #expect(older.compactMap(\.stamp?.id) == [6, 7, 8, 9, 10])
        #expect(older.last == .history(.init(room: "lobby", count: 5, truncated: false, complete: false)))
        let oldest = try Self.packets(
            to: Self.pat, Self.everything, in: send(.history(before: 6, limit: 500), from: Self.pat))
        #expect(oldest.compactMap(\.stamp?.id) == [1, 2, 3, 4, 5])
        #expect(oldest.last == .history(.init(room: "lobby", count: 5, truncated: false, complete: true)))
    }

    @Test mutating func helloMayStartInARoomAndJoinMayCarryAfter() throws {
        let packets = try hello("pat", Self.pat, Self.everything, .init(room: "Games"))
        #expect(Self.welcome(packets)?.room == "Games")
        #expect(packets.contains(.join(nick: "pat", room: "Games")))
        for index in 1...3 { try send(.chat(message: "g\(index)"), from: Self.pat) }
        try send(.leave, from: Self.pat)
        // The emptied room is gone, its history is not.
        let back = try Self.packets(
            to: Self.pat, Self.everything, in: send(.join(room: "Games", after: 2), from: Self.pat))
        #expect(back.first == .join(nick: "pat", room: "Games"))
        #expect(back.compactMap(\.stamp?.id) == [3])
        #expect(back.last == .history(.init(room: "Games", count: 1, truncated: false)))
    }

    @Test mutating func aMoveTellsRoomsClientsWhereTo() throws {
        try hello("pat", Self.pat)
        try hello("leslie", Self.leslie, [])
        try hello("chris", Self.chris)
        let actions = try send(.join(room: "games"), from: Self.chris)
        #expect(
            try Self.packets(to: Self.pat, Self.everything, in: actions) == [
                .leave(nick: "chris", room: "lobby", to: "games")
            ])
        #expect(try Self.packets(to: Self.leslie, [], in: actions) == [.leave(nick: "chris", room: "lobby")])
    }

    // MARK: - ping and nick

    @Test mutating func pingIsAnsweredWithTheSameToken() throws {
        try hello("pat", Self.pat)
        #expect(
            try Self.packets(to: Self.pat, Self.everything, in: send(.ping(token: "t-42"), from: Self.pat)) == [
                .pong(token: "t-42")
            ])
        #expect(try send(.pong(token: "p1"), from: Self.pat).isEmpty)
    }

    @Test mutating func renamesReachTheRoomInTheFormEachUnderstands() throws {
        try hello("pat", Self.pat)
        try hello("leslie", Self.leslie, [])
        let actions = try send(.nick("patrick"), from: Self.pat)
        #expect(try Self.packets(to: Self.pat, Self.everything, in: actions) == [.nick(old: "pat", new: "patrick")])
        #expect(
            try Self.packets(to: Self.leslie, [], in: actions) == [
                .chat(nick: "*", message: "pat is now known as patrick")
            ])
        #expect(hub.nick(of: Self.pat) == "patrick")
        let taken = try Self.packets(to: Self.pat, Self.everything, in: send(.nick("Leslie"), from: Self.pat))
        #expect(taken.first.map { if case .error(.nickInUse, _) = $0 { true } else { false } } == true)
        let bad = try Self.packets(to: Self.pat, Self.everything, in: send(.nick("no spaces"), from: Self.pat))
        #expect(bad.first.map { if case .error(.badNick, _) = $0 { true } else { false } } == true)
        // The old nick is free again.
        #expect(try hello("pat", Self.chris, []) == [.join(nick: "pat", room: "lobby")])
    }

    @Test mutating func aMessageThatOnlyItsStampWouldPushPastTheLimitIsTooLongForEveryone() throws {
        try hello("pat", Self.pat)
        try hello("leslie", Self.leslie, [])
        // Fits as a base chat (65,535 bytes with its nick and keys), not once stamped.
        let overhead = try PacketEncoder.frame(.chat(nick: "pat", message: "")).count - 2
        let message = String(repeating: "x", count: 65_535 - overhead)
        #expect((try? PacketEncoder.frame(.chat(nick: "pat", message: message))) != nil)
        let actions = try send(.chat(message: message), from: Self.pat)
        #expect(try Self.packets(to: Self.leslie, [], in: actions).isEmpty)
        let packets = try Self.packets(to: Self.pat, Self.everything, in: actions)
        #expect(packets.first.map { if case .error(.tooLong, _) = $0 { true } else { false } } == true)
        #expect(hub.history.lastID == 0)
    }
}
