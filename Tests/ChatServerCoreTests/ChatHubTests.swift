import ChatProtocol
import Foundation
import Testing

@testable import ChatServerCore

/// The hub alone: events in, actions out, no sockets.
@Suite struct ChatHubTests {
    var hub = ChatHub()
    var actions: [ChatHub.Action] = []

    static let time = HubTime(instant: .now, epochMilliseconds: 1_764_621_914_123)
    static let pat = ClientID(slot: 5)
    static let leslie = ClientID(slot: 6)

    mutating func receive(_ packet: ClientPacket, from id: ClientID) throws -> [ChatHub.Action] {
        let frame = try PacketEncoder.frame(packet)
        actions.removeAll()
        hub.handle(.received(id, frame[2...]), at: Self.time, into: &actions)
        return actions
    }

    mutating func receive(json: String, from id: ClientID) -> [ChatHub.Action] {
        actions.removeAll()
        hub.handle(.received(id, ArraySlice(json.utf8)), at: Self.time, into: &actions)
        return actions
    }

    /// The packets sent to `id` by `actions`, decoded, with downgrades applied as the loop would.
    static func packets(to id: ClientID, features: Features, in actions: [ChatHub.Action]) throws -> [ServerPacket] {
        var packets: [ServerPacket] = []
        for action in actions {
            switch action {
            case .send(let target, let frame) where target == id:
                packets.append(try ServerPacket(payload: frame[2...]))
            case .deliver(let delivery) where delivery.members.contains { $0.id == id }:
                packets.append(try ServerPacket(payload: delivery.frame(for: features).dropFirst(2)))
            default: continue
            }
        }
        return packets
    }

    static func closes(_ id: ClientID, _ actions: [ChatHub.Action]) -> Bool {
        actions.contains { if case .close(let closed) = $0 { closed == id } else { false } }
    }

