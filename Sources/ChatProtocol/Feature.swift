/// The protocol extensions a client announces in `hello.features`.
public struct Features: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// `dm`: direct messages arrive as `dm` packets rather than downgraded `chat`.
    public static let dm = Features(rawValue: 1 << 0)
    /// `emote`: emotes arrive as `emote` packets rather than downgraded `chat`.
    public static let emote = Features(rawValue: 1 << 1)
    /// `who`: the client understands `who` replies.
    public static let who = Features(rawValue: 1 << 2)
    /// `rooms`: the client understands `rooms` replies.
    public static let rooms = Features(rawValue: 1 << 3)
    /// `info`: the client shows `info` notices.
    public static let info = Features(rawValue: 1 << 4)

    /// `welcome`: the first packet after a successful `hello` is `welcome`.
    public static let welcome = Features(rawValue: 1 << 5)
    /// `history`: relayed messages carry `id` and `time`, and rooms are replayed on entry.
    public static let history = Features(rawValue: 1 << 6)
    /// `resume`: the session outlives its connection for the grace period and can be taken back with a token.
    public static let resume = Features(rawValue: 1 << 7)
    /// `ping`: either side may send `ping` and expects `pong`.
    public static let ping = Features(rawValue: 1 << 8)
    /// `nick`: renames arrive as `nick` packets rather than downgraded `chat`.
    public static let nick = Features(rawValue: 1 << 9)
    /// `world`: the server runs a world (world mode), and takes chat text that starts with `/` as a command.
    public static let world = Features(rawValue: 1 << 10)

    /// The first set of extensions.
    public static let all: Features = [.dm, .emote, .who, .rooms, .info]
    /// The session extensions (PROTOCOL.md "Session extensions").
    public static let session: Features = [.welcome, .history, .resume, .ping, .nick]

    private static let named: [(String, Features)] = [
        ("dm", .dm), ("emote", .emote), ("who", .who), ("rooms", .rooms), ("info", .info),
        ("welcome", .welcome), ("history", .history), ("resume", .resume), ("ping", .ping), ("nick", .nick),
        ("world", .world),
    ]

    /// Builds the set from wire names, ignoring the ones it does not know.
    public init(names: [String]) {
        self = []
        for name in names {
            if let feature = Self.named.first(where: { $0.0 == name })?.1 { insert(feature) }
        }
    }

    /// The wire names of the members, in a fixed order.
    public var names: [String] {
        Self.named.filter { contains($0.1) }.map(\.0)
    }
}
