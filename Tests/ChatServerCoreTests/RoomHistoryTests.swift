import Testing

@testable import ChatServerCore

/// `RoomHistory`: ids, the per-room limit, the global byte budget, the queries at their edges, the change log.
@Suite struct RoomHistoryTests {
    /// Appends `count` one-byte messages to `room`, at time = id.
    static func fill(_ history: inout RoomHistory, room: String, count: Int, message: String = "m") {
        for _ in 0..<count {
            history.append(
                roomKey: room, room: room.uppercased(), kind: .chat, nick: "pat", message: message,
                time: Int64(history.lastID + 1))
        }
    }

    static func ids(_ entries: [HistoryEntry]) -> [Int] { entries.map(\.id) }

    @Test func idsIncreaseContinueAfterLastIDAndAreSharedWithDirectMessages() {
        var history = RoomHistory(limitPerRoom: 10, byteBudget: 1 << 20, lastID: 41)
        let first = history.append(roomKey: "lobby", room: "Lobby", kind: .emote, nick: "pat", message: "hi", time: 7)
        #expect(
            first
                == HistoryEntry(
                    id: 42, time: 7, roomKey: "lobby", room: "Lobby", kind: .emote, nick: "pat", message: "hi"))
        check(history.nextID(), 43)
        #expect(history.count == 1)
        #expect(history.recent(roomKey: "lobby", limit: 10).entries == [first])
        let second = history.append(roomKey: "games", room: "games", kind: .chat, nick: "lee", message: "", time: 8)
        #expect(second.id == 44)
        #expect(history.lastID == 44)
    }

    @Test func aDirectMessageIDIsNeverStoredButIsRecordedForTheJournal() {
        var history = RoomHistory(limitPerRoom: 10, byteBudget: 1 << 20)
        check(history.nextID(), 1)
        check(history.nextID(), 2)
        #expect(history.count == 0 && history.roomCount == 0 && history.byteCount == 0)
        check(history.takeChanges(), HistoryChanges(lastID: 2))
        #expect(history.takeChanges().isEmpty)
    }

    @Test func thePerRoomLimitDropsTheOldestOfThatRoomOnly() {
        var history = RoomHistory(limitPerRoom: 3, byteBudget: 1 << 20)
        Self.fill(&history, room: "a", count: 2)
        Self.fill(&history, room: "b", count: 5)
        #expect(Self.ids(history.recent(roomKey: "a", limit: 10).entries) == [1, 2])
        #expect(Self.ids(history.recent(roomKey: "b", limit: 10).entries) == [5, 6, 7])
        #expect(history.count == 5)
    }

    @Test func theByteBudgetEvictsTheGloballyOldestWhicheverRoom() {
        let cost = RoomHistory.cost(
            of: HistoryEntry(id: 0, time: 0, roomKey: "r", room: "R", kind: .chat, nick: "pat", message: "m"))
        #expect(cost == 3 + 1 + 1 + RoomHistory.entryOverhead)
        var history = RoomHistory(limitPerRoom: 100, byteBudget: 4 * cost)
        for room in ["a", "b", "c", "d", "e", "f"] { Self.fill(&history, room: room, count: 1) }
        #expect(history.count == 4 && history.byteCount == 4 * cost)
        #expect(history.roomCount == 4)
        #expect(history.count(roomKey: "a") == 0 && history.count(roomKey: "b") == 0)
        Self.fill(&history, room: "c", count: 1)
        #expect(Self.ids(history.recent(roomKey: "c", limit: 10).entries) == [7])
        #expect(history.rooms["a"] == nil)
    }

    @Test func thousandsOfRoomsStayWithinTheBudget() {
        var history = RoomHistory(limitPerRoom: 1_000, byteBudget: 100_000)
        for room in 0..<5_000 {
            Self.fill(&history, room: "room\(room)", count: 2, message: String(repeating: "x", count: 100))
        }
        #expect(history.byteCount <= 100_000)
        #expect(history.roomCount < 400)
        #expect(history.order.count <= 2 * history.count + 64)
    }

    @Test func marksDroppedByThePerRoomLimitDoNotPileUp() {
        var history = RoomHistory(limitPerRoom: 2, byteBudget: 1 << 30)
        Self.fill(&history, room: "a", count: 10_000)
        #expect(history.count == 2)
        #expect(history.order.count <= 2 * 2 + 64)
        #expect(Self.ids(history.recent(roomKey: "a", limit: 5).entries) == [9_999, 10_000])
    }

    @Test func anEntryAloneOverTheBudgetIsNotKept() {
        var history = RoomHistory(limitPerRoom: 10, byteBudget: 10)
        let entry = history.append(roomKey: "a", room: "a", kind: .chat, nick: "pat", message: "hi", time: 0)
        #expect(entry.id == 1)
        #expect(history.count == 0 && history.roomCount == 0 && history.byteCount == 0)
        check(history.takeChanges(), HistoryChanges(lastID: 1))
    }

    @Test func aZeroLimitKeepsNothing() {
        var history = RoomHistory(limitPerRoom: 0, byteBudget: 1 << 20)
        Self.fill(&history, room: "a", count: 3)
        #expect(history.count == 0)
        #expect(history.recent(roomKey: "a", limit: 10).entries.isEmpty)
    }

    // MARK: - Queries

    @Test func queriesOnAnEmptyOrUnknownRoom() {
        let history = RoomHistory(limitPerRoom: 10, byteBudget: 1 << 20)
        #expect(history.recent(roomKey: "a", limit: 20) == ([], false))
        #expect(history.after(roomKey: "a", id: 0, limit: 20) == ([], false))
        #expect(history.before(roomKey: "a", id: 100, limit: 20) == ([], true))
    }

    @Test func recentReturnsTheLastLimitOldestFirst() {
        var history = RoomHistory(limitPerRoom: 100, byteBudget: 1 << 20)
        Self.fill(&history, room: "a", count: 5)
        let exactly = history.recent(roomKey: "a", limit: 5)
        #expect(Self.ids(exactly.entries) == [1, 2, 3, 4, 5] && !exactly.truncated)
        let fewer = history.recent(roomKey: "a", limit: 2)
        #expect(Self.ids(fewer.entries) == [4, 5] && fewer.truncated)
        #expect(history.recent(roomKey: "a", limit: 0) == ([], true))
    }

    @Test func afterGivesTheNewestLimitOfThoseAboveTheID() {
        var history = RoomHistory(limitPerRoom: 100, byteBudget: 1 << 20)
        Self.fill(&history, room: "a", count: 3)
        Self.fill(&history, room: "b", count: 2)
        Self.fill(&history, room: "a", count: 3)
        let all = history.after(roomKey: "a", id: 0, limit: 10)
        #expect(Self.ids(all.entries) == [1, 2, 3, 6, 7, 8] && !all.truncated)
        let some = history.after(roomKey: "a", id: 4, limit: 10)
        #expect(Self.ids(some.entries) == [6, 7, 8] && !some.truncated)
        let exactly = history.after(roomKey: "a", id: 2, limit: 4)
        #expect(Self.ids(exactly.entries) == [3, 6, 7, 8] && !exactly.truncated)
        let truncated = history.after(roomKey: "a", id: 2, limit: 3)
        #expect(Self.ids(truncated.entries) == [6, 7, 8] && truncated.truncated)
        #expect(history.after(roomKey: "a", id: 8, limit: 10) == ([], false))
        #expect(history.after(roomKey: "a", id: 1_000, limit: 10) == ([], false))
    }

    @Test func beforeGivesTheNewestLimitBelowTheIDAndSaysWhenComplete() {
        var history = RoomHistory(limitPerRoom: 100, byteBudget: 1 << 20)
        Self.fill(&history, room: "a", count: 3)
        Self.fill(&history, room: "b", count: 2)
        Self.fill(&history, room: "a", count: 3)
        let newest = history.before(roomKey: "a", id: 7, limit: 2)
        #expect(Self.ids(newest.entries) == [3, 6] && !newest.complete)
        let exactly = history.before(roomKey: "a", id: 7, limit: 4)
        #expect(Self.ids(exactly.entries) == [1, 2, 3, 6] && exactly.complete)
        let beyond = history.before(roomKey: "a", id: 1_000, limit: 10)
        #expect(Self.ids(beyond.entries) == [1, 2, 3, 6, 7, 8] && beyond.complete)
        #expect(history.before(roomKey: "a", id: 1, limit: 10) == ([], true))
        #expect(history.before(roomKey: "a", id: 5, limit: 0) == ([], false))
    }

    // MARK: - Changes

    @Test func takeChangesReportsAppendsEvictionsAndTheLastIDOnce() {
        var history = RoomHistory(limitPerRoom: 2, byteBudget: 1 << 20)
        #expect(history.takeChanges().isEmpty)
        Self.fill(&history, room: "a", count: 2)
        let first = history.takeChanges()
        #expect(Self.ids(first.appended) == [1, 2] && first.evicted.isEmpty && first.lastID == 2)
        #expect(history.takeChanges().isEmpty)
        Self.fill(&history, room: "a", count: 1)
        _ = history.nextID()
        let second = history.takeChanges()
        #expect(Self.ids(second.appended) == [3] && second.evicted == [1] && second.lastID == 4)
        // Appended and evicted within one pass: neither inserted nor deleted.
        Self.fill(&history, room: "a", count: 3)
        let third = history.takeChanges()
        #expect(Self.ids(third.appended) == [6, 7] && third.evicted == [2, 3] && third.lastID == 7)
    }

    @Test func mergeConcatenatesAndKeepsTheHighestID() {
        var changes = HistoryChanges(evicted: [1], lastID: 5)
        changes.merge(HistoryChanges(evicted: [2], lastID: 9))
        changes.merge(HistoryChanges(evicted: [3]))
        #expect(changes == HistoryChanges(evicted: [1, 2, 3], lastID: 9))
    }

    @Test func loadingRefillsKeepsIDsAndEvictsWhatTheLimitsDoNotAllow() {
        var source = RoomHistory(limitPerRoom: 100, byteBudget: 1 << 20)
        Self.fill(&source, room: "a", count: 4)
        Self.fill(&source, room: "b", count: 2)
        let entries = source.recent(roomKey: "b", limit: 10).entries + source.recent(roomKey: "a", limit: 10).entries
        var history = RoomHistory(loading: entries, lastID: 9, limitPerRoom: 3, byteBudget: 1 << 20)
        #expect(Self.ids(history.recent(roomKey: "a", limit: 10).entries) == [2, 3, 4])
        check(history.takeChanges(), HistoryChanges(evicted: [1]))
        check(history.nextID(), 10)
        let behind = RoomHistory(loading: entries, lastID: 0, limitPerRoom: 3, byteBudget: 1 << 20)
        #expect(behind.lastID == 6)
    }
}
