import ChatProtocol

/// What the screen holds of the current room's history, for `history before` (PgUp past the top): the oldest
/// and newest message ids shown, whether a request is out, and whether the server said nothing older is
/// left. Pure; owned by the receiver thread.
struct OlderHistory: Sendable {
    /// How many messages one request asks for: a few screens.
    static let batchSize = 50

    /// The oldest room message shown in this room: the next request asks for messages below it.
    private(set) var oldestID: Int?
    /// The newest room message shown in this room.
    private(set) var newestID: Int?
    /// A request is out and unanswered.
    private(set) var isPending = false
    /// The server said nothing older is left (`complete: true`).
    private(set) var isComplete = false

    /// A message was shown, live or replayed: room messages move the bounds; direct messages are not room
    /// history.
    mutating func shown(_ packet: ServerPacket) {
        guard let stamp = packet.stamp else { return }
        if case .dm = packet { return }
        oldestID = min(oldestID ?? stamp.id, stamp.id)
        newestID = max(newestID ?? stamp.id, stamp.id)
    }

    /// Entered another room: its history is another one.
    mutating func enteredRoom() {
        self = OlderHistory()
    }

    /// `/clear`: nothing is shown any more, so the next request starts below the newest message, and brings
    /// back what was cleared.
    mutating func cleared() {
        if let newestID { oldestID = newestID + 1 }
        isComplete = false
    }

    /// The `before` for the next request, which is then out; nil while one is out, when nothing older is
    /// left, or when no message of this room has been shown (its backfill was empty: it has no history).
    mutating func nextRequest() -> Int? {
        guard !isPending, !isComplete, let oldestID else { return nil }
        isPending = true
        return oldestID
    }

    /// The answer arrived: `messages`, and whether they are the oldest there are.
    mutating func answered(_ messages: [ServerPacket], complete: Bool) {
        isPending = false
        isComplete = complete
        for message in messages {
            if let id = message.stamp?.id { oldestID = min(oldestID ?? id, id) }
        }
    }

    /// The connection ended or the request could not be sent: it is no longer out.
    mutating func requestLost() {
        isPending = false
    }
}
