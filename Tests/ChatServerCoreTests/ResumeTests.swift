import ChatProtocol
import Testing

@testable import ChatServerCore

/// Resume, the grace period and quit in the pure hub, with a test clock.
@Suite struct ResumeTests: HubDriving {
    var hub: ChatHub
    var time = HubTime(instant: .now, epochMilliseconds: 1_764_621_914_123)

    init() {
        hub = Self.hub { $0.resumeGrace = .seconds(120) }
    }

    init(configure: (inout ServerConfiguration) -> Void) {
        hub = Self.hub(configure)
    }

    @Test mutating func aDroppedSessionIsKeptAndResumedWithoutLeaveOrJoin() throws {
        let token = try #require(Self.welcome(try hello("pat", Self.pat))?.resume)
        try hello("leslie", Self.leslie, [])
        let dropped = event(.disconnected(Self.pat))
        #expect(try Self.packets(to: Self.leslie, [], in: dropped).isEmpty)
        guard case .schedule(_, let ends)? = dropped.first(where: { if case .schedule = $0 { true } else { false } })
        else {
            Issue.record("no grace period scheduled")
            return
        }
        #expect(ends == time.instant + .seconds(120))
        // Meanwhile the nick stays taken, and a DM to it is kept.
        #expect(
            try hello("PAT", Self.chris, []).first.map { if case .error(.nickInUse, _) = $0 { true } else { false } }
                == true)
        try send(.dm(to: "pat", message: "still there?"), from: Self.leslie)
        try send(.chat(message: "room talk"), from: Self.leslie)
        advance(60_000)
        let back = ClientID(slot: 9)
        let actions = try send(
            .hello(nick: "pat", features: Self.everything, options: .init(after: 0, resume: token)), from: back)
        let packets = try Self.packets(to: back, Self.everything, in: actions)
        let welcome = try #require(Self.welcome(packets))
        #expect(welcome.resumed)
        #expect(welcome.resume != token && welcome.resume != nil)
        #expect(packets.contains { if case .dm(_, _, "still there?", let stamp?) = $0 { stamp.replay } else { false } })
        #expect(packets.contains { if case .chat(_, "room talk", let stamp?) = $0 { stamp.replay } else { false } })
        #expect(!packets.contains { if case .join = $0 { true } else { false } })
        #expect(try Self.packets(to: Self.leslie, [], in: actions).isEmpty)
        // The old grace timer firing later does nothing.
        advance(120_000)
        #expect(event(.graceEnded(SessionID(rawValue: 1))).isEmpty)
    }

    @Test mutating func theGracePeriodEndingSendsLeave() throws {
        try hello("pat", Self.pat)
        try hello("leslie", Self.leslie, [])
        let dropped = event(.disconnected(Self.pat))
        guard case .schedule(let session, _)? = dropped.first(where: { if case .schedule = $0 { true } else { false } })
        else {
            Issue.record("no grace period scheduled")
            return
        }
        advance(119_999)
        #expect(try Self.packets(to: Self.leslie, [], in: event(.graceEnded(session))).isEmpty)
        advance(1)
        #expect(
            try Self.packets(to: Self.leslie, [], in: event(.graceEnded(session))) == [
                .leave(nick: "pat", room: "lobby")
            ])
        #expect(try hello("pat", Self.chris, []) == [.join(nick: "pat", room: "lobby")])
    }

    @Test mutating func aStaleTokenIsAFreshHelloAndAWrongOneCannotTakeTheNick() throws {
        #expect(Self.welcome(try hello("pat", Self.pat, Self.everything, .init(resume: "nonsense"))) != nil)
        _ = event(.disconnected(Self.pat))
        let wrong = try hello("pat", Self.leslie, Self.everything, .init(resume: "0123456789abcdef0123456789abcdef"))
        #expect(wrong.first.map { if case .error(.nickInUse, _) = $0 { true } else { false } } == true)
    }

    @Test mutating func aResumeReplacesAHalfOpenConnectionSilently() throws {
        let token = try #require(Self.welcome(try hello("pat", Self.pat))?.resume)
        try hello("leslie", Self.leslie, [])
        let actions = try send(
            .hello(nick: "pat", features: Self.everything, options: .init(resume: token)), from: Self.chris)
        #expect(actions.contains { if case .close(Self.pat) = $0 { true } else { false } })
        #expect(try Self.packets(to: Self.leslie, [], in: actions).isEmpty)
        #expect(!hub.isJoined(Self.pat) && hub.isJoined(Self.chris))
        #expect(try Self.packets(to: Self.leslie, [], in: event(.disconnected(Self.pat))).isEmpty)
        let talk = try send(.chat(message: "back"), from: Self.leslie)
        #expect(try Self.packets(to: Self.chris, Self.everything, in: talk).count == 1)
    }

    @Test mutating func quitLeavesAtOnceAndGraceZeroTurnsResumingOff() throws {
        try hello("pat", Self.pat)
        try hello("leslie", Self.leslie, [])
        let quit = try send(.quit, from: Self.pat)
        #expect(try Self.packets(to: Self.leslie, [], in: quit) == [.leave(nick: "pat", room: "lobby")])
        #expect(quit.contains { if case .close(Self.pat) = $0 { true } else { false } })
        #expect(event(.disconnected(Self.pat)).isEmpty)

        var noGrace = ResumeTests { $0.resumeGrace = .zero }
        try noGrace.hello("pat", Self.pat)
        try noGrace.hello("leslie", Self.leslie, [])
        #expect(
            try Self.packets(to: Self.leslie, [], in: noGrace.event(.disconnected(Self.pat))) == [
                .leave(nick: "pat", room: "lobby")
            ])
    }

    @Test mutating func aBaseClientThatDropsLeavesAtOnce() throws {
        try hello("pat", Self.pat, [])
        try hello("leslie", Self.leslie, [])
        #expect(
            try Self.packets(to: Self.leslie, [], in: event(.disconnected(Self.pat))) == [
                .leave(nick: "pat", room: "lobby")
            ])
    }

}
