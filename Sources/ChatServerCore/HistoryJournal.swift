import CSQLite

/// `RoomHistory` on disk: an SQLite database (the C API, one connection, prepared statements kept open) that
/// the loop writes once per pass and reads once at start. Direct messages never reach it.
///
/// The database is in WAL mode with `synchronous=NORMAL`: a commit appends to the WAL with `write(2)` and no
/// `fsync`, so a process killed with `kill -9` loses nothing that was committed (the kernel has it); only a
/// power loss or kernel crash may lose the last commits, never the database's consistency. The WAL is synced
/// at checkpoints. No busy handler is set: a database locked by another process is an error, never a wait,
/// so the loop blocks on the disk for at most one commit per pass.
public final class HistoryJournal {
    /// The `PRAGMA user_version` this code writes and reads.
    public static let schemaVersion: Int32 = 1

    /// The database path as given.
    public let path: String
    let database: OpaquePointer
    var statements = Statements()

    /// The statements every pass uses, prepared once.
    struct Statements {
        var begin: OpaquePointer?
        var commit: OpaquePointer?
        var rollback: OpaquePointer?
        var insert: OpaquePointer?
        var delete: OpaquePointer?
        var recordLastID: OpaquePointer?
        var placePlayer: OpaquePointer?
        var forgetPlayer: OpaquePointer?
        var placeItem: OpaquePointer?

        var all: [OpaquePointer?] {
            [begin, commit, rollback, insert, delete, recordLastID, placePlayer, forgetPlayer, placeItem]
        }
    }

    /// Opens the database at `path`, creating it and its schema when missing (`sqlite3_open_v2`), and
    /// switches it to WAL mode.
    public init(path: String) throws(HistoryJournalError) {
        self.path = path
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let error = HistoryJournalError(path: path, step: "open", code: code, database: handle)
            sqlite3_close_v2(handle)
            throw error
        }
        database = handle
        sqlite3_extended_result_codes(database, 1)
        try prepareSchema()
        try prepareStatements()
    }

    deinit {
        for statement in statements.all { sqlite3_finalize(statement) }
        sqlite3_close_v2(database)
    }

    // MARK: - Loading

    /// Reads the last `limitPerRoom` entries of every room in id order, and the highest id ever handed out
    /// (kept in `meta`, so ids continue even when every row was evicted). Older rows, left by a larger limit
    /// in an earlier run, are deleted.
    public func load(limitPerRoom: Int) throws(HistoryJournalError) -> (entries: [HistoryEntry], lastID: Int) {
        try execute("BEGIN IMMEDIATE", step: "begin load")
        do throws(HistoryJournalError) {
            let ranked = "SELECT *, row_number() OVER (PARTITION BY room_key ORDER BY id DESC) AS age FROM messages"
            let prune = try prepare("DELETE FROM messages WHERE id IN (SELECT id FROM (\(ranked)) WHERE age > ?1)")
            defer { sqlite3_finalize(prune) }
            sqlite3_bind_int64(prune, 1, Int64(max(0, limitPerRoom)))
            try step(prune, "delete rows over the limit")
            let select = try prepare(
                "SELECT id, time, room_key, room, kind, nick, message FROM (\(ranked)) WHERE age <= ?1 ORDER BY id")
            defer { sqlite3_finalize(select) }
            sqlite3_bind_int64(select, 1, Int64(max(0, limitPerRoom)))
            var entries: [HistoryEntry] = []
            while try step(select, "load messages") == SQLITE_ROW { entries.append(try entry(from: select)) }
            let highest = try prepare(
                "SELECT max(coalesce((SELECT value FROM meta WHERE key = 'last_id'), 0), "
                    + "coalesce((SELECT max(id) FROM messages), 0))")
            defer { sqlite3_finalize(highest) }
            try step(highest, "load last id")
            let lastID = Int(sqlite3_column_int64(highest, 0))
            sqlite3_reset(highest)
            try execute("COMMIT", step: "commit load")
            return (entries, lastID)
        } catch {
            sqlite3_exec(database, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }

    private func entry(from select: OpaquePointer) throws(HistoryJournalError) -> HistoryEntry {
        let id = Int(sqlite3_column_int64(select, 0))
        guard let kind = HistoryEntry.Kind(rawValue: Int(sqlite3_column_int64(select, 4))) else {
            throw HistoryJournalError(
                path: path, step: "load messages", reason: .failed, code: SQLITE_ERROR,
                message: "message \(id) has an unknown kind \(sqlite3_column_int64(select, 4))")
        }
        return HistoryEntry(
            id: id, time: sqlite3_column_int64(select, 1), roomKey: text(select, 2), room: text(select, 3),
            kind: kind, nick: text(select, 5), message: text(select, 6))
    }

    // MARK: - Writing

    /// Writes one pass's changes in one transaction (`BEGIN IMMEDIATE` ... `COMMIT`): the inserts, then the
    /// deletes of evicted ids, then the highest id. Does nothing when `changes` is empty. On failure the
    /// transaction is rolled back and nothing of `changes` is stored; merge them into the next pass's to retry.
    public func write(_ changes: HistoryChanges) throws(HistoryJournalError) {
        guard !changes.isEmpty else { return }
        try run(statements.begin, "begin")
        do throws(HistoryJournalError) {
            for entry in changes.appended { try insert(entry) }
            for id in changes.evicted {
                sqlite3_bind_int64(statements.delete, 1, Int64(id))
                try run(statements.delete, "delete")
            }
            if let lastID = changes.lastID {
                sqlite3_bind_int64(statements.recordLastID, 1, Int64(lastID))
                try run(statements.recordLastID, "record last id")
            }
            try write(changes.world)
            try run(statements.commit, "commit")
        } catch {
            sqlite3_reset(statements.rollback)
            sqlite3_step(statements.rollback)
            sqlite3_reset(statements.rollback)
            throw error
        }
    }

    private func insert(_ entry: HistoryEntry) throws(HistoryJournalError) {
        let insert = statements.insert
        sqlite3_bind_int64(insert, 1, Int64(entry.id))
        sqlite3_bind_int64(insert, 2, entry.time)
        bind(entry.roomKey, to: 3, of: insert)
        bind(entry.room, to: 4, of: insert)
        sqlite3_bind_int64(insert, 5, Int64(entry.kind.rawValue))
        bind(entry.nick, to: 6, of: insert)
        bind(entry.message, to: 7, of: insert)
        try run(insert, "insert")
    }
}

/// The journal belongs to the loop's thread: one connection opened without SQLite's mutex.
@available(*, unavailable) extension HistoryJournal: Sendable {}
