/// One change of the cluster's shared state, as a node submits it and as every node applies it from the log
/// (docs/CLUSTER.md, "Entries"). The log adds its id and time; nothing here is applied before that.
public struct ClusterEntry: Equatable, Sendable {
    /// Why a session ended.
    public enum LeaveReason: String, Sendable {
        /// The client said `quit`.
        case quit
        /// Its connection ended without a resume, or its grace period ran out.
        case gone
        /// Its node's lease ran out.
        case reaped
    }

    /// What changes.
    public enum Change: Equatable, Sendable {
        /// A new session, in `room` (the spelling of the hello, or `lobby`).
        case hello(nick: String, room: String)
        /// The session moves to `connection` on `node`.
        case resume
        case chat(String)
        case emote(String)
        case dm(to: String, message: String)
        /// A room move; `after` is the mover's `join.after`, used only by its own node.
        case move(room: String, after: Int?)
        case rename(String)
        case leave(LeaveReason)
        /// After Redis lost its data: the session exists as stated, owned by `node`.
        case restore(nick: String, room: String)
    }

    /// The node that submitted it; for `hello`, `resume` and `restore`, the session's owner from then on.
    public var node: String
    /// The session it concerns; nil for a `hello`, whose id is the entry's own.
    public var session: SessionID?
    /// The connection on `node` it came from, if any.
    public var connection: ClientID?
    public var change: Change
    /// For the scripts only, never written to the log: the session's new resume token (hello, resume, restore)
    /// and the token a resuming hello offers.
    public var token: String?
    public var offeredToken: String?

    public init(
        node: String, session: SessionID?, connection: ClientID?, change: Change, token: String? = nil,
        offeredToken: String? = nil
    ) {
        self.node = node
        self.session = session
        self.connection = connection
        self.change = change
        self.token = token
        self.offeredToken = offeredToken
    }

    /// The kind as the log's `k` field writes it.
    public var kind: String {
        switch change {
        case .hello: "hello"
        case .resume: "resume"
        case .chat: "chat"
        case .emote: "emote"
        case .dm: "dm"
        case .move: "move"
        case .rename: "nick"
        case .leave: "leave"
        case .restore: "restore"
        }
    }
}

// MARK: - Stream fields

extension ClusterEntry {
    /// The stream fields, name and value in turn, without `s` and `t`, which the script adds.
    public var fields: [String] {
        var fields = ["k", kind, "o", node]
        if let session { fields += ["sid", String(session.rawValue)] }
        if let connection { fields += ["c", "\(connection.slot).\(connection.generation)"] }
        switch change {
        case .hello(let nick, let room), .restore(let nick, let room): fields += ["nick", nick, "room", room]
        case .resume: break
        case .chat(let message), .emote(let message): fields += ["m", message]
        case .dm(let to, let message): fields += ["to", to, "m", message]
        case .move(let room, let after): fields += ["room", room, "a", after.map(String.init) ?? ""]
        case .rename(let nick): fields += ["nick", nick]
        case .leave(let reason): fields += ["why", reason.rawValue]
        }
        return fields
    }

    /// Reads an entry back from the log's fields, with the id (`s`) and time (`t`) the script gave it; nil for
    /// anything malformed, which a node skips (and logs) rather than apply half.
    public static func parse(_ fields: [String: String]) -> (entry: ClusterEntry, id: Int, time: Int64)? {
        guard let kind = fields["k"], let node = fields["o"], let id = fields["s"].flatMap({ Int($0) }),
            let time = fields["t"].flatMap({ Int64($0) })
        else { return nil }
        let session = fields["sid"].flatMap { UInt64($0) }.map(SessionID.init(rawValue:))
        var connection: ClientID?
        if let text = fields["c"] {
            let parts = text.split(separator: ".")
            guard parts.count == 2, let slot = Int32(parts[0]), let generation = UInt32(parts[1]), slot >= 0,
                generation > 0
            else { return nil }
            connection = ClientID(slot: slot, generation: generation)
        }
        guard let change = change(kind, fields) else { return nil }
        // Every kind but hello names its session; a hello's session is the entry's own id.
        if case .hello = change {} else if session == nil { return nil }
        return (ClusterEntry(node: node, session: session, connection: connection, change: change), id, time)
    }

    private static func change(_ kind: String, _ fields: [String: String]) -> Change? {
        switch kind {
        case "hello", "restore":
            guard let nick = fields["nick"], let room = fields["room"] else { return nil }
            return kind == "hello" ? .hello(nick: nick, room: room) : .restore(nick: nick, room: room)
        case "resume": return .resume
        case "chat": return fields["m"].map(Change.chat)
        case "emote": return fields["m"].map(Change.emote)
        case "dm":
            guard let to = fields["to"], let message = fields["m"] else { return nil }
            return .dm(to: to, message: message)
        case "move":
            guard let room = fields["room"] else { return nil }
            return .move(room: room, after: fields["a"].flatMap { Int($0) })
        case "nick": return fields["nick"].map(Change.rename)
        case "leave": return fields["why"].flatMap(LeaveReason.init(rawValue:)).map(Change.leave)
        default: return nil
        }
    }
}
