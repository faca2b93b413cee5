import ChatProtocol

/// Cluster mode, the submitting side: a packet that changes shared state becomes a `.submit` action, and the
/// change happens when the log gives the entry back (`ChatHub+Applying.swift`). Packets that must not
/// overtake a connection's entries in flight are held, in order (docs/CLUSTER.md, "The message path").
extension ChatHub {
    /// Whether `session` belongs to this server: always on a single server, its owner's in cluster mode.
    func isOwn(_ session: Session) -> Bool {
        guard let cluster else { return true }
        return session.owner == cluster.node
    }

    /// Cluster mode: whether the connection has as many packets held as it may; the loop then takes no more of
    /// its frames, and so stops reading its socket, until they drain.
    public func isHoldingAllItMay(_ id: ClientID) -> Bool {
        (cluster?.held[id]?.count ?? 0) >= ClusterState.holdLimit
    }

    /// A packet in cluster mode: handled now if nothing it must follow is still in flight, else held.
    mutating func clusterReceive(_ payload: ArraySlice<UInt8>, from id: ClientID, into actions: inout [Action]) {
        if cluster?.held[id] != nil || !take(payload, from: id, into: &actions) {
            cluster?.held[id, default: HistoryDeque()].append(Array(payload))
        }
    }

    /// Handles one packet unless it must wait; returns false when it must.
    private mutating func take(_ payload: ArraySlice<UInt8>, from id: ClientID, into actions: inout [Action]) -> Bool {
        guard let cluster else { return false }
        let sessionID = sessionByConnection[id]
        // A connection with no session yet may always be answered: its hello is refused while paused.
        let waits =
            cluster.pending[id] != nil || cluster.quitting.contains(id) || (!cluster.reachable && sessionID != nil)
        guard !waits else { return false }
        if let sessionID, let session = sessions[sessionID], let change = Self.submission(payload) {
            if case .leave = change { self.cluster?.quitting.insert(id) }
            self.cluster?.inFlight[id, default: 0] += 1
            actions.append(
                .submit(ClusterEntry(node: cluster.node, session: session.id, connection: id, change: change)))
            return true
        }
        // Answered from the replica (who, rooms, history, ping, an error): only once the sender's own changes
        // are in it.
        guard cluster.inFlight[id] == nil else { return false }
        receive(payload, from: id, into: &actions)
        return true
    }

    /// The change a joined client's packet asks for, if it changes shared state and is well formed; anything
    /// else is answered locally, errors included, as on a single server.
    static func submission(_ payload: ArraySlice<UInt8>) -> ClusterEntry.Change? {
        guard let envelope = try? Envelope(payload: payload), let packet = try? ClientPacket(envelope: envelope)
        else { return nil }
        switch packet {
        case .chat(let message): return .chat(Sanitizer.forRelay(message))
        case .emote(let message): return .emote(Sanitizer.forRelay(message))
        case .dm(let to, let message): return .dm(to: to, message: Sanitizer.forRelay(message))
        case .join(let room, let after): return Names.isValid(room) ? .move(room: room, after: after) : nil
        case .leave: return .move(room: lobby, after: nil)
        case .nick(let nick): return Names.isValid(nick) ? .rename(nick) : nil
        case .quit: return .leave(.quit)
        default: return nil
        }
    }

    /// Hands the connection's held packets on, in order, as far as they may go now.
    mutating func drain(_ id: ClientID, into actions: inout [Action]) {
        while let payload = cluster?.held[id]?.first {
            guard take(payload[...], from: id, into: &actions) else { return }
            cluster?.held[id]?.removeFirst()
            if cluster?.held[id]?.isEmpty == true { cluster?.held[id] = nil }
        }
    }

    /// A checked `hello` in cluster mode: the `hello` script claims the nick (or takes back the session, given
    /// its token) and appends the entry; the connection waits for it, holding what it sends meanwhile.
    mutating func submitHello(
        nick: String, features: Features, options: ClientPacket.HelloOptions, from id: ClientID,
        into actions: inout [Action]
    ) {
        guard let cluster else { return }
        guard cluster.reachable else {
            let reason = "the chat is paused (its store is unreachable); try again shortly"
            return reject(id, .serverFull, reason, into: &actions)
        }
        var room = Self.lobby
        if features.contains(.rooms), let wanted = options.room {
            guard Names.isValid(wanted) else {
                return reject(id, .badRoom, "invalid room name: \(Sanitizer.excerpt(wanted))", into: &actions)
            }
            room = wanted
        }
        let token = features.contains(.resume) ? newToken() : nil
        self.cluster?.pending[id] = ClusterState.PendingHello(features: features, after: options.after, token: token)
        actions.append(
            .submit(
                ClusterEntry(
                    node: cluster.node, session: nil, connection: id, change: .hello(nick: nick, room: room),
                    token: token, offeredToken: options.resume)))
    }

    /// A script refused an entry: `nick_in_use` for a hello (error, close) or a rename (error); an entry for a
    /// session no longer this node's is dropped.
    mutating func refused(_ entry: ClusterEntry, _ code: ErrorCode, into actions: inout [Action]) {
        if case .restore = entry.change, code == .nickInUse, let session = entry.session {
            return evict(session, into: &actions)
        }
        guard let id = entry.connection, entry.node == cluster?.node else { return }
        switch entry.change {
        case .hello(let nick, _):
            guard cluster?.pending.removeValue(forKey: id) != nil else { return }
            let reason =
                code == .nickInUse
                ? "nick already in use: \(nick)" : "the chat is paused (its store is unreachable); try again shortly"
            return reject(id, code, reason, into: &actions)
        case .rename(let nick) where sessionByConnection[id] != nil:
            reject(id, code, "nick already in use: \(nick)", into: &actions)

        default:
            break
        }
        cluster?.settled(id)
        drain(id, into: &actions)
    }

    /// The store went away or came back: `info` clients are told; held packets go on once it is back.
    mutating func clusterReachable(_ reachable: Bool, into actions: inout [Action]) {
        guard cluster != nil, cluster?.reachable != reachable else { return }
        cluster?.reachable = reachable
        let text = reachable ? "chat resumed" : "chat is paused: the cluster's store is unreachable"
        if let frame = try? PacketEncoder.frame(.info(message: text)) {
            let members = sessions.values.compactMap(\.member).filter { $0.features.contains(.info) }
            if !members.isEmpty { actions.append(.deliver(Delivery(members: members, plain: frame))) }
        }
        guard reachable, let waiting = cluster?.held.keys else { return }
        for id in Array(waiting) { drain(id, into: &actions) }
    }
}
