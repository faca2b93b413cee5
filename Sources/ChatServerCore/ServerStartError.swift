import ChatSocket

/// Why a server could not start: its listener, or its history database. One line for the command line.
public enum ServerStartError: Error, CustomStringConvertible {
    case socket(SocketError)
    case history(HistoryJournalError)

    public var description: String {
        switch self {
        case .socket(let error): error.description
        case .history(let error): error.description
        }
    }
}
