import ChatProtocol
import ChatText

/// One line for the screen, made from a received packet, with what a front end needs to style it.
public struct DisplayLine: Equatable, Sendable {
    /// What kind of line it is.
    public enum Kind: Equatable, Sendable {
        /// `nick: text`, from a `chat`.
        case chat
        /// `pat -> chris: text`
        case directMessage
        /// `[pat waves]`
        case emote
        /// A `***` line: joins, leaves, info, replies, local notices.
        case notice
        /// `*** error: …`
        case error
    }

    /// The text exactly as shown, sanitized.
    public var text: String
    public var kind: Kind
    /// The sender whose name starts the line, for colouring; nil for notices.
    public var nick: String?
    /// The line came from this client's own nick.
    public var isOwn: Bool
    /// Someone else's line that names this client's nick.
    public var isMention: Bool
    /// The server's `time` for a message (RFC 3339 UTC with milliseconds), for a server with `history`;
    /// nil for notices and for servers without it. Shown (as local time) with timestamps on.
    public var time: String?
    /// The message was replayed from the server's history (`replay: true`), not said just now: a front end
    /// does not alert for it.
    public var isReplay: Bool
    /// The local time shown before the text (`12:04`) with timestamps on (`Timestamper`), else nil.
    public var stamp: String?

    public init(
        text: String, kind: Kind, nick: String? = nil, isOwn: Bool = false, isMention: Bool = false,
        time: String? = nil, isReplay: Bool = false
    ) {
        self.text = text
        self.kind = kind
        self.nick = nick
        self.isOwn = isOwn
        self.isMention = isMention
        self.time = time
        self.isReplay = isReplay
    }

    /// The line as a line of text shows it: `12:04 pat: hi` with a stamp, else `text`.
    public var shownText: String {
        stamp.map { "\($0) \(text)" } ?? text
    }

    /// A local `***` notice.
    public static func notice(_ text: String) -> DisplayLine {
        DisplayLine(text: DisplaySanitizer.sanitized(text), kind: .notice)
    }
}
