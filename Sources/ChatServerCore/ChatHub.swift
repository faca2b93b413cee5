import ChatProtocol

/// The chat's state and rules: nicks, rooms, routing and the error policy, with no I/O.
///
/// The server loop feeds it events and carries out the actions it appends; tests drive it directly.
public struct ChatHub {
    /// The room every client starts in; it always exists.
    public static let lobby = "lobby"

    var sessions: [ClientID: Session] = [:]
    var nickOwners: [String: ClientID] = [:]
    var rooms: [String: Room] = [lobby: Room(name: lobby)]
    /// The text of the `info` welcome sent after `hello`.
    public var welcome: String

    public init(welcome: String = "Welcome! Type /help for the commands.") {
        self.welcome = welcome
    }

    /// How many connections have completed `hello`.
    public var joinedCount: Int { sessions.count }

    /// Whether `id` has completed `hello`.
    public func isJoined(_ id: ClientID) -> Bool { sessions[id] != nil }

    /// The registered nick of `id`, if joined.
    public func nick(of id: ClientID) -> String? { sessions[id]?.nick }

    /// Handles one event, appending what must be done to `actions`.
    public mutating func handle(_ event: Event, into actions: inout [Action]) {
        switch event {
        case .received(let id, let payload): receive(payload, from: id, into: &actions)
        case .disconnected(let id): disconnect(id, into: &actions)
        case .shutdown: announceShutdown(into: &actions)
        }
    }

    // MARK: - Receiving

    private mutating func receive(_ payload: ArraySlice<UInt8>, from id: ClientID, into actions: inout [Action]) {
        let envelope: Envelope
        do {
            envelope = try Envelope(payload: payload)
        } catch {
            return reject(id, error.code, error.explanation, into: &actions)
        }
        guard let session = sessions[id] else {
            guard envelope.type == "hello" else {
                return reject(id, .notJoined, "send hello first", into: &actions)
            }
            return hello(envelope, from: id, into: &actions)
        }
        guard envelope.type != "hello" else {
            return reject(id, .alreadyJoined, "you have already said hello", into: &actions)
        }
        do {
            try dispatch(ClientPacket(envelope: envelope), from: id, session, into: &actions)
        } catch {
            reject(id, error.code, error.explanation, into: &actions)
        }
    }

    private mutating func hello(_ envelope: Envelope, from id: ClientID, into actions: inout [Action]) {
        let nick: String
        let features: Features
        do {
            guard case .hello(let name, let announced, _) = try ClientPacket(envelope: envelope) else { return }
            (nick, features) = (name, announced)
        } catch {
            return reject(id, error.code, error.explanation, into: &actions)
        }
        guard Names.isValid(nick) else {
            return reject(id, .badNick, "invalid nick: \(Sanitizer.excerpt(nick))", into: &actions)
        }
        let key = Names.key(nick)
        guard nickOwners[key] == nil else {
            return reject(id, .nickInUse, "nick already in use: \(nick)", into: &actions)
        }
        nickOwners[key] = id
        sessions[id] = Session(nick: nick, nickKey: key, features: features, roomKey: Self.lobby)
        enter(Self.lobby, id, into: &actions)
        actions.append(.note(.joined(id, nick: nick)))
        if features.contains(.info) {
            send(.info(message: welcome), to: id, into: &actions)
        }
    }

    private mutating func dispatch(
        _ packet: ClientPacket, from id: ClientID, _ session: Session, into actions: inout [Action]
    ) {
        switch packet {
        case .hello: break
        case .chat(let message):
            let relayed = ServerPacket.chat(nick: session.nick, message: Sanitizer.forRelay(message))
            relay(relayed, downgraded: nil, feature: [], to: session.roomKey, from: id, into: &actions)
        case .emote(let message):
            let text = Sanitizer.forRelay(message)
            let relayed = ServerPacket.emote(nick: session.nick, message: text)
            let downgraded = ServerPacket.chat(nick: "*", message: "\(session.nick) \(text)")
            relay(relayed, downgraded: downgraded, feature: .emote, to: session.roomKey, from: id, into: &actions)
        case .dm(let to, let message):
            directMessage(to: to, message: Sanitizer.forRelay(message), from: id, session, into: &actions)
        case .who:
            who(session, id, into: &actions)
        case .rooms:
            listRooms(for: id, into: &actions)
        case .join(let room, _):
            guard Names.isValid(room) else {
                return reject(id, .badRoom, "invalid room name: \(Sanitizer.excerpt(room))", into: &actions)
            }
            move(id, to: room, into: &actions)
        case .leave:
            move(id, to: Self.lobby, into: &actions)
        case .history, .ping, .pong, .nick, .quit:
            reject(id, .unknownType, "unknown packet type", into: &actions)
        }
    }

    // MARK: - Errors

    /// Sends `error`; before `hello` the connection is then closed, after it stays open.
    mutating func reject(_ id: ClientID, _ code: ErrorCode, _ reason: String, into actions: inout [Action]) {
        send(.error(code: code, message: reason), to: id, into: &actions)
        actions.append(.note(.rejected(id, code: code, reason: reason)))
        if sessions[id] == nil { actions.append(.close(id)) }
    }

    func send(_ packet: ServerPacket, to id: ClientID, into actions: inout [Action]) {
        // Every reply the hub builds from bounded fields fits; one that does not is dropped, not sent broken.
        guard let frame = try? PacketEncoder.frame(packet) else { return }
        actions.append(.send(id, frame))
    }
}
