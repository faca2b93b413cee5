import ChatProtocol
import ChatWorld

/// The chat's state and rules: sessions, nicks, rooms, history and routing, with no I/O.
///
/// The server loop feeds it events with the time they happen and carries out the actions it appends; tests drive
/// it directly. A session (a nick in a room) is kept apart from the connection that carries it, so that it can
/// outlive a dropped connection for the resume grace period.
public struct ChatHub {
    /// The room every client starts in; it always exists.
    public static let lobby = "lobby"
    public typealias Event = HubEvent
    public typealias Action = HubAction
    public typealias Note = HubNote

    /// Every extension this server implements.
    public static let supported: Features = Features.all.union(.session)

    let configuration: ServerConfiguration
    var sessions: [SessionID: Session] = [:]
    var sessionByNick: [String: SessionID] = [:]
    var sessionByConnection: [ClientID: SessionID] = [:]
    var rooms: [String: Room] = [lobby: Room(name: lobby)]
    /// World mode's state; nil for a plain chat.
    var world: WorldState?
    /// The room history; ids for direct messages come from its sequence too.
    public internal(set) var history: RoomHistory
    private var lastSession: UInt64 = 0
    private var random: any RandomNumberGenerator
    /// The time of the event being handled.
    var now = HubTime(instant: .now, epochMilliseconds: 0)
    var isShuttingDown = false
    /// Cluster mode's own state; nil on a single server, where every change happens when its packet arrives.
    var cluster: ClusterState?
    /// The last `time` string made, for the millisecond it stands for.
    var timeCache: (milliseconds: Int64, text: String) = (0, "")

    /// A hub with `configuration`'s rules; `history` is what the journal kept (its changes recorded for the
    /// journal), `random` makes resume tokens.
    public init(
        configuration: ServerConfiguration = ServerConfiguration(port: 0), history: RoomHistory? = nil,
        random: any RandomNumberGenerator = SystemRandomNumberGenerator()
    ) {
        self.configuration = configuration
        if let history {
            self.history = history
        } else {
            // Kept in memory only: nobody takes the changes, so none are recorded.
            self.history = RoomHistory(
                limitPerRoom: configuration.historyLimit, byteBudget: configuration.historyByteBudget)
            self.history.recordsChanges = false
        }
        self.random = random
        if let world = configuration.world { enterWorldMode(world, saved: configuration.savedWorld) }
        if let settings = configuration.cluster { cluster = ClusterState(node: settings.node) }
    }

    /// What the history (and, in world mode, the world) gained and lost since the last call, for the journal.
    public mutating func takeHistoryChanges() -> HistoryChanges {
        var changes = history.takeChanges()
        if let world = self.world?.takeChanges() { changes.world = world }
        return changes
    }

    /// How many connections carry a session.
    public var joinedCount: Int { sessionByConnection.count }

    /// Whether `id` carries a session.
    public func isJoined(_ id: ClientID) -> Bool { sessionByConnection[id] != nil }

    /// The nick of the session `id` carries, if any.
    public func nick(of id: ClientID) -> String? { sessionByConnection[id].flatMap { sessions[$0]?.nick } }

    /// Handles one event at `time`, appending what must be done to `actions`.
    public mutating func handle(_ event: Event, at time: HubTime, into actions: inout [Action]) {
        now = time
        switch event {
        case .received(let id, let payload):
            if cluster != nil {
                clusterReceive(payload, from: id, into: &actions)
            } else {
                receive(payload, from: id, into: &actions)
            }
        case .disconnected(let id): disconnect(id, into: &actions)
        case .graceEnded(let session): graceEnded(session, into: &actions)
        case .shutdown:
            isShuttingDown = true
            announceShutdown(into: &actions)
        case .applied(let entry, let id, let time):
            now.epochMilliseconds = time
            apply(entry, id: id, into: &actions)
        case .refused(let entry, let code): refused(entry, code, into: &actions)
        case .clusterReachable(let reachable): clusterReachable(reachable, into: &actions)
        case .clusterRestarted: restoreSessions(into: &actions)
        case .snapshot(let snapshot): load(snapshot, into: &actions)
        case .clusterRestartSettled: dropUnrestored(into: &actions)
        }
    }

    // MARK: - Receiving

