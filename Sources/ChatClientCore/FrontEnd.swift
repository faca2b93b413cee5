/// A user interface over a chat session: the plain line mode or the curses screen.
///
/// `start`, `readLine` and `stop` are called on the input thread only; `show`, `update` and
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
    /// The server is gone: `readLine` should end (the curses screen waits for a key first).
    func connectionClosed()
    /// Give the terminal back; called on every exit path after `start`.
    func stop()
}

/// What a status bar shows.
public struct SessionStatus: Equatable, Sendable {
    /// `host:port` as given.
    public var server: String
    /// This client's nick.
    public var nick: String
    /// The room the client is in.
    public var room: String
    /// Whether the connection is still up.
    public var isConnected: Bool

    public init(server: String, nick: String, room: String, isConnected: Bool) {
        self.server = server
        self.nick = nick
        self.room = room
        self.isConnected = isConnected
    }

    /// `pat@localhost:9999 in lobby`, or `… disconnected`.
    public var summary: String {
        "\(nick)@\(server) " + (isConnected ? "in \(room)" : "disconnected")
    }
}
