import ChatProtocol

/// Who is in the room this client is in, as far as the server has told it: kept from `who` replies, `join`,
/// `leave` (moves included) and `nick` renames, and started afresh on each entry into a room.
///
/// Pure state, owned by the receiver thread; nicks are compared by `Names.key` (NFC, lowercased) and keep
/// the spelling the server last sent. A packet whose `room` names another room is not about this one and
/// changes nothing; a packet without `room` (a base server, which has one room) is about this one.
public struct Roster: Equatable, Sendable {
    /// The room this is the roster of.
    public private(set) var room: String
    /// Spelling by key.
    private var members: [String: String] = [:]

    /// The roster of `room` before anyone is known.
    public init(room: String = "lobby") {
        self.room = room
    }

    /// The members in the protocol's list order (lowercased name, then Unicode scalars).
    public var nicks: [String] {
        members.values.sorted(by: Names.areInOrder)
    }

    /// Whether `nick` is known to be here.
    public func contains(_ nick: String) -> Bool {
        members[Names.key(nick)] != nil
    }

    /// This client entered `room` (its own `join`, a resumed `welcome`): only itself is known until the
    /// `who` reply.
    public mutating func enter(_ room: String, me: String) {
        self.room = room
        members = [Names.key(me): me]
    }

    /// A `who` reply: the whole list, if it is about this room. Returns whether it was.
    @discardableResult
    public mutating func replace(room: String, nicks: [String]) -> Bool {
        guard isHere(room) else { return false }
        members = Dictionary(nicks.map { (Names.key($0), $0) }, uniquingKeysWith: { _, last in last })
        return true
    }

    /// `join`: `nick` came into `room`.
    public mutating func joined(_ nick: String, room: String?) {
        guard isHere(room) else { return }
        members[Names.key(nick)] = nick
    }

    /// `leave`: `nick` left `room`, for good or to another room (`to`); either way not here any more.
    public mutating func left(_ nick: String, room: String?) {
        guard isHere(room) else { return }
        members[Names.key(nick)] = nil
    }

    /// `nick`: `old` is now known as `new` (the server sends it to the renamed one's room only).
    public mutating func renamed(_ old: String, to new: String) {
        guard members.removeValue(forKey: Names.key(old)) != nil else { return }
        members[Names.key(new)] = new
    }

    private func isHere(_ other: String?) -> Bool {
        other.map { Names.key($0) == Names.key(room) } ?? true
    }
}