    mutating func receive(_ payload: ArraySlice<UInt8>, from id: ClientID, into actions: inout [Action]) {
        let envelope: Envelope
        do {
            envelope = try Envelope(payload: payload)
        } catch {
            return reject(id, error.code, error.explanation, into: &actions)
        }
        guard let sessionID = sessionByConnection[id], let session = sessions[sessionID] else {
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

    private mutating func dispatch(
        _ packet: ClientPacket, from id: ClientID, _ session: Session, into actions: inout [Action]
    ) {
        switch packet {
        case .hello: break
        case .chat(let message) where world != nil && message.hasPrefix("/"):
            worldCommand(message.dropFirst(), from: id, session, into: &actions)
        case .chat(let message):
            relay(.chat, Sanitizer.forRelay(message), session, into: &actions)
        case .join where world != nil, .leave where world != nil:
            reject(id, .badRoom, "in this world rooms are places: move with /go DIRECTION", into: &actions)
        case .emote(let message):
            relay(.emote, Sanitizer.forRelay(message), session, into: &actions)
        case .dm(let to, let message):
            directMessage(to: to, message: Sanitizer.forRelay(message), session, into: &actions)
        case .who:
            who(session, id, into: &actions)
        case .rooms:
            listRooms(for: id, into: &actions)
        case .join(let room, let after):
            guard Names.isValid(room) else {
                return reject(id, .badRoom, "invalid room name: \(Sanitizer.excerpt(room))", into: &actions)
            }
            move(session, to: room, after: after, into: &actions)
        case .leave:
            move(session, to: Self.lobby, after: nil, into: &actions)
        case .history(let before, let limit):
            olderHistory(before: before, limit: limit, for: session, into: &actions)
        case .ping(let token):
            send(.pong(token: token), to: id, into: &actions)
        case .pong:
            // Any packet is a sign of life; the loop has already counted this one.
            break
        case .nick(let nick):
            rename(session, to: nick, into: &actions)
        case .quit:
            end(session.id, into: &actions)
            actions.append(.close(id))
        }
    }

    // MARK: - Errors and replies

    /// Sends `error`; before `hello` the connection is then closed, after it stays open.
    mutating func reject(_ id: ClientID, _ code: ErrorCode, _ reason: String, into actions: inout [Action]) {
        send(.error(code: code, message: reason), to: id, into: &actions)
        actions.append(.note(.rejected(id, code: code, reason: reason)))
        if sessionByConnection[id] == nil { actions.append(.close(id)) }
    }

    func send(_ packet: ServerPacket, to id: ClientID, into actions: inout [Action]) {
        // Every reply the hub builds from bounded fields fits; one that does not is dropped, not sent broken.
        guard let frame = try? PacketEncoder.frame(packet) else { return }
        actions.append(.send(id, frame))
    }

    /// A new session id, and a resume token of 128 random bits for a client that listed `resume`.
    mutating func newSessionID() -> SessionID {
        lastSession += 1
        return SessionID(rawValue: lastSession)
    }

    mutating func newToken() -> String {
        let words = [random.next(), random.next()] as [UInt64]
        return words.map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}

// MARK: - World mode

/// World mode: the places of a world are the rooms, and a chat that starts with `/` is a command for the world.
///
/// `WorldState` decides what a command does; the hub carries its effects out: lines go as `info` to clients
/// that listed `info` and as `chat` from `*` to the others, a move is a room move (`leave`, `join`, replay),
/// and `say` is a chat.
extension ChatHub {
    /// Every extension this server implements; `world` only while it runs one.
    var supportedFeatures: Features { world == nil ? Self.supported : Self.supported.union(.world) }

    /// Whether a room stays when it empties: the lobby, and every place of the world.
    func isLasting(_ roomKey: String) -> Bool {
        roomKey == Self.lobby || world?.world.places[roomKey] != nil
    }

    /// Makes every place a room, for good, in place of the lobby.
    mutating func enterWorldMode(_ world: World, saved: WorldChanges) {
        var state = WorldState(world: world, saved: saved)
        state.recordsChanges = history.recordsChanges
        self.world = state
        rooms = world.places.mapValues { Room(name: $0.name) }
    }

    /// A command from a joined player (the chat text after its slash); `//text` is a chat of `/text`.
    mutating func worldCommand(
        _ command: Substring, from id: ClientID, _ session: Session, into actions: inout [Action]
    ) {
        if command.hasPrefix("/") {
            return relay(.chat, Sanitizer.forRelay(String(command)), session, into: &actions)
        }
        guard let effects = world?.perform(String(command), by: session.nickKey) else { return }
        for effect in effects {
            // Each effect sees the session as the one before left it (a move changes its room).
            guard let current = sessions[session.id] else { return }
            switch effect {
            case .tell(let audience, let line):
                tell(audience, line, current, into: &actions)
            case .move(_, let to):
                guard let place = world?.world.places[to] else { continue }
                move(current, to: place.name, after: nil, into: &actions)
            case .say(let text):
                relay(.chat, Sanitizer.forRelay(text), current, into: &actions)
            }
        }
    }

    /// Sends one world line: `info` to clients that listed `info`, a `chat` from `*` to the others.
    func tell(_ audience: WorldAudience, _ line: String, _ session: Session, into actions: inout [Action]) {
        let packet = ServerPacket.info(message: line)
        let downgraded = ServerPacket.chat(nick: "*", message: line)
        switch audience {
        case .player:
            guard let id = session.connection else { return }
            send(session.features.contains(.info) ? packet : downgraded, to: id, into: &actions)
        case .place(let key):
            deliver(packet, downgraded: downgraded, feature: .info, to: key, into: &actions)
        case .othersIn(let key):
            guard let room = rooms[key], let plain = try? PacketEncoder.frame(packet),
                let base = try? PacketEncoder.frame(downgraded)
            else { return }
            let others = room.members.filter { $0.id != session.connection }
            guard !others.isEmpty else { return }
            actions.append(.deliver(Delivery(members: others, plain: plain, downgraded: base, feature: .info)))
        }
    }
}
