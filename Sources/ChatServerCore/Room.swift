/// A room: its name as its creator spelled it, its sessions, and the connected ones to deliver to.
struct Room {
    var name: String
    /// Every session in the room, connected or in its resume grace period: `who` and `rooms` count these.
    private(set) var sessions: Set<SessionID> = []
    /// The connected members, for the fan-out.
    private(set) var members: [Member] = []
    private var positions: [ClientID: Int] = [:]

    init(name: String) { self.name = name }

    var isEmpty: Bool { sessions.isEmpty }
    var count: Int { sessions.count }

    mutating func add(_ session: SessionID) {
        sessions.insert(session)
    }

    mutating func remove(_ session: SessionID) {
        sessions.remove(session)
    }

    mutating func connect(_ member: Member) {
        guard positions[member.id] == nil else { return }
        positions[member.id] = members.count
        members.append(member)
    }

    /// Swap-removes, so leaving a room of ten thousand costs O(1).
    mutating func disconnect(_ id: ClientID) {
        guard let index = positions.removeValue(forKey: id) else { return }
        let last = members.removeLast()
        if index < members.count {
            members[index] = last
            positions[last.id] = index
        }
    }
}
