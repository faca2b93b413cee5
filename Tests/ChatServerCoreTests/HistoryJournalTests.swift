import Foundation
import Testing

@testable import ChatServerCore

/// `HistoryJournal`: round trips through a real SQLite file in a temporary directory, ids across restarts,
/// committed data visible without a close, and one clear error per failure.
@Suite struct HistoryJournalTests {
    /// A fresh directory, removed after `body`.
    static func inTemporaryDirectory(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    static func sampleHistory(limitPerRoom: Int = 100) -> RoomHistory {
        var history = RoomHistory(limitPerRoom: limitPerRoom, byteBudget: 1 << 20)
        history.append(roomKey: "lobby", room: "Lobby", kind: .chat, nick: "pat", message: "hello", time: 1_000)
        history.append(roomKey: "café", room: "Café", kind: .emote, nick: "Léa", message: "waves 👋", time: 1_001)
        _ = history.nextID()
        history.append(roomKey: "lobby", room: "Lobby", kind: .chat, nick: "lee", message: "", time: 1_002)
        return history
    }

    static func allEntries(_ history: RoomHistory) -> [HistoryEntry] {
        history.rooms.keys.flatMap { history.recent(roomKey: $0, limit: .max).entries }.sorted { $0.id < $1.id }
    }

    @Test func entriesAndTheLastIDSurviveCloseAndReopen() throws {
        try Self.inTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("history.db").path
            var history = Self.sampleHistory()
            var journal: HistoryJournal? = try HistoryJournal(path: path)
            try journal?.write(history.takeChanges())
            journal = nil
            let reopened = try HistoryJournal(path: path)
            let loaded = try reopened.load(limitPerRoom: 100)
            #expect(loaded.entries == Self.allEntries(history))
            #expect(loaded.entries.map(\.id) == [1, 2, 4])
            #expect(loaded.lastID == 4)
            var refilled = RoomHistory(
                loading: loaded.entries, lastID: loaded.lastID, limitPerRoom: 100, byteBudget: 1 << 20)
            #expect(refilled.recent(roomKey: "café", limit: 20) == history.recent(roomKey: "café", limit: 20))
            check(refilled.nextID(), 5)
        }
    }

    @Test func idsContinueWhenEveryRowWasEvicted() throws {
        try Self.inTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("history.db").path
            var history = Self.sampleHistory(limitPerRoom: 1)
            let journal = try HistoryJournal(path: path)
            try journal.write(history.takeChanges())
            _ = history.nextID()
            _ = history.nextID()
            try journal.write(history.takeChanges())
            // A limit of 0 on load deletes every row: only the meta row says how far ids went.
            let emptied = try HistoryJournal(path: path).load(limitPerRoom: 0)
            #expect(emptied.entries.isEmpty)
            #expect(emptied.lastID == 6)
            let loaded = try journal.load(limitPerRoom: 10)
            #expect(loaded.entries.isEmpty && loaded.lastID == 6)
        }
    }

    @Test func evictionsDeleteRowsAndLoadKeepsTheLastPerRoom() throws {
        try Self.inTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("history.db").path
            let journal = try HistoryJournal(path: path)
            var history = RoomHistory(limitPerRoom: 3, byteBudget: 1 << 20)
            for index in 0..<10 {
                history.append(roomKey: "a", room: "a", kind: .chat, nick: "pat", message: "\(index)", time: 0)
                history.append(roomKey: "b", room: "b", kind: .chat, nick: "lee", message: "\(index)", time: 0)
                try journal.write(history.takeChanges())
            }
            let loaded = try journal.load(limitPerRoom: 3)
            #expect(loaded.entries == Self.allEntries(history))
            #expect(loaded.entries.map(\.id) == [15, 16, 17, 18, 19, 20])
            let fewer = try journal.load(limitPerRoom: 1)
            #expect(fewer.entries.map(\.id) == [19, 20])
            #expect(try journal.load(limitPerRoom: 3).entries.map(\.id) == [19, 20])
        }
    }

    /// What a `kill -9` leaves: the writer never closes. A second connection, as a restarted server would
    /// open, sees every committed write.
    @Test func aCommittedWriteIsVisibleWithoutAClose() throws {
        try Self.inTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("history.db").path
            var history = Self.sampleHistory()
            let writer = try HistoryJournal(path: path)
            try writer.write(history.takeChanges())
            let loaded = try HistoryJournal(path: path).load(limitPerRoom: 100)
            #expect(loaded.entries == Self.allEntries(history))
            #expect(loaded.lastID == 4)
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
            withExtendedLifetime(writer) {}
        }
    }

    @Test func emptyChangesWriteNothing() throws {
        try Self.inTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("history.db").path
            let journal = try HistoryJournal(path: path)
            let holder = try HistoryJournal(path: path)
            try holder.execute("BEGIN IMMEDIATE", step: "test lock")
            // Any transaction would fail at once on the lock the other connection holds.
            try journal.write(HistoryChanges())
            #expect(throws: HistoryJournalError.self) { try journal.write(HistoryChanges(lastID: 1)) }
            try holder.execute("ROLLBACK", step: "test unlock")
        }
    }

    // MARK: - Errors

    @Test func aMissingDirectoryIsCannotOpen() throws {
        let path = "/nonexistent-\(UUID())/history.db"
        let error = try #require(throws: HistoryJournalError.self) { try HistoryJournal(path: path) }
        #expect(error.reason == .cannotOpen)
        #expect(error.step == "open")
        #expect(error.path == path)
        #expect(error.description.hasPrefix("history database \(path): open: unable to open database file"))
    }

    @Test func aFileThatIsNotADatabaseIsNotADatabase() throws {
        try Self.inTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("notes.txt").path
            try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: path))
            let error = try #require(throws: HistoryJournalError.self) { try HistoryJournal(path: path) }
            #expect(error.reason == .notADatabase)
            #expect(error.description == "history database \(path): read schema version: file is not a database")
        }
    }

    @Test func aDatabaseAnotherConnectionIsWritingIsLocked() throws {
        try Self.inTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("history.db").path
            let holder = try HistoryJournal(path: path)
            let writer = try HistoryJournal(path: path)
            try holder.execute("BEGIN IMMEDIATE", step: "test lock")
            let error = try #require(throws: HistoryJournalError.self) { try HistoryJournal(path: path) }
            #expect(error.reason == .locked)
            #expect(error.description == "history database \(path): begin: database is locked")
            var history = Self.sampleHistory()
            let writeError = try #require(throws: HistoryJournalError.self) {
                try writer.write(history.takeChanges())
            }
            #expect(writeError.reason == .locked)
            try holder.execute("ROLLBACK", step: "test unlock")
        }
    }

    @Test func aNewerSchemaIsRefused() throws {
        try Self.inTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("history.db").path
            try HistoryJournal(path: path).execute("PRAGMA user_version = 99", step: "test")
            let error = try #require(throws: HistoryJournalError.self) { try HistoryJournal(path: path) }
            #expect(error.reason == .newerSchema)
            #expect(error.message == "schema version 99 is newer than this server's 1")
        }
    }
}
