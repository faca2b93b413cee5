/// The protocol extensions a client announces in `hello.features`.
public struct Features: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

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

    /// Every extension this implementation knows, in the order our client announces them.
    public static let all: Features = [.dm, .emote, .who, .rooms, .info]

    private static let named: [(String, Features)] = [
        ("dm", .dm), ("emote", .emote), ("who", .who), ("rooms", .rooms), ("info", .info),
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
