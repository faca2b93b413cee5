import ChatProtocol
import ChatServerCore

/// Input: records of [event byte][2-byte length][payload]. Event byte: low 3 bits the client (0...7);
/// bit 7 set = disconnect (no length or payload follows); bit 6 set = shutdown.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: start, count: count)
    var configuration = ServerConfiguration(port: 0)
    configuration.resumeGrace = .seconds(5)
    var hub = ChatHub(configuration: configuration)
    var time = HubTime(instant: .now, epochMilliseconds: 1_764_621_914_123)
    var graces: [(SessionID, ContinuousClock.Instant)] = []
    var offset = 0
    while offset < input.count {
        let event = input[offset]
        offset += 1
        let id = ClientID(slot: Int32(event & 7) + 4)
        var actions: [ChatHub.Action] = []
        // Each event is a second later; grace periods that end meanwhile are delivered first, as the loop would.
        time.instant += .seconds(1)
        time.epochMilliseconds += 1000
        for (session, ends) in graces where ends <= time.instant {
            hub.handle(.graceEnded(session), at: time, into: &actions)
        }
        graces.removeAll { $0.1 <= time.instant }
        actions.removeAll()
        defer {
            for case .schedule(let session, let ends) in actions { graces.append((session, ends)) }
        }
        let wasJoined = hub.isJoined(id)
        if event & 0x80 != 0 {
            hub.handle(.disconnected(id), at: time, into: &actions)
            precondition(!hub.isJoined(id))
            check(actions, hub: hub, sender: id, wasJoined: wasJoined, isReceive: false)
            continue
        }
        if event & 0x40 != 0 {
            hub.handle(.shutdown, at: time, into: &actions)
            check(actions, hub: hub, sender: id, wasJoined: wasJoined, isReceive: false)
            continue
        }
        guard input.count - offset >= 2 else { break }
        let length = min(Int(input[offset]) << 8 | Int(input[offset + 1]), input.count - offset - 2)
        offset += 2
        let payload = ArraySlice(input[offset..<offset + length])
        offset += length
        hub.handle(.received(id, payload), at: time, into: &actions)
        let quits = (try? ClientPacket(payload: payload)) == .quit
        check(actions, hub: hub, sender: id, wasJoined: wasJoined, isReceive: true, quits: quits)
        if !hub.isJoined(id) {
            // The server loop closes it; the hub forgets nothing more.
            hub.handle(.disconnected(id), at: time, into: &actions)
        }
    }
    return 0
}

func check(
    _ actions: [ChatHub.Action], hub: ChatHub, sender: ClientID, wasJoined: Bool, isReceive: Bool, quits: Bool = false
) {
    var sawError = false
    var sawClose = false
    for action in actions {
        switch action {
        case .send(let id, let frame):
            let packet = decoded(frame)
            if case .error = packet, id == sender { sawError = true }
        case .deliver(let delivery):
            for features in [Features(), .all, .session, Features.all.union(.session)] {
                _ = decoded(Array(delivery.frame(for: features)))
            }
            for member in delivery.members { precondition(hub.isJoined(member.id), "deliver to a client not joined") }
        case .close(let id):
            // Another client is closed only when a resume replaces its half-open connection.
            precondition(id == sender || actions.contains { if case .note(.resumed) = $0 { true } else { false } })
            precondition(!hub.isJoined(id), "closed a joined client")
            sawClose = sawClose || id == sender
        case .schedule:
            break
        case .note, .submit: break
        }
    }
    if isReceive && !wasJoined && !hub.isJoined(sender) {
        precondition(sawError && sawClose, "a failed hello must answer error and close")
    }
    if isReceive && wasJoined && !quits {
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
