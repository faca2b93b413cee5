/// A user interface over a chat session: the plain line mode or the curses screen.
///
/// `start`, `readLine`, `keepDraft` and `stop` are called on the input thread only; `show`, `update` and
/// `connectionClosed` may come from the receiver thread at any time.
public protocol FrontEnd: AnyObject, Sendable {
    /// The connection is up; take over the terminal. Throws when the terminal cannot be used.
    func start() throws
    /// The next line the user entered, without its newline; nil at end of input.
    func readLine(prompt: String) -> String?
    /// Shows one line.
    func show(_ line: DisplayLine)
    /// The session's state changed (room, connection).
    func update(_ status: SessionStatus)
    /// The session is over by itself (gave up reconnecting, rejected): `readLine` should end (the curses
    /// screen waits for a key first).
    func connectionClosed()
    /// Give the terminal back; called on every exit path after `start`.
    func stop()
    /// Whether a line typed while disconnected waits, unread input and all, until the link is back (plain
    /// mode: a script's lines are held, not lost); else the session gives it back with `keepDraft(_:)`.
    var holdsInputWhileDisconnected: Bool { get }
    /// Puts `text` back on the input line for the next `readLine` (a line that could not be sent).
    func keepDraft(_ text: String)
    /// Whether `ask(_:hidden:)` can put a question to the user (the curses screen); a script cannot answer.
    var canAsk: Bool { get }
    /// Asks `question` on the input line and returns the answer, nil if the user gave none (Ctrl-C, end of
    /// input). `hidden` answers (a password) are not shown and not kept in the input history. Input thread
    /// only, after `start`.
    func ask(_ question: String, hidden: Bool) -> String?
    /// `/timestamps`: turns the time before shown lines on, off (`on` false) or the other way round (nil).
    func setTimestamps(_ on: Bool?)
    /// Sets what to call when the user scrolls up past the oldest line shown (curses: PgUp at the top), to
    /// load older messages; called before `start`. The handler is quick and safe from any thread.
    func whenOlderLinesWanted(_ handler: @escaping @Sendable () -> Void)
    /// Shows lines older than every line shown, above them (oldest first), leaving the view where it is: the
    /// answer to the handler of `whenOlderLinesWanted(_:)`. Not new lines: no unread marker, no alert.
    func showOlder(_ lines: [DisplayLine])
    /// Empties the output (`/clear`).
    func clear()
    /// The members of this client's room other than itself changed, in the protocol's list order (the
    /// candidates for nick completion). May come from the receiver thread at any time.
    func rosterChanged(_ others: [String])
}

extension FrontEnd {
    public var holdsInputWhileDisconnected: Bool { true }
    public func keepDraft(_ text: String) {}
    public var canAsk: Bool { false }
    public func ask(_ question: String, hidden: Bool) -> String? { nil }
    public func setTimestamps(_ on: Bool?) { show(.notice("*** timestamps are not available here")) }
    /// A front end without scrolling never asks for older lines.
    public func whenOlderLinesWanted(_ handler: @escaping @Sendable () -> Void) {}
    public func showOlder(_ lines: [DisplayLine]) {
        for line in lines { show(line) }
    }
    /// Plain mode has no pane to clear: its lines are already written.
    public func clear() {}
    public func rosterChanged(_ others: [String]) {}
}

/// What a status bar shows.
public struct SessionStatus: Equatable, Sendable {
    /// The state of the link to the server.
    public enum Link: Equatable, Sendable {
        /// `hello` is sent, no answer yet.
        case connecting
        /// The server has answered.
        case connected
        /// Disconnected: attempt `attempt` in `seconds` (0: trying now).
        case reconnecting(seconds: Int, attempt: Int)
        /// Over: no more attempts.
        case disconnected
    }

    /// `host:port` as given.
    public var server: String
    /// This client's nick.
    public var nick: String
    /// The room the client is in.
    public var room: String
    /// The link's state.
    public var link: Link

    public init(server: String, nick: String, room: String, link: Link) {
        self.server = server
        self.nick = nick
        self.room = room
        self.link = link
    }

    /// The input line's prompt: `pat> `.
    public var prompt: String { "\(nick)> " }

    /// Whether the connection is up.
    public var isConnected: Bool { link == .connected }

    /// `pat@localhost:9999 in lobby`, `… reconnecting in 4 s (attempt 3)`, or `… disconnected`.
    public var summary: String {
        let state =
            switch link {
            case .connecting: "connecting"
            case .connected: "in \(room)"
            case .reconnecting(0, let attempt): "reconnecting now (attempt \(attempt))"
            case .reconnecting(let seconds, let attempt): "reconnecting in \(seconds) s (attempt \(attempt))"
            case .disconnected: "disconnected"
            }
        return "\(nick)@\(server) \(state)"
    }
}
