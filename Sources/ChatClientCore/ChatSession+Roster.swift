import ChatProtocol

/// The receiver thread's side of the roster (who is in this room) and of renames.
///
/// On each entry into a room (its own `join`, a resumed `welcome`) the client asks a server that has `who`
/// for the room's members itself. That reply is not shown on the first entry of a run: the assignment's
/// sample screen (the spec) has no such line, and its joins already say who came. On every later entry (a
/// `/join` or `/leave` move, a fresh hello after the server lost the session) it is shown, as
/// `*** in games: bo, pat`, except on a world server, whose description of each place names the players there.
/// A resume shows nothing (the room did not change). A server without `who` leaves
/// the roster to the joins, leaves and renames seen since entering.
extension ChatSession {
    /// Keeps the roster and the nick up to date with `packet`. Returns false for a packet not to show (the
    /// answer to a `who` the client asked for itself, unless the entry is to be announced).
    func track(_ packet: ServerPacket, _ connection: Connection, _ link: inout LinkContext, _ frontEnd: FrontEnd)
        -> Bool
    {
        let me = link.formatter.me
        switch packet {
        case .join(let nick, let room) where Names.key(nick) == Names.key(me):
            link.roster.enter(room ?? "lobby", me: me)
            askWho(announce: link.entries > 0, connection, &link)
            link.entries += 1
        case .welcome(let welcome) where welcome.resumed:
            link.roster.enter(welcome.room, me: me)
            askWho(announce: false, connection, &link)
        case .join(let nick, let room):
            link.roster.joined(nick, room: room)
        case .leave(let nick, let room, _):
            link.roster.left(nick, room: room)
        case .nick(let old, let new):
            link.roster.renamed(old, to: new)
            if Names.key(old) == Names.key(me) { renamed(to: new, &link, frontEnd) }
        case .who(let room, let nicks):
            let asked = link.pendingWho.isEmpty ? nil : link.pendingWho.removeFirst()
            let current = link.roster.replace(room: room, nicks: nicks)
            publish(link.roster, frontEnd)
            // The user's own `/who` is always shown.
            guard let asked else { return true }
            return asked && current
        default:
            return true
        }
        publish(link.roster, frontEnd)
        return true
    }

    /// Asks for the room's members, if the server answers `who`; the reply is shown when `announce` is true.
    private func askWho(announce: Bool, _ connection: Connection, _ link: inout LinkContext) {
        guard let features = state.withLock({ $0.serverFeatures }), features.contains(.who) else { return }
        // A failed send means the connection is going: the receiver sees that on its next read.
        guard (try? connection.send(.who)) != nil else { return }
        // A world server describes each place on arrival, the players there included ("Also here: …").
        link.pendingWho.append(announce && !features.contains(.world))
    }

    /// This client is now `new` (its own `nick` came back): own lines, mentions, the prompt, the status bar
    /// and the next hello (a resume or a fresh one) use it from here on.
    private func renamed(to new: String, _ link: inout LinkContext, _ frontEnd: FrontEnd) {
        link.formatter = DisplayFormatter(me: new)
        setStatus(frontEnd) { $0.nick = new }
    }

    /// Hands the members other than this client to the front end (nick completion) and to `state`.
    private func publish(_ roster: Roster, _ frontEnd: FrontEnd) {
        let changed = state.withLock { state in
            defer { state.roster = roster }
            return state.roster != roster
        }
        if changed { frontEnd.rosterChanged(roster.nicks.filter { Names.key($0) != Names.key(currentNick) }) }
    }

    /// The nick this client has now: the one it started with, or the last rename.
    public var currentNick: String {
        state.withLock { $0.status.nick }
    }
}
