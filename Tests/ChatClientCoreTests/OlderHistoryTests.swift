import ChatProtocol
import Testing

@testable import ChatClientCore

/// Issue 11, item 7: PgUp past the top asks for `history before` the oldest message shown, and the answer is
/// told apart from new lines.
@Suite struct OlderHistoryTests {
    static func chat(_ id: Int, replay: Bool = false) -> ServerPacket {
        MessageLedgerTests.chat(id, replay: replay)
    }

    static func end(complete: Bool?, count: Int = 0) -> ServerPacket {
        .history(.init(room: "lobby", count: count, truncated: false, complete: complete))
    }

    // MARK: - The ledger

    @Test func anAnswerToBeforeComesOutAsOlderNotAsNewLines() {
        var ledger = MessageLedger()
        _ = ledger.take(Self.chat(10, replay: true))
        _ = ledger.take(Self.end(complete: nil, count: 1))
        _ = ledger.take(Self.chat(11))
        ledger.expectOlder()
        #expect(ledger.take(Self.chat(7, replay: true)) == [])
        #expect(ledger.take(Self.chat(9, replay: true)) == [])
        let end = ServerPacket.HistoryEnd(room: "lobby", count: 2, truncated: false, complete: false)
        #expect(
            ledger.take(.history(end)) == [.older([Self.chat(7, replay: true), Self.chat(9, replay: true)], end: end)])
        #expect(ledger.highestID == 11)
        // A live message after it is new as ever.
        #expect(ledger.take(Self.chat(12)) == [.packet(Self.chat(12))])
    }

    /// After `/clear` the same messages are asked for again: they are shown again, not dropped as seen.
    @Test func olderMessagesAlreadySeenAreShownAgain() {
        var ledger = MessageLedger()
        _ = ledger.take(Self.chat(5))
        ledger.expectOlder()
        _ = ledger.take(Self.chat(5, replay: true))
        let end = ServerPacket.HistoryEnd(room: "lobby", count: 1, truncated: false, complete: true)
        #expect(ledger.take(.history(end)) == [.older([Self.chat(5, replay: true)], end: end)])
    }

    @Test func anOlderAnswerCutByTheConnectionIsDroppedNotShownAsNew() {
        var ledger = MessageLedger()
        _ = ledger.take(Self.chat(20))
        ledger.expectOlder()
        _ = ledger.take(Self.chat(3, replay: true))
        #expect(ledger.connectionEnded() == [])
        // Without a request out, a cut replay still comes out (as before).
        _ = ledger.take(Self.chat(21, replay: true))
        #expect(ledger.connectionEnded() == [.packet(Self.chat(21, replay: true))])
    }

    /// The contract requires `complete` only when true: an awaited answer without it is still the answer.
    @Test func anAwaitedAnswerWithoutCompleteIsOlderToo() {
        var ledger = MessageLedger()
        _ = ledger.take(Self.chat(30))
        ledger.expectOlder()
        _ = ledger.take(Self.chat(20, replay: true))
        let end = ServerPacket.HistoryEnd(room: "lobby", count: 1, truncated: false)
        #expect(ledger.take(.history(end)) == [.older([Self.chat(20, replay: true)], end: end)])
    }

    /// A room move cancels the request: the new room's replay is shown as ever, and the stale answer that
    /// follows is dropped, neither above nor as new lines.
    @Test func aMoveCancelsTheRequestAndItsLateAnswerIsDropped() {
        var ledger = MessageLedger()
        _ = ledger.take(Self.chat(30))
        ledger.expectOlder()
        ledger.cancelOlder()
        _ = ledger.take(Self.chat(40, replay: true))
        #expect(
            ledger.take(.history(.init(room: "games", count: 1, truncated: false))) == [
                .packet(Self.chat(40, replay: true))
            ])
        _ = ledger.take(Self.chat(12, replay: true))
        #expect(ledger.take(Self.end(complete: false, count: 1)) == [])
        #expect(ledger.take(Self.chat(41)) == [.packet(Self.chat(41))])
    }

    // MARK: - The tracker

    @Test func asksBelowTheOldestRoomMessageShownOnceAtATime() {
        var older = OlderHistory()
        #expect(older.nextRequest() == nil)  // nothing of this room shown: nothing to count back from
        older.shown(Self.chat(12))
        older.shown(Self.chat(9, replay: true))
        older.shown(.dm(nick: "x", to: "pat", message: "hi", stamp: .init(id: 2, time: "", replay: false)))
        older.shown(.info(message: "hello"))
        #expect(older.nextRequest() == 9)
        #expect(older.nextRequest() == nil)  // one out already
        older.answered([Self.chat(4, replay: true), Self.chat(6, replay: true)], complete: false)
        #expect(older.nextRequest() == 4)
        older.answered([], complete: true)
        #expect(older.nextRequest() == nil)  // nothing older is left
    }

    @Test func aLostRequestMayBeMadeAgain() {
        var older = OlderHistory()
        older.shown(Self.chat(8))
        #expect(older.nextRequest() == 8)
        older.requestLost()
        #expect(older.nextRequest() == 8)
    }

    @Test func clearingAsksForWhatWasClearedAndARoomStartsAfresh() {
        var older = OlderHistory()
        older.shown(Self.chat(3))
        older.shown(Self.chat(8))
        older.answered([], complete: true)
        older.cleared()
        #expect(older.nextRequest() == 9)
        older.enteredRoom()
        #expect(older.nextRequest() == nil)
        older.shown(Self.chat(30, replay: true))
        #expect(older.nextRequest() == 30)
    }

    @Test func ledgerEntriesMoveTheTracker() {
        var older = OlderHistory()
        older.note([.packet(Self.chat(40)), .marker("---")])
        #expect(older.nextRequest() == 40)
        older.note([.older([Self.chat(33, replay: true)], end: .init(room: "lobby", count: 1, truncated: false))])
        #expect(older.isComplete == false)
        #expect(older.nextRequest() == 33)
    }
}

/// Issue 11: client memory stays bounded in a long session; the ledger remembered every id it had shown.
@Suite struct LedgerMemoryTests {
    @Test func theIDsRememberedStayBoundedAndRecentDuplicatesAreStillDropped() {
        var ledger = MessageLedger()
        for id in 1...100_000 { _ = ledger.take(MessageLedgerTests.chat(id)) }
        #expect(ledger.rememberedCount <= 2 * MessageLedger.rememberedIDs)
        #expect(ledger.rememberedCount >= MessageLedger.rememberedIDs)
        #expect(ledger.take(MessageLedgerTests.chat(100_000 - MessageLedger.rememberedIDs + 1)) == [])
        #expect(ledger.take(MessageLedgerTests.chat(99_999, replay: true)) == [])
        #expect(ledger.take(.history(.init(room: "lobby", count: 1, truncated: false))) == [])
        #expect(ledger.highestID == 100_000)
    }
}
