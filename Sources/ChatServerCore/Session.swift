import ChatProtocol

/// A joined user: a nick in a room. It outlives its connection for the resume grace period.
struct Session {
    let id: SessionID
    var nick: String
    var nickKey: String
    var features: Features
    var roomKey: String
    /// The connection it is attached to; nil during the grace period.
    var connection: ClientID?
    /// The token that takes this session back (`welcome.resume`); nil for a client without `resume`.
    var resumeToken: String?
    /// The node that owns it, in cluster mode; empty on a single server.
    var owner = ""
    /// When the grace period of a detached session ends.
    var graceEnds: ContinuousClock.Instant?
    /// Recent direct messages to or from this session, for the replay on a resume; never written to disk.
    private(set) var directMessages: [ServerPacket] = []

    var member: Member? { connection.map { Member(id: $0, features: features) } }

    /// Keeps at most `limit` direct messages, the newest.
    mutating func remember(_ dm: ServerPacket, limit: Int) {
        guard limit > 0 else { return }
        directMessages.append(dm)
        if directMessages.count > limit * 2 { directMessages.removeFirst(directMessages.count - limit) }
    }

    /// The kept direct messages with an id above `id`, oldest first.
    func directMessages(after id: Int) -> [ServerPacket] {
        directMessages.filter { ($0.stamp?.id ?? 0) > id }
    }
}
