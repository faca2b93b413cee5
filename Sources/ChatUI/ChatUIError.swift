/// Why the terminal UI could not start.
public enum ChatUIError: Error, Equatable, CustomStringConvertible {
    /// `newterm(3X)` failed: standard input or output is not a terminal, or `TERM` names no known terminal.
    case terminalUnavailable(term: String)
    /// `pipe(2)` or `fcntl(2)` failed with this errno: no wake-up pipe, so output could not reach the screen.
    case wakePipeFailed(errno: Int32)

    /// One line for the user, e.g. `cannot open the terminal (TERM=dumb)`.
    public var description: String {
        switch self {
        case .terminalUnavailable(let term): "cannot open the terminal (TERM=\(term))"
        case .wakePipeFailed(let errno): "cannot create a wake-up pipe (errno \(errno))"
        }
    }
}
