import ChatProtocol

extension ChatHub {
    // MARK: - hello

    mutating func hello(_ envelope: Envelope, from id: ClientID, into actions: inout [Action]) {
        let nick: String
        let features: Features
        let options: ClientPacket.HelloOptions
        do {
            guard case .hello(let name, let announced, let extra) = try ClientPacket(envelope: envelope) else { return }
            (nick, features, options) = (name, announced, extra)
        } catch {
            return reject(id, error.code, error.explanation, into: &actions)
        }
        // Checked first, so that a client without the password learns nothing, not even whether a nick is taken.
        if let password = configuration.password {
            guard let given = options.password, Self.constantTimeEqual(given, password) else {
                let reason = options.password == nil ? "this server needs a password" : "wrong password"
                return reject(id, .badPassword, reason, into: &actions)
            }
        }
        guard Names.isValid(nick) else {
            return reject(id, .badNick, "invalid nick: \(Sanitizer.excerpt(nick))", into: &actions)
        }
        let key = Names.key(nick)
        if cluster != nil {
            return submitHello(nick: nick, features: features, options: options, from: id, into: &actions)
        }
        if let existing = sessionByNick[key] {
            if let token = options.resume, let session = sessions[existing], let expected = session.resumeToken,
                Self.constantTimeEqual(token, expected)
            {
                let token = features.contains(.resume) ? newToken() : nil
                return attach(session, to: id, features: features, token: token, after: options.after, into: &actions)
            }
            return reject(id, .nickInUse, "nick already in use: \(nick)", into: &actions)
        }
        var room = Self.lobby
        if features.contains(.rooms), let wanted = options.room {
            guard Names.isValid(wanted) else {
                return reject(id, .badRoom, "invalid room name: \(Sanitizer.excerpt(wanted))", into: &actions)
            }
            room = wanted
        }
        // In world mode a player is where it was last, or at the start; a hello's room does not move it.
        if let place = world?.enter(key, nick: nick), let name = world?.world.places[place]?.name { room = name }
        let session = Session(
            id: newSessionID(), nick: nick, nickKey: key, features: features, roomKey: Names.key(room),
            connection: id, resumeToken: features.contains(.resume) ? newToken() : nil)
        start(session, in: room, after: options.after, into: &actions)
    }

    /// Enters a new session in the chat: on its own connection, if it has one here, `welcome`, the replay and
    /// `info`; its room hears `join`. Cluster mode calls it for every node's sessions.
    mutating func start(_ session: Session, in room: String, after: Int?, into actions: inout [Action]) {
        sessions[session.id] = session
        sessionByNick[session.nickKey] = session.id
        if let id = session.connection {
            sessionByConnection[id] = session.id
            actions.append(.note(.joined(id, nick: session.nick, features: session.features)))
        }
        let roomName = admit(session, to: room)
        sendWelcome(session, room: roomName, resumed: false, into: &actions)
        replay(to: session, after: after, into: &actions)
        announceJoin(session, into: &actions)
        if let id = session.connection, session.features.contains(.info) {
            send(.info(message: configuration.welcome), to: id, into: &actions)
        }
        if let lines = world?.look(for: session.nickKey) {
            for line in lines { tell(.player, line, session, into: &actions) }
        }
    }

    /// Takes a session back on a new connection: no `leave` or `join` for anyone; a half-open old connection is
    /// closed without a word.
    mutating func attach(
        _ found: Session, to id: ClientID, features: Features, token: String?, after: Int?,
        into actions: inout [Action]
    ) {
        var session = found
        if let old = session.connection {
            sessionByConnection[old] = nil
            rooms[session.roomKey]?.disconnect(old)
            actions.append(.close(old))
        }
        session.connection = id
        session.graceEnds = nil
        session.features = features
        session.resumeToken = token
        sessions[session.id] = session
        sessionByConnection[id] = session.id
        if let member = session.member { rooms[session.roomKey]?.connect(member) }
        actions.append(.note(.joined(id, nick: session.nick, features: features)))
        actions.append(.note(.resumed(id, nick: session.nick)))
        sendWelcome(session, room: rooms[session.roomKey]?.name ?? Self.lobby, resumed: true, into: &actions)
        replay(to: session, after: after, includingDirectMessages: true, into: &actions)
        if features.contains(.info) { send(.info(message: configuration.welcome), to: id, into: &actions) }
    }

    private func sendWelcome(_ session: Session, room: String, resumed: Bool, into actions: inout [Action]) {
        guard session.features.contains(.welcome), let id = session.connection else { return }
        let welcome = ServerPacket.Welcome(
            nick: session.nick, room: room, features: session.features.intersection(supportedFeatures),
            resumed: resumed, resume: session.resumeToken, server: configuration.serverName)
        send(.welcome(welcome), to: id, into: &actions)
    }

