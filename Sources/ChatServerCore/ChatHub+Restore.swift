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
}
