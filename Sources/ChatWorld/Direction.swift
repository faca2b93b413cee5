/// A way out of a place: the four compass points, up and down.
public enum Direction: String, CaseIterable, Sendable {
    case north, south, east, west, up, down

    /// Reads `north` or `n` (any case); nil for anything else.
    public init?(word: String) {
        guard word.utf8.count <= 5 else { return nil }
        let lowered = word.lowercased()
        if let direction = Direction(rawValue: lowered) {
            self = direction
        } else if let direction = Direction.allCases.first(where: { String($0.rawValue.prefix(1)) == lowered }) {
            self = direction
        } else {
            return nil
        }
    }

    /// The direction back.
    public var opposite: Direction {
        switch self {
        case .north: .south
        case .south: .north
        case .east: .west
        case .west: .east
        case .up: .down
        case .down: .up
        }
    }

    /// How others see someone go this way: `leaves north`, `goes up`.
    public var departure: String {
        switch self {
        case .up, .down: "goes \(rawValue)"
        default: "leaves \(rawValue)"
        }
    }

    /// How others see someone arrive who went this way: `arrives from the south`, `arrives from below`.
    public var arrival: String {
        switch self {
        case .up: "arrives from below"
        case .down: "arrives from above"
        default: "arrives from the \(opposite.rawValue)"
        }
    }

    /// The words a world file and a player may use, for messages.
    public static let spelling = "north, south, east, west, up or down (or n, s, e, w, u, d)"
}
