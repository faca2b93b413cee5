import ChatProtocol
import ChatWorld

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
            return relay(.chat, Sanitizer.forRelay(String(command)), from: id, session, into: &actions)
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
                relay(.chat, Sanitizer.forRelay(text), from: id, current, into: &actions)
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
