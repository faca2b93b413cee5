import CSQLite

// MARK: - Schema

extension HistoryJournal {
    /// Reads the schema version (the first read, where a file that is not a database fails), switches to
    /// WAL, and creates the tables in a fresh file. A write transaction at the end fails at once, as
    /// `locked`, when another connection is writing.
    func prepareSchema() throws(HistoryJournalError) {
        let version = try schemaVersion()
        guard version <= Self.schemaVersion else {
            throw HistoryJournalError(
                path: path, step: "read schema version", reason: .newerSchema, code: SQLITE_ERROR,
                message: "schema version \(version) is newer than this server's \(Self.schemaVersion)")
        }
        let mode = try journalMode("WAL")
        guard mode == "wal" else {
            throw HistoryJournalError(
                path: path, step: "set WAL mode", reason: .failed, code: SQLITE_ERROR,
                message: "the file system does not allow WAL mode (journal mode is \(mode))")
        }
        try execute("PRAGMA synchronous=NORMAL", step: "set synchronous=NORMAL")
        try execute("BEGIN IMMEDIATE", step: "begin")
        do throws(HistoryJournalError) {
            if version == 0 {
                try execute(
                    """
                    CREATE TABLE messages (id INTEGER PRIMARY KEY, time INTEGER NOT NULL, room_key TEXT NOT NULL,
                        room TEXT NOT NULL, kind INTEGER NOT NULL, nick TEXT NOT NULL, message TEXT NOT NULL);
                    CREATE INDEX messages_by_room ON messages (room_key, id);
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
                    PRAGMA user_version = \(Self.schemaVersion);
                    """, step: "create schema")
            }
            // World mode's tables are an addition that older servers ignore, so they come without a new
            // version: a file from before world mode gains them at its next open.
            try execute(
                """
                CREATE TABLE IF NOT EXISTS world_players (nick_key TEXT PRIMARY KEY, place TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS world_items (item TEXT PRIMARY KEY, place TEXT, carrier TEXT);
                COMMIT;
                """, step: "create schema")
        } catch {
            sqlite3_exec(database, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }

    /// Sets `PRAGMA journal_mode` and returns the mode in force after it.
    private func journalMode(_ mode: String) throws(HistoryJournalError) -> String {
        let statement = try prepare("PRAGMA journal_mode=\(mode)", step: "set WAL mode")
        defer { sqlite3_finalize(statement) }
        try step(statement, "set WAL mode")
        return text(statement, 0)
    }

    private func schemaVersion() throws(HistoryJournalError) -> Int32 {
        let statement = try prepare("PRAGMA user_version", step: "read schema version")
        defer { sqlite3_finalize(statement) }
        try step(statement, "read schema version")
        return sqlite3_column_int(statement, 0)
    }

    func prepareStatements() throws(HistoryJournalError) {
        statements.begin = try prepare("BEGIN IMMEDIATE")
        statements.commit = try prepare("COMMIT")
        statements.rollback = try prepare("ROLLBACK")
        statements.insert = try prepare(
            "INSERT OR REPLACE INTO messages (id, time, room_key, room, kind, nick, message) "
                + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        statements.delete = try prepare("DELETE FROM messages WHERE id = ?1")
        statements.placePlayer = try prepare(
            "INSERT OR REPLACE INTO world_players (nick_key, place) VALUES (?1, ?2)")
        statements.forgetPlayer = try prepare("DELETE FROM world_players WHERE nick_key = ?1")
        statements.placeItem = try prepare(
            "INSERT OR REPLACE INTO world_items (item, place, carrier) VALUES (?1, ?2, ?3)")
        statements.recordLastID = try prepare(
            "INSERT INTO meta (key, value) VALUES ('last_id', ?1) "
                + "ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)")
    }
}

// MARK: - SQLite calls

extension HistoryJournal {
    /// Wraps `sqlite3_prepare_v3` with `SQLITE_PREPARE_PERSISTENT` (the statement lives as long as the journal).
    func prepare(_ sql: String, step: String = "prepare") throws(HistoryJournalError) -> OpaquePointer {
        var statement: OpaquePointer?
        let flags = UInt32(SQLITE_PREPARE_PERSISTENT)
        let code = sqlite3_prepare_v3(database, sql, Int32(sql.utf8.count), flags, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw failure(step, code) }
        return statement
    }

    /// Wraps `sqlite3_exec` for statements without results.
    func execute(_ sql: String, step: String) throws(HistoryJournalError) {
        let code = sqlite3_exec(database, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw failure(step, code) }
    }

    /// Wraps `sqlite3_step`: returns `SQLITE_ROW` or `SQLITE_DONE`, throws anything else.
    @discardableResult
    func step(_ statement: OpaquePointer?, _ step: String) throws(HistoryJournalError) -> Int32 {
        let code = sqlite3_step(statement)
        guard code == SQLITE_ROW || code == SQLITE_DONE else { throw failure(step, code) }
        return code
    }

    /// Steps a kept statement to its end, then resets it and clears its bindings for the next use.
    func run(_ statement: OpaquePointer?, _ step: String) throws(HistoryJournalError) {
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        try self.step(statement, step)
    }

    /// Wraps `sqlite3_bind_text`, which copies the bytes (`SQLITE_TRANSIENT`).
    func bind(_ value: String, to index: Int32, of statement: OpaquePointer?) {
        sqlite3_bind_text(statement, index, value, Int32(value.utf8.count), csqlite_transient())
    }

    /// Wraps `sqlite3_column_text`, reading `sqlite3_column_bytes` bytes as UTF-8.
    func text(_ statement: OpaquePointer?, _ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func failure(_ step: String, _ code: Int32) -> HistoryJournalError {
        HistoryJournalError(path: path, step: step, code: code, database: database)
    }
}
