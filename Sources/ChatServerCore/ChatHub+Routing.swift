import ChatProtocol

extension ChatHub {
    // MARK: - Relaying

    /// Encodes once and delivers to the room; `too_long` to the sender if any form would not fit.
    mutating func relay(
        _ packet: ServerPacket, downgraded: ServerPacket?, feature: Features, to roomKey: String,
        from id: ClientID, into actions: inout [Action]
    ) {
        guard let room = rooms[roomKey] else { return }
        do {
            let frame = try PacketEncoder.frame(packet)
            let base = try downgraded.map { (packet) throws(ProtocolError) in try PacketEncoder.frame(packet) }
            actions.append(.deliver(room.members, frame: frame, downgraded: base, feature: feature))
        } catch {
            reject(id, .tooLong, "message too long to relay", into: &actions)
        }
    }

    mutating func directMessage(
        to target: String, message: String, from id: ClientID, _ session: Session, into actions: inout [Action]
    ) {
        guard Names.isValid(target), let recipientID = nickOwners[Names.key(target)],
            let recipient = sessions[recipientID]
        else {
            return reject(id, .noSuchNick, "no such user: \(Sanitizer.excerpt(target))", into: &actions)
        }
        let packet = ServerPacket.dm(nick: session.nick, to: recipient.nick, message: message)
        let downgraded = ServerPacket.chat(nick: "\(session.nick) -> \(recipient.nick)", message: message)
        let frame: [UInt8]
        let base: [UInt8]
        do {
            frame = try PacketEncoder.frame(packet)
            base = try PacketEncoder.frame(downgraded)
        } catch {
            return reject(id, .tooLong, "message too long to relay", into: &actions)
        }
        var members = [Member(id: recipientID, features: recipient.features)]
        if recipientID != id { members.append(Member(id: id, features: session.features)) }
        actions.append(.deliver(members, frame: frame, downgraded: base, feature: .dm))
    }

    func who(_ session: Session, _ id: ClientID, into actions: inout [Action]) {
        guard let room = rooms[session.roomKey] else { return }
        let nicks = room.members.compactMap { sessions[$0.id]?.nick }.sorted(by: Names.areInOrder)
        guard let frame = try? PacketEncoder.frame(.who(room: room.name, nicks: nicks)) else {
            return reply(.tooLong, "the member list is too long to send", to: id, into: &actions)
        }
        actions.append(.send(id, frame))
    }

    func listRooms(for id: ClientID, into actions: inout [Action]) {
        let counts = rooms.values.map { ServerPacket.RoomCount(name: $0.name, count: $0.members.count) }
            .sorted { Names.areInOrder($0.name, $1.name) }
        guard let frame = try? PacketEncoder.frame(.rooms(counts)) else {
            return reply(.tooLong, "the room list is too long to send", to: id, into: &actions)
        }
        actions.append(.send(id, frame))
    }

    private func reply(_ code: ErrorCode, _ reason: String, to id: ClientID, into actions: inout [Action]) {
        send(.error(code: code, message: reason), to: id, into: &actions)
    }

    // MARK: - Rooms

    /// Moves `id` to `roomName`: `leave` to the rest of the old room, then `join` to all of the new one.
    mutating func move(_ id: ClientID, to roomName: String, into actions: inout [Action]) {
        guard let session = sessions[id] else { return }
        let key = Names.key(roomName)
        guard key != session.roomKey else { return }
        exit(id, session, into: &actions)
        sessions[id]?.roomKey = key
        enter(roomName, id, into: &actions)
        actions.append(.note(.moved(id, nick: session.nick, room: rooms[key]?.name ?? roomName)))
    }

    /// Adds `id` to the room (created with this spelling if new) and announces the join to all of it.
    mutating func enter(_ roomName: String, _ id: ClientID, into actions: inout [Action]) {
        guard let session = sessions[id] else { return }
        let key = Names.key(roomName)
        rooms[key, default: Room(name: roomName)].add(Member(id: id, features: session.features))
        guard let room = rooms[key] else { return }
        relay(
            .join(nick: session.nick, room: room.name), downgraded: nil, feature: [], to: key, from: id, into: &actions)
    }

    /// Removes `id` from its room, announces `leave` to those left, and drops an emptied room (not the lobby).
    mutating func exit(_ id: ClientID, _ session: Session, into actions: inout [Action]) {
        // Mutating in place keeps the member array unshared, so removal stays O(1).
        rooms[session.roomKey]?.remove(id)
        guard let room = rooms[session.roomKey] else { return }
        if room.isEmpty && session.roomKey != Self.lobby {
            rooms[session.roomKey] = nil
            return
        }
        relay(
            .leave(nick: session.nick, room: room.name), downgraded: nil, feature: [], to: session.roomKey,
            from: id, into: &actions)
    }

    mutating func disconnect(_ id: ClientID, into actions: inout [Action]) {
        guard let session = sessions.removeValue(forKey: id) else { return }
        nickOwners[session.nickKey] = nil
        exit(id, session, into: &actions)
        actions.append(.note(.left(id, nick: session.nick)))
    }

    func announceShutdown(into actions: inout [Action]) {
        guard let frame = try? PacketEncoder.frame(.info(message: "server shutting down")) else { return }
        let members = sessions.map { Member(id: $0.key, features: $0.value.features) }
            .filter { $0.features.contains(.info) }
        actions.append(.deliver(members, frame: frame, downgraded: nil, feature: []))
    }
}
