import ChatProtocol

/// Cluster mode after the store came back without its data (docs/CLUSTER.md, "Failure behaviour"): each node
/// restores its own sessions; a claim that lost to an earlier one in the new log ends its session.
extension ChatHub {
    /// Submits a `restore` for each session of this node, and starts counting the others as unconfirmed.
    mutating func restoreSessions(into actions: inout [Action]) {
        guard let cluster else { return }
        let others = Set(sessions.values.filter { $0.owner != cluster.node }.map(\.id))
        self.cluster?.unconfirmed = others
        for session in sessions.values.filter(isOwn).sorted(by: { $0.id.rawValue < $1.id.rawValue }) {
            let room = rooms[session.roomKey]?.name ?? Self.lobby
            actions.append(
                .submit(
                    ClusterEntry(
                        node: cluster.node, session: session.id, connection: session.connection,
                        change: .restore(nick: session.nick, room: room), token: session.resumeToken)))
        }
    }

    /// Ends the sessions of other nodes that no `restore` confirmed: their node died while the store was away.
    mutating func dropUnrestored(into actions: inout [Action]) {
        guard let unconfirmed = cluster?.unconfirmed else { return }
        cluster?.unconfirmed = []
        for sessionID in unconfirmed.sorted(by: { $0.rawValue < $1.rawValue }) { end(sessionID, into: &actions) }
    }

    /// A session whose nick another session claimed first: ended here; its own client hears `nick_in_use`.
    mutating func evict(_ sessionID: SessionID, into actions: inout [Action]) {
        guard let session = sessions[sessionID] else { return }
        if let id = session.connection {
            send(.error(code: .nickInUse, message: "nick already in use: \(session.nick)"), to: id, into: &actions)
            actions.append(.close(id))
            cluster?.forget(id)
        }
        end(sessionID, into: &actions)
    }

    /// Loads the cluster as it was at this node's start: its sessions silently, its recent history.
    mutating func load(_ snapshot: ClusterSnapshot, into actions: inout [Action]) {
        for record in snapshot.sessions.sorted(by: { $0.id.rawValue < $1.id.rawValue }) {
            let key = Names.key(record.nick)
            guard sessions[record.id] == nil, sessionByNick[key] == nil else { continue }
            var session = Session(
                id: record.id, nick: record.nick, nickKey: key, features: [], roomKey: Names.key(record.room),
                connection: nil)
            session.owner = record.node
            sessions[record.id] = session
            sessionByNick[key] = record.id
            _ = admit(session, to: record.room)
        }
        for entry in snapshot.history.sorted(by: { $0.id < $1.id }) where entry.id > history.lastID {
            let room = rooms[entry.roomKey]?.name ?? entry.room
            history.append(
                roomKey: entry.roomKey, room: room, kind: entry.kind, nick: entry.nick, message: entry.message,
                time: entry.time, id: entry.id)
        }
    }
}