    @Test mutating func helloJoinsTheLobbyAndNotes() throws {
        let result = try receive(.hello(nick: "pat", features: []), from: Self.pat)
        #expect(try Self.packets(to: Self.pat, features: [], in: result) == [.join(nick: "pat", room: "lobby")])
        #expect(
            result.contains { if case .note(.joined(Self.pat, nick: "pat", features: [])) = $0 { true } else { false } }
        )
        #expect(hub.isJoined(Self.pat) && hub.joinedCount == 1)
    }

    @Test mutating func errorsBeforeHelloCloseAndAfterDoNot() throws {
        let early = receive(json: #"{"type":"who"}"#, from: Self.pat)
        #expect(try Self.packets(to: Self.pat, features: [], in: early).count == 1)
        #expect(Self.closes(Self.pat, early))
        _ = try receive(.hello(nick: "pat", features: []), from: Self.pat)
        let late = receive(json: #"{"type":"nope"}"#, from: Self.pat)
        guard case .error(.unknownType, _)? = try Self.packets(to: Self.pat, features: [], in: late).first else {
            Issue.record("no unknown_type")
            return
        }
        #expect(!Self.closes(Self.pat, late))
    }

    @Test mutating func errorsEchoingHugeInputStillFitInOneFrame() throws {
        let huge = String(repeating: "é", count: 32_740)
        let hello = try receive(.hello(nick: huge, features: []), from: Self.pat)
        guard case .error(.badNick, let message)? = try Self.packets(to: Self.pat, features: [], in: hello).first else {
            Issue.record("no bad_nick")
            return
        }
        #expect(message.count < 100)
        hub = ChatHub()
        _ = try receive(.hello(nick: "pat", features: []), from: Self.pat)
        let type = String(repeating: "t", count: 65_400)
        let unknown = receive(json: #"{"type":"\#(type)"}"#, from: Self.pat)
        guard case .error(.unknownType, _)? = try Self.packets(to: Self.pat, features: [], in: unknown).first else {
            Issue.record("no unknown_type")
            return
        }
        let dm = try receive(.dm(to: String(repeating: "x", count: 65_480), message: "hi"), from: Self.pat)
        guard case .error(.noSuchNick, _)? = try Self.packets(to: Self.pat, features: [], in: dm).first else {
            Issue.record("no no_such_nick")
            return
        }
        let room = try receive(.join(room: String(repeating: "r", count: 65_480)), from: Self.pat)
        guard case .error(.badRoom, _)? = try Self.packets(to: Self.pat, features: [], in: room).first else {
            Issue.record("no bad_room")
            return
        }
    }

    @Test mutating func disconnectAnnouncesLeaveAndFreesTheNick() throws {
        _ = try receive(.hello(nick: "pat", features: []), from: Self.pat)
        _ = try receive(.hello(nick: "leslie", features: []), from: Self.leslie)
        actions.removeAll()
        hub.handle(.disconnected(Self.pat), at: Self.time, into: &actions)
        #expect(try Self.packets(to: Self.leslie, features: [], in: actions) == [.leave(nick: "pat", room: "lobby")])
        let again = try receive(.hello(nick: "PAT", features: []), from: ClientID(slot: 9))
        #expect(
            try Self.packets(to: ClientID(slot: 9), features: [], in: again) == [.join(nick: "PAT", room: "lobby")])
    }

    @Test mutating func aWhoReplyTooLongForOneFrameIsTooLong() throws {
        for index in 0..<2_100 {
            let nick = String(repeating: "n", count: 26) + String(format: "%06d", index)
            _ = try receive(.hello(nick: nick, features: []), from: ClientID(slot: Int32(100 + index)))
        }
        let reply = try receive(.who, from: ClientID(slot: 100))
        guard case .error(.tooLong, _)? = try Self.packets(to: ClientID(slot: 100), features: [], in: reply).first
        else {
            Issue.record("no too_long")
            return
        }
    }

    @Test mutating func aRoomsReplyTooLongForOneFrameIsTooLong() throws {
        // 1,700 rooms of 32-character names: the list would need about 75,000 bytes.
        for index in 0..<1_700 {
            let id = ClientID(slot: Int32(100 + index))
            _ = try receive(.hello(nick: "n\(index)", features: []), from: id)
            _ = try receive(.join(room: String(repeating: "r", count: 26) + String(format: "%06d", index)), from: id)
        }
        let reply = try receive(.rooms, from: ClientID(slot: 100))
        guard case .error(.tooLong, _)? = try Self.packets(to: ClientID(slot: 100), features: [], in: reply).first
        else {
            Issue.record("no too_long")
            return
        }
    }

    @Test mutating func aDirectMessageIsTooLongWhenEitherFormIs() throws {
        _ = try receive(.hello(nick: "pat", features: .all), from: Self.pat)
        _ = try receive(.hello(nick: "leslie", features: []), from: Self.leslie)
        // Size the text so that the dm form is one byte over while the downgraded chat, the only form the base
        // recipient would get, still fits: nobody gets either.
        let dmOverhead = try PacketEncoder.frame(ServerPacket.dm(nick: "pat", to: "leslie", message: "")).count - 2
        let text = String(repeating: "m", count: 65_535 - dmOverhead + 1)
        #expect(throws: Never.self) { try PacketEncoder.frame(ServerPacket.chat(nick: "pat -> leslie", message: text)) }
        let result = try receive(.dm(to: "leslie", message: text), from: Self.pat)
        guard case .error(.tooLong, _)? = try Self.packets(to: Self.pat, features: .all, in: result).first else {
            Issue.record("no too_long")
            return
        }
        #expect(try Self.packets(to: Self.leslie, features: [], in: result).isEmpty)
    }

    @Test mutating func shutdownNoticeGoesOnlyToInfoClients() throws {
        _ = try receive(.hello(nick: "pat", features: [.info]), from: Self.pat)
        _ = try receive(.hello(nick: "leslie", features: []), from: Self.leslie)
        actions.removeAll()
        hub.handle(.shutdown, at: Self.time, into: &actions)
        #expect(
            try Self.packets(to: Self.pat, features: [.info], in: actions) == [.info(message: "server shutting down")])
        #expect(try Self.packets(to: Self.leslie, features: [], in: actions).isEmpty)
    }

    @Test mutating func whoAndRoomsAnswerBaseClientsToo() throws {
        _ = try receive(.hello(nick: "pat", features: []), from: Self.pat)
        #expect(
            try Self.packets(to: Self.pat, features: [], in: try receive(.who, from: Self.pat))
                == [.who(room: "lobby", nicks: ["pat"])])
        #expect(
            try Self.packets(to: Self.pat, features: [], in: try receive(.rooms, from: Self.pat))
                == [.rooms([.init(name: "lobby", count: 1)])])
    }

    @Test mutating func dmAndEmoteRelayTextIsSanitized() throws {
        _ = try receive(.hello(nick: "pat", features: .all), from: Self.pat)
        let dm = try receive(.dm(to: "pat", message: "a\u{1B}b\tc"), from: Self.pat)
        #expect(
            try Self.packets(to: Self.pat, features: .all, in: dm) == [
                .dm(nick: "pat", to: "pat", message: "a\u{FFFD}b c")
            ])
        let emote = try receive(.emote(message: "x\u{7}"), from: Self.pat)
        #expect(
            try Self.packets(to: Self.pat, features: .all, in: emote) == [.emote(nick: "pat", message: "x\u{FFFD}")])
    }
}
