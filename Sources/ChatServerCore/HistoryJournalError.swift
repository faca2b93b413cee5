import CSQLite
import SystemPackage

/// Why `HistoryJournal` failed: the database path, the step it was at, and SQLite's own message, printed as
/// `history database /var/chat/history.db: open: unable to open database file (No such file or directory)`.
public struct HistoryJournalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kinds of failure a caller or an operator tells apart.
    public enum Reason: Equatable, Sendable {
        /// The file cannot be opened or created (`SQLITE_CANTOPEN`): a missing or unwritable directory.
        case cannotOpen
        /// The file exists but is not an SQLite database (`SQLITE_NOTADB`).
        case notADatabase
        /// Another connection holds the write lock (`SQLITE_BUSY`, `SQLITE_LOCKED`); the journal never waits.
        case locked
        /// The file's schema (`PRAGMA user_version`) is newer than this server's.
        case newerSchema
        /// Anything else SQLite reported (a full disk, an I/O error, a corrupt file).
        case failed
    }

    /// The database path as given.
    public var path: String
    /// What the journal was doing: `open`, `set WAL mode`, `create schema`, `insert`, `commit`, ...
    public var step: String
    /// The kind of failure.
    public var reason: Reason
    /// SQLite's extended result code, or `SQLITE_ERROR` for the journal's own checks.
    public var code: Int32
    /// SQLite's message (`sqlite3_errmsg`), with the system error when it has one.
    public var message: String

    public init(path: String, step: String, reason: Reason, code: Int32, message: String) {
        self.path = path
        self.step = step
        self.reason = reason
        self.code = code
        self.message = message
    }

    public var description: String { "history database \(path): \(step): \(message)" }
}

extension HistoryJournalError {
    /// The error for result `code` on connection `database` (`sqlite3_errmsg`, `sqlite3_system_errno`).
    init(path: String, step: String, code: Int32, database: OpaquePointer?) {
        var message = database.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        let systemError = database.map { sqlite3_system_errno($0) } ?? 0
        if systemError != 0 { message += " (\(Errno(rawValue: systemError).description))" }
        let reason: Reason =
            switch code & 0xff {
            case SQLITE_CANTOPEN: .cannotOpen
            case SQLITE_NOTADB: .notADatabase
            case SQLITE_BUSY, SQLITE_LOCKED: .locked
            default: .failed
            }
        self.init(path: path, step: step, reason: reason, code: code, message: message)
    }
}
