import ChatProtocol
import Testing

@testable import ChatClientCore

@Suite struct MessageLedgerTests {
    static func chat(_ id: Int, replay: Bool = false) -> ServerPacket {
        .chat(
            nick: "leslie", message: "m\(id)",
            stamp: .init(id: id, time: "2026-12-01T20:45:14.123Z", replay: replay))
    }

    @Test func liveMessagesPassAndDuplicatesAreDropped() {
        var ledger = MessageLedger()
        #expect(ledger.take(Self.chat(1)) == [.packet(Self.chat(1))])
        #expect(ledger.take(Self.chat(1)) == [])
        #expect(ledger.take(Self.chat(3)) == [.packet(Self.chat(3))])
        #expect(ledger.highestID == 3)
        #expect(ledger.take(Self.chat(2)) == [.packet(Self.chat(2))])
        #expect(ledger.highestID == 3)
        let unstamped = ServerPacket.chat(nick: "x", message: "base")
        #expect(ledger.take(unstamped) == [.packet(unstamped)])
        #expect(ledger.take(unstamped) == [.packet(unstamped)])
    }

    @Test func aReconnectReplayShowsOnlyNewMessagesAfterTheMarker() {
        var ledger = MessageLedger()
        _ = ledger.take(Self.chat(1))
        _ = ledger.take(Self.chat(2))
        ledger.expectReplay(after: 2, resumed: true)
        #expect(ledger.take(Self.chat(2, replay: true)) == [])
        #expect(ledger.take(Self.chat(3, replay: true)) == [])
        #expect(ledger.take(Self.chat(4, replay: true)) == [])
        #expect(
            ledger.take(.history(.init(room: "lobby", count: 3, truncated: false))) == [
                .marker("--- reconnected: 2 messages you missed ---"),
                .packet(Self.chat(3, replay: true)), .packet(Self.chat(4, replay: true)),
            ])
        #expect(ledger.take(Self.chat(4)) == [])
        #expect(ledger.take(Self.chat(5)) == [.packet(Self.chat(5))])
    }

    @Test func aTruncatedReplaySaysSo() {
        var ledger = MessageLedger()
        _ = ledger.take(Self.chat(10))
        ledger.expectReplay(after: 10, resumed: true)
        _ = ledger.take(Self.chat(500, replay: true))
        #expect(
            ledger.take(.history(.init(room: "lobby", count: 1, truncated: true))) == [
                .marker("--- reconnected: 1 message you missed ---"),
                .marker("--- up to 489 older messages not shown ---"),
                .packet(Self.chat(500, replay: true)),
            ])
    }

    /// A server that restarted without its history numbers from 1 again: after a fresh session, low ids are
    /// new messages, and the next hello's `after` follows the new numbering.
    @Test func aFreshSessionForgetsTheOldIDs() {
        var ledger = MessageLedger()
        _ = ledger.take(Self.chat(1))
        _ = ledger.take(Self.chat(50))
        ledger.expectReplay(after: 50, resumed: false)
        #expect(ledger.highestID == nil)
        #expect(
            ledger.take(.history(.init(room: "lobby", count: 0, truncated: false))) == [
                .marker("--- reconnected: 0 messages you missed ---")
            ])
        #expect(ledger.take(Self.chat(1)) == [.packet(Self.chat(1))])
        #expect(ledger.highestID == 1)
    }

    @Test func aReplayWithoutAReconnectHasNoMarker() {
        var ledger = MessageLedger()
        _ = ledger.take(Self.chat(1, replay: true))
        #expect(
            ledger.take(.history(.init(room: "games", count: 1, truncated: true))) == [
                .packet(Self.chat(1, replay: true))
            ])
    }

    @Test func aLivePacketOrAnEndedConnectionReleasesAHeldReplay() {
        var ledger = MessageLedger()
        _ = ledger.take(Self.chat(1, replay: true))
        let info = ServerPacket.info(message: "hi")
        #expect(ledger.take(info) == [.packet(Self.chat(1, replay: true)), .packet(info)])
        _ = ledger.take(Self.chat(2, replay: true))
        #expect(ledger.connectionEnded() == [.packet(Self.chat(2, replay: true))])
        #expect(ledger.connectionEnded() == [])
    }
}
