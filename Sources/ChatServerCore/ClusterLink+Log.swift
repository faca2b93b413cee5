import ChatProtocol
import ChatRedis

extension ClusterLink {
    // MARK: - Submitting

    /// Runs the script that appends `entry`, in submission order. A refusal comes back to the hub as
    /// `.refused`; an entry that passes comes back through the tail, applied.
    func submit(_ entry: ClusterEntry) {
        guard isReady, let commands else {
            // Before the first connection is ready entries wait; once the store was lost they are refused (the
            // hub holds its clients' packets meanwhile and submits them again when it is back).
            if toldReachable { outbox.append(entry) } else { events.append(.refused(entry, .serverFull)) }
            return
        }
        let (script, arguments) = Self.invocation(of: entry, node: settings.node)
        do {
            try commands.evaluate(script, keys: [], arguments: arguments) { [weak self] result in
                self?.answered(entry, result)
            }
        } catch {
            events.append(.refused(entry, .serverFull))
            lost(error)
        }
    }

    private func answered(_ entry: ClusterEntry, _ result: Result<RedisReply, RedisError>) {
        switch result {
        case .success(.error(let message)):
            // Redis puts `ERR ` before an error a script returns without a code of its own.
            switch message.hasPrefix("ERR ") ? String(message.dropFirst(4)) : message {
            case "nick_in_use": events.append(.refused(entry, .nickInUse))
            case "gone": events.append(.refused(entry, .noSuchNick))
            default:
                logger.error("cluster script failed", metadata: ["kind": "\(entry.kind)", "error": "\(message)"])
                events.append(.refused(entry, .serverFull))
            }
        case .success:
            break
        case .failure:
            // The connection broke with the script sent: it may or may not have run. It is never sent twice;
            // if it ran, the tail brings it back when the store is reachable again.
            events.append(.refused(entry, .serverFull))
        }
    }

    /// The script for an entry and its arguments (docs/CLUSTER.md, "The scripts").
    static func invocation(of entry: ClusterEntry, node: String) -> (RedisScript, [String]) {
        let session = entry.session.map { String($0.rawValue) } ?? ""
        let connection = entry.connection.map { "\($0.slot).\($0.generation)" } ?? ""
        switch entry.change {
        case .hello(let nick, let room):
            return (
                ClusterScripts.hello,
                [node, connection, Names.key(nick), nick, room, entry.token ?? "", entry.offeredToken ?? ""]
            )
        case .rename(let nick):
            return (ClusterScripts.rename, [node, session, Names.key(nick), nick] + entry.fields)
        case .leave:
            return (ClusterScripts.end, [node, session] + entry.fields)
        case .move(let room, _):
            return (ClusterScripts.post, [node, session, room] + entry.fields)
        case .restore(let nick, let room):
            return (
                ClusterScripts.restore,
                [node, session, Names.key(nick), nick, room, entry.token ?? ""] + entry.fields
            )
        case .chat, .emote, .dm, .resume:
            return (ClusterScripts.post, [node, session, ""] + entry.fields)
        }
    }

    // MARK: - Tailing

    /// One `XREAD BLOCK` from the last applied entry; its answer is applied and the next one sent.
    func readTail() {
        guard let tail else { return }
        let command = [
            "XREAD", "BLOCK", String(Self.blockMilliseconds), "COUNT", String(Self.batch), "STREAMS", "chat:log",
            lastStreamID,
        ]
        do {
            // Weak: the completion is kept by the connection it runs on, which must not keep itself alive.
            try tail.send(command) { [weak self, weak tail] result in
                guard let self, let tail, case .success(let reply) = result, self.tail === tail else { return }
                if case .error(let message) = reply {
                    logger.error("cluster tail failed", metadata: ["error": "\(message)"])
                    return lost(.connectionLost(message))
                }
                consume(reply)
                readTail()
            }
        } catch {
            lost(error)
        }
    }

    /// `[[stream, [[id, [field, value, …]], …]]]`, or nil when the block timed out.
    private func consume(_ reply: RedisReply) {
        guard let streams = reply.elements else { return }
        for stream in streams {
            guard let parts = stream.elements, parts.count == 2, let entries = parts[1].elements else { continue }
            for item in entries {
                guard let pair = item.elements, pair.count == 2, let id = pair[0].string,
                    let flat = pair[1].elements
                else { continue }
                lastStreamID = id
                var fields: [String: String] = [:]
                for index in stride(from: 0, to: flat.count - 1, by: 2) {
                    if let name = flat[index].string, let value = flat[index + 1].string { fields[name] = value }
                }
                guard let (entry, number, time) = ClusterEntry.parse(fields) else {
                    logger.error("cluster log entry skipped: malformed", metadata: ["stream-id": "\(id)"])
                    continue
                }
                // After the store came back empty, a node may meet ids it has applied already: never twice.
                guard number > lastApplied else { continue }
                // Every id is one entry, so a jump means entries this node never saw: the log was trimmed past
                // it (after an empty restart ids jump on purpose, while the restart settles).
                if lastApplied > 0, number > lastApplied + 1, settleDue == nil {
                    logger.error(
                        "cluster log entries missed: this node fell behind the log's trim; restart it",
                        metadata: ["first-missed": "\(lastApplied + 1)", "last-missed": "\(number - 1)"])
                }
                lastApplied = number
                events.append(.applied(entry, id: number, time: time))
            }
        }
    }
}
