import ChatProtocol
import ChatRedis

extension ClusterLink {
    /// The most log entries read back for the starting room history.
    static let historyScan = 20_000

    /// At the start: the sessions and the log position in one script, then the recent messages before that
    /// position; the hub gets them as one `.snapshot`, and the tail starts from there.
    func requestSnapshot() {
        run(ClusterScripts.snapshot, []) { [weak self] reply in
            guard let self, let parts = reply.elements, parts.count >= 2, let streamID = parts[0].string,
                let sequence = parts[1].integer
            else { return }
            var sessions: [ClusterSnapshot.SessionRecord] = []
            var index = 2
            while index + 3 < parts.count {
                if let id = parts[index].integer, let node = parts[index + 1].string,
                    let nick = parts[index + 2].string, let room = parts[index + 3].string
                {
                    sessions.append(.init(id: SessionID(rawValue: UInt64(id)), node: node, nick: nick, room: room))
                }
                index += 4
            }
            lastStreamID = streamID
            lastApplied = Int(sequence)
            readHistory(before: streamID, sessions: sessions)
        }
    }

    private func readHistory(before streamID: String, sessions: [ClusterSnapshot.SessionRecord]) {
        guard let commands else { return }
        let limit = String(Self.historyScan)
        let finish: ([HistoryEntry]) -> Void = { [weak self] history in
            guard let self else { return }
            events.append(.snapshot(ClusterSnapshot(sessions: sessions, history: history.reversed())))
            readTail()
        }
        guard streamID != "0" else { return finish([]) }
        do {
            try commands.send(["XREVRANGE", "chat:log", streamID, "-", "COUNT", limit]) { result in
                guard case .success(let reply) = result else { return }
                finish((reply.elements ?? []).compactMap(Self.historyEntry))
            }
        } catch {
            lost(error)
        }
    }

    /// A chat or emote of the log as a history entry; nil for anything else.
    static func historyEntry(_ item: RedisReply) -> HistoryEntry? {
        guard let pair = item.elements, pair.count == 2, let flat = pair[1].elements else { return nil }
        var fields: [String: String] = [:]
        for index in stride(from: 0, to: flat.count - 1, by: 2) {
            if let name = flat[index].string, let value = flat[index + 1].string { fields[name] = value }
        }
        guard let kind = fields["k"], kind == "chat" || kind == "emote", let id = fields["s"].flatMap({ Int($0) }),
            let time = fields["t"].flatMap({ Int64($0) }), let room = fields["r"], let message = fields["m"],
            let sessionID = fields["sid"]
        else { return nil }
        // The sender's nick as it was: the log's `hello` or `nick` entry may be long gone, so the message
        // carries it.
        guard let nick = fields["n"], !sessionID.isEmpty else { return nil }
        return HistoryEntry(
            id: id, time: time, roomKey: Names.key(room), room: room, kind: kind == "chat" ? .chat : .emote,
            nick: nick, message: message)
    }
}
