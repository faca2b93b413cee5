import ChatProtocol

/// Cluster mode, the applying side: every node applies every entry of the log, in the log's order, to its
/// replica, through the same functions a single server calls when a packet arrives. Deliveries go to this
/// node's members only; replies and errors to a sender only from the node that owns its connection.
extension ChatHub {
    mutating func apply(_ entry: ClusterEntry, id: Int, into actions: inout [Action]) {
        guard let cluster else { return }
        history.advance(to: id - 1)
        let own = entry.node == cluster.node
        switch entry.change {
        case .hello(let nick, let room):
            applyHello(entry, nick: nick, room: room, id: id, into: &actions)
        case .resume:
            applyResume(entry, into: &actions)
        case .restore(let nick, let room):
            applyRestore(entry, nick: nick, room: room, id: id, into: &actions)
        case .chat(let message):
            if let session = session(of: entry) { relay(.chat, message, session, logID: id, into: &actions) }
        case .emote(let message):
            if let session = session(of: entry) { relay(.emote, message, session, logID: id, into: &actions) }
        case .dm(let to, let message):
            if let session = session(of: entry) {
                directMessage(to: to, message: message, session, logID: id, into: &actions)
            }
        case .move(let room, let after):
            if let session = session(of: entry) { move(session, to: room, after: own ? after : nil, into: &actions) }
        case .rename(let nick):
            if let session = session(of: entry) { performRename(session, to: nick, into: &actions) }
        case .leave(let reason):
            let connection = entry.session.flatMap { sessions[$0]?.connection }
            if let sessionID = entry.session { end(sessionID, into: &actions) }
            if reason == .quit, own, let quitter = entry.connection ?? connection {
                actions.append(.close(quitter))
            } else if let connection {
                // A session ended under a live connection of this node: reaped while the node lives (its lease
                // ran out in a stall), or a grace period that ended as its client came back. The client must
                // not stay on a connection without a session: it reconnects and starts again.
                actions.append(.close(connection))
                self.cluster?.forget(connection)
            }
        }
        switch entry.change {
        case .hello, .resume, .restore:
            if own, let connection = entry.connection { drain(connection, into: &actions) }
        default:
            if own, let connection = entry.connection {
                self.cluster?.settled(connection)
                drain(connection, into: &actions)
            }
        }
    }

    private func session(of entry: ClusterEntry) -> Session? {
        entry.session.flatMap { sessions[$0] }
    }

    /// A new session; on its own node the pending connection gets it. A hello whose connection went away while
    /// it was pending ends again at once.
    private mutating func applyHello(
        _ entry: ClusterEntry, nick: String, room: String, id: Int, into actions: inout [Action]
    ) {
        guard let cluster else { return }
        let key = Names.key(nick)
        var pending: ClusterState.PendingHello?
        if entry.node == cluster.node, let connection = entry.connection {
            pending = self.cluster?.pending.removeValue(forKey: connection)
        }
        // The log's nick claims make a held nick impossible, unless the store lost its data and this hello
        // came before the holder's restore: the later claim loses, on every node alike.
        if let holder = sessionByNick[key] { evict(holder, into: &actions) }
        var session = Session(
            id: SessionID(rawValue: UInt64(id)), nick: nick, nickKey: key, features: pending?.features ?? [],
            roomKey: Names.key(room), connection: pending == nil ? nil : entry.connection, resumeToken: pending?.token)
        session.owner = entry.node
        start(session, in: room, after: pending?.after, into: &actions)
        if entry.node == cluster.node && pending == nil { finish(session.id, .gone, into: &actions) }
    }

    /// The session moves to the entry's node: its old node closes the old connection silently, its new node
    /// attaches the pending connection and replays what the client missed. Nobody else sees anything.
    private mutating func applyResume(_ entry: ClusterEntry, into actions: inout [Action]) {
        guard let cluster, let sessionID = entry.session, var session = sessions[sessionID] else { return }
        if let old = session.connection {
            sessionByConnection[old] = nil
            rooms[session.roomKey]?.disconnect(old)
            actions.append(.close(old))
            self.cluster?.forget(old)
        }
        session.connection = nil
        session.graceEnds = nil
        session.owner = entry.node
        sessions[sessionID] = session
        guard entry.node == cluster.node, let connection = entry.connection else { return }
        guard let pending = self.cluster?.pending.removeValue(forKey: connection) else {
            return finish(sessionID, .gone, into: &actions)
        }
        attach(
            session, to: connection, features: pending.features, token: pending.token, after: pending.after,
            into: &actions)
    }

    /// After the store lost its data: a session the replica has already is confirmed silently; a new one is
    /// entered as by a hello.
    private mutating func applyRestore(
        _ entry: ClusterEntry, nick: String, room: String, id: Int, into actions: inout [Action]
    ) {
        guard let sessionID = entry.session else { return }
        cluster?.unconfirmed.remove(sessionID)
        if sessions[sessionID] != nil {
            sessions[sessionID]?.owner = entry.node
            return
        }
        var session = Session(
            id: sessionID, nick: nick, nickKey: Names.key(nick), features: [], roomKey: Names.key(room),
            connection: nil)
        session.owner = entry.node
        guard sessionByNick[session.nickKey] == nil else { return }
        start(session, in: room, after: nil, into: &actions)
    }
}
