import ChatProtocol

extension ChatHub {
    // MARK: - Relaying

    /// Sends `packet` to every connected member of the room; members lacking `feature` get `downgraded`.
    func deliver(
        _ packet: ServerPacket, downgraded: ServerPacket? = nil, feature: Features = [], to roomKey: String,
        into actions: inout [Action]
    ) {
        guard let room = rooms[roomKey], let frame = try? PacketEncoder.frame(packet) else { return }
        let base = downgraded.flatMap { try? PacketEncoder.frame($0) }
        actions.append(.deliver(Delivery(members: room.members, plain: frame, downgraded: base, feature: feature)))
    }

    /// A chat or emote for the sender's room: kept in the history, stamped for `history` clients, downgraded for
    /// clients without `emote`. `too_long` to the sender, and nothing kept, if any form would not fit. In cluster
    /// mode `logID` is the id the log gave it.
    mutating func relay(
        _ kind: HistoryEntry.Kind, _ message: String, _ session: Session, logID: Int? = nil,
        into actions: inout [Action]
    ) {
        guard let room = rooms[session.roomKey] else { return }
        // Judged with the stamp the message will get, replay mark included, before it is kept.
        let stamp = ServerPacket.Stamp(id: logID ?? history.lastID + 1, time: wireTime())
        guard let forms = try? Self.forms(kind, session.nick, message, stamp) else {
            guard let id = session.connection else { return }
            return reject(id, .tooLong, "message too long to relay", into: &actions)
        }
        let entry = history.append(
            roomKey: session.roomKey, room: room.name, kind: kind, nick: session.nick, message: message,
            time: now.epochMilliseconds, id: logID)
        assert(entry.id == stamp.id, "the history numbers messages one by one")
        actions.append(
            .deliver(
                Delivery(
                    members: room.members, plain: forms.plain, downgraded: forms.downgraded, feature: .emote,
                    stamped: forms.stamped, stampedDowngraded: forms.stampedDowngraded)))
    }

    typealias Forms = (plain: [UInt8], downgraded: [UInt8]?, stamped: [UInt8], stampedDowngraded: [UInt8]?)

    /// The forms of a chat, emote or DM; throws `.frameTooLarge` if any, or its replay, would not fit.
    static func forms(_ packet: ServerPacket, downgraded: ServerPacket?, _ stamp: ServerPacket.Stamp)
        throws(ProtocolError) -> Forms
    {
        let plain = try PacketEncoder.frame(packet)
        let base = try downgraded.map { (packet) throws(ProtocolError) in try PacketEncoder.frame(packet) }
        let forms = (
            plain: plain, downgraded: base, stamped: try PacketEncoder.stamped(plain, stamp),
            stampedDowngraded: try base.map { (frame) throws(ProtocolError) in try PacketEncoder.stamped(frame, stamp) }
        )
        let longest = max(forms.stamped.count, forms.stampedDowngraded?.count ?? 0)
        guard longest + replayMark <= PacketEncoder.maximumPayload + PacketEncoder.headerSize else {
            throw .frameTooLarge
        }
        return forms
    }

    static func forms(_ kind: HistoryEntry.Kind, _ nick: String, _ message: String, _ stamp: ServerPacket.Stamp)
        throws(ProtocolError) -> Forms
    {
        switch kind {
        case .chat:
            return try forms(.chat(nick: nick, message: message), downgraded: nil, stamp)
        case .emote:
            return try forms(
                .emote(nick: nick, message: message), downgraded: .chat(nick: "*", message: "\(nick) \(message)"), stamp
            )
        }
    }

    /// `,"replay":true`, which a message gains when it is sent again from history.
    static let replayMark = 14

    /// The time of this event as the protocol writes it; one string per millisecond, however many messages.
    mutating func wireTime() -> String {
        if timeCache.milliseconds != now.epochMilliseconds || timeCache.text.isEmpty {
            timeCache = (now.epochMilliseconds, WireTime.format(millisecondsSinceEpoch: now.epochMilliseconds))
        }
        return timeCache.text
    }

