import ChatProtocol
import ChatServerCore

/// Input: records of [event byte][2-byte length][payload]. Event byte: low 3 bits the client (0...7);
/// bit 7 set = disconnect (no length or payload follows); bit 6 set = shutdown.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: start, count: count)
    var hub = ChatHub()
    var offset = 0
    while offset < input.count {
        let event = input[offset]
        offset += 1
        let id = ClientID(rawValue: Int32(event & 7) + 4)
        var actions: [ChatHub.Action] = []
        let wasJoined = hub.isJoined(id)
        if event & 0x80 != 0 {
            hub.handle(.disconnected(id), into: &actions)
            precondition(!hub.isJoined(id))
            check(actions, hub: hub, sender: id, wasJoined: wasJoined, isReceive: false)
            continue
        }
        if event & 0x40 != 0 {
            hub.handle(.shutdown, into: &actions)
            check(actions, hub: hub, sender: id, wasJoined: wasJoined, isReceive: false)
            continue
        }
        guard input.count - offset >= 2 else { break }
        let length = min(Int(input[offset]) << 8 | Int(input[offset + 1]), input.count - offset - 2)
        offset += 2
        let payload = ArraySlice(input[offset..<offset + length])
        offset += length
        hub.handle(.received(id, payload), into: &actions)
        check(actions, hub: hub, sender: id, wasJoined: wasJoined, isReceive: true)
        if !hub.isJoined(id) {
            // The server loop closes it; the hub forgets nothing more.
            hub.handle(.disconnected(id), into: &actions)
        }
    }
    return 0
}

func check(_ actions: [ChatHub.Action], hub: ChatHub, sender: ClientID, wasJoined: Bool, isReceive: Bool) {
    var sawError = false
    var sawClose = false
    for action in actions {
        switch action {
        case .send(let id, let frame):
            let packet = decoded(frame)
            if case .error = packet, id == sender { sawError = true }
        case .deliver(let members, let frame, let downgraded, _):
            _ = decoded(frame)
            if let downgraded { _ = decoded(downgraded) }
            for member in members { precondition(hub.isJoined(member.id), "deliver to a client not joined") }
        case .close(let id):
            precondition(id == sender, "closed another client")
            precondition(!hub.isJoined(id), "closed a joined client")
            sawClose = true
        case .note: break
        }
    }
    if isReceive && !wasJoined && !hub.isJoined(sender) {
        precondition(sawError && sawClose, "a failed hello must answer error and close")
    }
    if isReceive && wasJoined {
        precondition(hub.isJoined(sender), "a joined client was dropped by a packet")
        precondition(!sawClose, "a joined client was closed by a packet")
    }
}

func decoded(_ frame: [UInt8]) -> ServerPacket {
    precondition(frame.count >= 3, "short frame")
    precondition(Int(frame[0]) << 8 | Int(frame[1]) == frame.count - 2, "bad header")
    let packet: ServerPacket
    do throws(ProtocolError) {
        packet = try ServerPacket(payload: frame[2...])
    } catch {
        preconditionFailure("hub sent an undecodable packet: \(error)")
    }
    switch packet {
    case .chat(let nick, let message, _), .emote(let nick, let message, _):
        clean(nick)
        clean(message)
    case .dm(let nick, let to, let message, _):
        precondition(Names.isValid(nick) && Names.isValid(to), "dm with invalid nick")
        clean(message)
    case .join(let nick, let room), .leave(let nick, let room, _):
        precondition(Names.isValid(nick), "join/leave with invalid nick")
        if let room { precondition(Names.isValid(room), "invalid room relayed") }
    case .who(let room, let nicks):
        precondition(Names.isValid(room))
        for nick in nicks { precondition(Names.isValid(nick)) }
        precondition(Set(nicks.map(Names.key)).count == nicks.count, "duplicate nick in who")
    case .rooms(let counts):
        for row in counts { precondition(Names.isValid(row.name) && row.count >= 0) }
        precondition(Set(counts.map { Names.key($0.name) }).count == counts.count, "duplicate room")
        precondition(counts.contains { $0.name == ChatHub.lobby }, "no lobby")
    case .welcome, .history, .ping, .pong, .nick:
        break
    case .error(_, let message), .info(let message):
        for scalar in message.unicodeScalars {
            let category = scalar.properties.generalCategory
            precondition(
                category != .control && category != .format, "raw text in error/info: \(message.debugDescription)")
        }
    }
    return packet
}

func clean(_ text: String) {
    for scalar in text.unicodeScalars {
        precondition(scalar.properties.generalCategory != .control, "control character relayed")
    }
}