    /// Compares in time that depends only on the longer length, so the time taken tells nothing about where
    /// a guess went wrong.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        var difference: UInt8 = x.count == y.count ? 0 : 1
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0
    }

    // MARK: - Ending

    /// The connection is gone. A `resume` session keeps its nick and room for the grace period; any other
    /// session ends at once (in cluster mode: its end is submitted).
    mutating func disconnect(_ id: ClientID, into actions: inout [Action]) {
        cluster?.forget(id)
        guard let sessionID = sessionByConnection.removeValue(forKey: id), var session = sessions[sessionID] else {
            return
        }
        rooms[session.roomKey]?.disconnect(id)
        session.connection = nil
        let grace = configuration.resumeGrace
        guard session.resumeToken != nil, grace > .zero, !isShuttingDown else {
            sessions[sessionID] = session
            return finish(sessionID, .gone, into: &actions)
        }
        session.graceEnds = now.instant + grace
        sessions[sessionID] = session
        actions.append(.note(.detached(id, nick: session.nick)))
        actions.append(.schedule(sessionID, at: now.instant + grace))
    }

    mutating func graceEnded(_ sessionID: SessionID, into actions: inout [Action]) {
        guard let session = sessions[sessionID], session.connection == nil, let ends = session.graceEnds,
            ends <= now.instant, isOwn(session)
        else { return }
        finish(sessionID, .gone, into: &actions)
    }

    /// Ends a session of this node: at once on a single server; in cluster mode by submitting its `leave`, which
    /// ends it on every node when applied. A node shutting down submits nothing: its lease runs out and another
    /// node ends its sessions, unless their clients resumed them elsewhere first.
    mutating func finish(_ sessionID: SessionID, _ reason: ClusterEntry.LeaveReason, into actions: inout [Action]) {
        guard let cluster else { return end(sessionID, into: &actions) }
        guard !isShuttingDown, let session = sessions[sessionID] else { return }
        actions.append(
            .submit(
                ClusterEntry(
                    node: cluster.node, session: sessionID, connection: session.connection, change: .leave(reason))))
    }

    /// Ends a session: its room hears `leave`, its nick is free again, an emptied room (not the lobby) goes.
    mutating func end(_ sessionID: SessionID, into actions: inout [Action]) {
        guard let session = sessions.removeValue(forKey: sessionID) else { return }
        sessionByNick[session.nickKey] = nil
        if let id = session.connection {
            sessionByConnection[id] = nil
            rooms[session.roomKey]?.disconnect(id)
        }
        rooms[session.roomKey]?.remove(sessionID)
        world?.leave(session.nickKey)
        actions.append(.note(.left(nick: session.nick)))
        guard let room = rooms[session.roomKey] else { return }
        if room.isEmpty && !isLasting(session.roomKey) {
            rooms[session.roomKey] = nil
            return
        }
        deliver(.leave(nick: session.nick, room: room.name), to: session.roomKey, into: &actions)
    }

    // MARK: - Renaming

    mutating func rename(_ session: Session, to nick: String, into actions: inout [Action]) {
        guard let id = session.connection else { return }
        guard Names.isValid(nick) else {
            return reject(id, .badNick, "invalid nick: \(Sanitizer.excerpt(nick))", into: &actions)
        }
        let key = Names.key(nick)
        if let owner = sessionByNick[key], owner != session.id {
            return reject(id, .nickInUse, "nick already in use: \(nick)", into: &actions)
        }
        if let world, key != session.nickKey, world.isKnown(key) {
            return reject(id, .nickInUse, "nick belongs to a player of this world: \(nick)", into: &actions)
        }
        guard nick != session.nick else { return }
        performRename(session, to: nick, into: &actions)
    }

    /// The rename itself, its checks made (in cluster mode by the `rename` script).
    mutating func performRename(_ session: Session, to nick: String, into actions: inout [Action]) {
        let key = Names.key(nick)
        guard nick != session.nick else { return }
        world?.rename(session.nickKey, to: key, nick: nick)
        sessionByNick[session.nickKey] = nil
        sessionByNick[key] = session.id
        sessions[session.id]?.nick = nick
        sessions[session.id]?.nickKey = key
        if let id = session.connection { actions.append(.note(.renamed(id, from: session.nick, to: nick))) }
        let renamed = ServerPacket.nick(old: session.nick, new: nick)
        let downgraded = ServerPacket.chat(nick: "*", message: "\(session.nick) is now known as \(nick)")
        deliver(renamed, downgraded: downgraded, feature: .nick, to: session.roomKey, into: &actions)
    }

    func announceShutdown(into actions: inout [Action]) {
        guard let frame = try? PacketEncoder.frame(.info(message: "server shutting down")) else { return }
        let members = sessions.values.compactMap(\.member).filter { $0.features.contains(.info) }
        actions.append(.deliver(Delivery(members: members, plain: frame)))
    }
}