    static func stamp(of entry: HistoryEntry, replay: Bool = false) -> ServerPacket.Stamp {
        ServerPacket.Stamp(id: entry.id, time: WireTime.format(millisecondsSinceEpoch: entry.time), replay: replay)
    }

    /// A direct message; in cluster mode `logID` is the id the log gave it, and errors go to the sender only
    /// from its own node.
    mutating func directMessage(
        to target: String, message: String, _ session: Session, logID: Int? = nil, into actions: inout [Action]
    ) {
        guard Names.isValid(target), let recipientID = sessionByNick[Names.key(target)],
            let recipient = sessions[recipientID]
        else {
            guard let id = session.connection else { return }
            return reject(id, .noSuchNick, "no such user: \(Sanitizer.excerpt(target))", into: &actions)
        }
        let packet = ServerPacket.dm(nick: session.nick, to: recipient.nick, message: message)
        let downgraded = ServerPacket.chat(nick: "\(session.nick) -> \(recipient.nick)", message: message)
        let stamp = ServerPacket.Stamp(id: logID ?? history.lastID + 1, time: wireTime())
        guard let forms = try? Self.forms(packet, downgraded: downgraded, stamp) else {
            guard let id = session.connection else { return }
            return reject(id, .tooLong, "message too long to relay", into: &actions)
        }
        if let logID { history.advance(to: logID) } else { _ = history.nextID() }
        let limit = configuration.replayLimit
        sessions[recipientID]?.remember(packet.stamped(stamp), limit: limit)
        if recipientID != session.id { sessions[session.id]?.remember(packet.stamped(stamp), limit: limit) }
        let members = [recipient.member, recipientID == session.id ? nil : session.member].compactMap { $0 }
        actions.append(
            .deliver(
                Delivery(
                    members: members, plain: forms.plain, downgraded: forms.downgraded, feature: .dm,
                    stamped: forms.stamped, stampedDowngraded: forms.stampedDowngraded)))
    }

    func who(_ session: Session, _ id: ClientID, into actions: inout [Action]) {
        guard let room = rooms[session.roomKey] else { return }
        let nicks = room.sessions.compactMap { sessions[$0]?.nick }.sorted(by: Names.areInOrder)
        guard let frame = try? PacketEncoder.frame(.who(room: room.name, nicks: nicks)) else {
            return send(.error(code: .tooLong, message: "the member list is too long to send"), to: id, into: &actions)
        }
        actions.append(.send(id, frame))
    }

    func listRooms(for id: ClientID, into actions: inout [Action]) {
        let counts = rooms.values.map { ServerPacket.RoomCount(name: $0.name, count: $0.count) }
            .sorted { Names.areInOrder($0.name, $1.name) }
        guard let frame = try? PacketEncoder.frame(.rooms(counts)) else {
            return send(.error(code: .tooLong, message: "the room list is too long to send"), to: id, into: &actions)
        }
        actions.append(.send(id, frame))
    }

    // MARK: - Rooms

    /// Puts a new session in a room (created with this spelling if new); returns the room's name.
    mutating func admit(_ session: Session, to roomName: String) -> String {
        rooms[session.roomKey, default: Room(name: roomName)].add(session.id)
        if let member = session.member { rooms[session.roomKey]?.connect(member) }
        return rooms[session.roomKey]?.name ?? roomName
    }

    func announceJoin(_ session: Session, into actions: inout [Action]) {
        guard let room = rooms[session.roomKey] else { return }
        deliver(.join(nick: session.nick, room: room.name), to: session.roomKey, into: &actions)
    }

