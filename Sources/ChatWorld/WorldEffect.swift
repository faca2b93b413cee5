/// What a world command makes happen, for the hub to carry out in order.
public enum WorldEffect: Equatable, Sendable {
    /// A line of text for `audience`.
    case tell(WorldAudience, String)
    /// The player moves from one place to another: the hub moves its session between the rooms.
    case move(from: String, to: String)
    /// The player says this in its place, as a chat.
    case say(String)
}

/// Who hears a world line.
public enum WorldAudience: Equatable, Sendable {
    /// The player who gave the command.
    case player
    /// Everyone in the place (by key), the player included.
    case place(String)
    /// Everyone in the place but the player.
    case othersIn(String)
}
