import ChatProtocol

/// A validated world: its places and their exits, its items with where they start, and its characters.
///
/// Everything that refers to something else (an exit, an item's or a character's place, the start) has been
/// checked to exist, so the game never meets a dangling name. Keys are `Names.key` of the names: places,
/// items and characters match case-insensitively, like rooms and nicks.
public struct World: Sendable {
    /// The world's title, shown on arrival.
    public let title: String
    /// The key of the place where new players start.
    public let start: String
    /// Places by key.
    public let places: [String: Place]
    /// Items by key, in file order in `itemOrder`.
    public let items: [String: Item]
    public let itemOrder: [String]
    /// Characters by key, in file order in `characterOrder`.
    public let characters: [String: Character]
    public let characterOrder: [String]

    /// The longest text a world file may give a description or a line, so that every reply fits one frame.
    public static let maximumText = 1_000
    /// The largest world file read.
    public static let maximumFileSize = 1 << 20

    /// A place: a room of the chat with a description and exits.
    public struct Place: Sendable {
        /// The room name, as the file spells it.
        public let name: String
        public let description: String
        /// The key of the place each exit leads to.
        public let exits: [Direction: String]
    }

    /// Something in a place; `take` moves it into a player's inventory unless it is fixed.
    public struct Item: Sendable {
        /// One word, the name players use: `lamp`.
        public let name: String
        /// What `look` lists: `a brass lamp`.
        public let description: String
        /// What `examine` says.
        public let examine: String
        public let isTakeable: Bool
        /// The key of the place it starts in.
        public let start: String
    }

    /// A non-player character: it stays in its place, greets arrivals and answers `talk`.
    public struct Character: Sendable {
        public let name: String
        /// What `look` says of it: `Harriet the harbourmaster mends a net.`
        public let description: String
        /// The key of its place.
        public let place: String
        /// Said to the place when someone arrives; nil for a quiet one.
        public let greeting: String?
        /// Said in turn to whoever talks to it.
        public let lines: [String]
    }

    /// The items that start in each place, and the characters there, in file order.
    public func characters(in place: String) -> [Character] {
        characterOrder.compactMap { characters[$0] }.filter { $0.place == place }
    }

    /// The place's exits in the fixed order of `Direction.allCases`.
    public func exits(of place: String) -> [(Direction, String)] {
        guard let exits = places[place]?.exits else { return [] }
        return Direction.allCases.compactMap { direction in exits[direction].map { (direction, $0) } }
    }
}