    /// Moves a session to `roomName`: `leave` (with `to` for `rooms` clients) to the rest of the old room, then
    /// `join` to all of the new one, then the new room's replay to the mover. In cluster mode the session may be
    /// another node's: then only this node's members hear it.
    mutating func move(_ session: Session, to roomName: String, after: Int?, into actions: inout [Action]) {
        let key = Names.key(roomName)
        guard key != session.roomKey, session.connection != nil || cluster != nil else { return }
        rooms[session.roomKey]?.remove(session.id)
        if let id = session.connection { rooms[session.roomKey]?.disconnect(id) }
        if let old = rooms[session.roomKey] {
            if old.isEmpty && !isLasting(session.roomKey) {
                rooms[session.roomKey] = nil
            } else {
                let target = rooms[key]?.name ?? roomName
                deliver(
                    .leave(nick: session.nick, room: old.name, to: target),
                    downgraded: .leave(nick: session.nick, room: old.name), feature: .rooms, to: session.roomKey,
                    into: &actions)
            }
        }
        sessions[session.id]?.roomKey = key
        guard let moved = sessions[session.id] else { return }
        let name = admit(moved, to: roomName)
        announceJoin(moved, into: &actions)
        if let id = moved.connection { actions.append(.note(.moved(id, nick: session.nick, room: name))) }
        replay(to: moved, after: after, into: &actions)
    }

    // MARK: - History

    /// Queues the room's replay for a `history` client in one step, before any live packet: messages after
    /// `after` (with, on a resume, the session's direct messages), or the backfill; then the end marker.
    mutating func replay(
        to session: Session, after: Int?, includingDirectMessages: Bool = false, into actions: inout [Action]
    ) {
        guard session.features.contains(.history), let id = session.connection, let room = rooms[session.roomKey]
        else { return }
        let limit = configuration.replayLimit
        var packets: [ServerPacket]
        var truncated = false
        if let after {
            let found = history.after(roomKey: session.roomKey, id: after, limit: limit)
            packets = found.entries.map { Self.packet(of: $0) }
            truncated = found.truncated
            if includingDirectMessages {
                packets += session.directMessages(after: after).map { $0.stamped($0.stamp.map(Self.replayed)) }
                packets.sort { ($0.stamp?.id ?? 0) < ($1.stamp?.id ?? 0) }
                if packets.count > limit {
                    packets.removeFirst(packets.count - limit)
                    truncated = true
                }
            }
        } else {
            packets = history.recent(roomKey: session.roomKey, limit: min(configuration.backfill, limit)).entries
                .map { Self.packet(of: $0) }
        }
        for packet in packets { send(Self.fitted(packet, to: session.features), to: id, into: &actions) }
        let end = ServerPacket.HistoryEnd(room: room.name, count: packets.count, truncated: truncated)
        send(.history(end), to: id, into: &actions)
    }

    /// `history before`: older messages of the current room, answered like a replay, with `complete`.
    func olderHistory(before: Int, limit: Int, for session: Session, into actions: inout [Action]) {
        guard let id = session.connection, let room = rooms[session.roomKey] else { return }
        let found = history.before(
            roomKey: session.roomKey, id: before, limit: min(limit, configuration.replayLimit))
        for entry in found.entries {
            send(Self.fitted(Self.packet(of: entry), to: session.features), to: id, into: &actions)
        }
        let end = ServerPacket.HistoryEnd(
            room: room.name, count: found.entries.count, truncated: false, complete: found.complete)
        send(.history(end), to: id, into: &actions)
    }

    static func packet(of entry: HistoryEntry) -> ServerPacket {
        let stamp = stamp(of: entry, replay: true)
        switch entry.kind {
        case .chat: return .chat(nick: entry.nick, message: entry.message, stamp: stamp)
        case .emote: return .emote(nick: entry.nick, message: entry.message, stamp: stamp)
        }
    }

    private static func replayed(_ stamp: ServerPacket.Stamp) -> ServerPacket.Stamp {
        var copy = stamp
        copy.replay = true
        return copy
    }

    /// The form a client gets: emotes and DMs downgraded to `chat` for one that lacks the feature.
    static func fitted(_ packet: ServerPacket, to features: Features) -> ServerPacket {
        switch packet {
        case .emote(let nick, let message, let stamp) where !features.contains(.emote):
            return .chat(nick: "*", message: "\(nick) \(message)", stamp: stamp)
        case .dm(let nick, let to, let message, let stamp) where !features.contains(.dm):
            return .chat(nick: "\(nick) -> \(to)", message: message, stamp: stamp)
        default:
            return packet
        }
    }
}
