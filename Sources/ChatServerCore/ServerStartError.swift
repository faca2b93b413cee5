import ChatSocket
import ChatTLS

/// Why a server could not start: its listener, or its history database. One line for the command line.
public enum ServerStartError: Error, CustomStringConvertible {
    case socket(SocketError)
    case history(HistoryJournalError)
    case tls(TLSError)

    public var description: String {
        switch self {
        case .socket(let error): error.description
        case .history(let error): error.description
        case .tls(let error): error.description
        }
    }
}
