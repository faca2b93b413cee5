/// How the UI shows one line of output.
public struct MessageStyle: Sendable, Hashable {
    /// The nick the line begins with; that prefix is drawn in the nick's colour (stable per nick).
    /// Ignored when the line does not begin with it.
    public var nick: String?
    /// The line is the user's own message: drawn bold.
    public var isOwn: Bool
    /// The line mentions the user's nick: drawn highlighted (reverse video).
    public var isMention: Bool
    /// The line is a local or server notice (`*** ...`): drawn dim.
    public var isNotice: Bool
    /// The line is a direct message (`leslie -> pat: …`, either direction): its text after the nick is drawn
    /// in the direct-message colour (underlined without colours).
    public var isDirectMessage: Bool
    /// The line was replayed from the server's history (`replay`), not said just now: it never alerts.
    public var isReplay: Bool
    /// A time shown before the text (`12:04`), one space apart; the nick then follows it.
    public var stamp: String?

    /// A style; every flag defaults to off.
    public init(
        nick: String? = nil, isOwn: Bool = false, isMention: Bool = false, isNotice: Bool = false, stamp: String? = nil,
        isDirectMessage: Bool = false, isReplay: Bool = false
    ) {
        self.nick = nick
        self.isOwn = isOwn
        self.isMention = isMention
        self.isNotice = isNotice
        self.isDirectMessage = isDirectMessage
        self.isReplay = isReplay
        self.stamp = stamp
    }

    /// No colour, no highlight.
    public static let plain = MessageStyle()
    /// A notice line (`*** leslie has joined the chat`).
    public static let notice = MessageStyle(isNotice: true)
}
