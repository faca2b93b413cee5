import ChatProtocol

/// Which messages the client has shown, by their history `id`, so that a replay after a reconnect shows only
/// what is new, never a message twice, and a marker saying how much was missed. Pure; owned by the
/// receiver thread.
///
/// Replayed messages (`replay: true`) are held until the `history` end marker, then come out after the
/// markers; anything else that arrives first (a live packet, the connection ending) lets them out as they are.
public struct MessageLedger: Sendable {
    /// What to show, in order.
    public enum Entry: Equatable, Sendable {
        case packet(ServerPacket)
        /// A `---` line of our own.
        case marker(String)
    }

    /// The highest id shown, for a hello's `after`.
    public private(set) var highestID: Int?
    private var seen: Set<Int> = []
    private var held: [ServerPacket] = []
    /// Set between a reconnect's `welcome` and the end of its replay: the `after` that hello sent.
    private var reconnect: Reconnect?

    private struct Reconnect: Sendable {
        var after: Int?
    }

    public init() {}

    /// A reconnect's `welcome` arrived: the replay that follows ends with a `reconnected` marker.
    ///
    /// A fresh session (`resumed: false`) forgets the ids seen so far. Its replay holds only ids above
    /// `after`, so nothing in it can be a duplicate; and a server that restarted without its history on disk
    /// numbers from 1 again, whose messages must not pass for ones already shown.
    public mutating func expectReplay(after: Int?, resumed: Bool) {
        reconnect = Reconnect(after: after)
        if !resumed {
            seen.removeAll()
            highestID = nil
        }
    }

    /// Takes one packet from the server; returns what to show now.
    public mutating func take(_ packet: ServerPacket) -> [Entry] {
        if let stamp = packet.stamp {
            guard seen.insert(stamp.id).inserted else { return [] }
            highestID = max(highestID ?? stamp.id, stamp.id)
            if stamp.replay {
                held.append(packet)
                return []
            }
            return release() + [.packet(packet)]
        }
        if case .history(let end) = packet, end.complete == nil {
            return finishReplay(end)
        }
        return release() + [.packet(packet)]
    }

    /// The connection ended: whatever is held comes out.
    public mutating func connectionEnded() -> [Entry] {
        release()
    }

    private mutating func finishReplay(_ end: ServerPacket.HistoryEnd) -> [Entry] {
        guard let pending = reconnect else { return release() }
        reconnect = nil
        let missed = held.count
        var entries: [Entry] = [
            .marker("--- reconnected: \(missed) \(missed == 1 ? "message" : "messages") you missed ---")
        ]
        if end.truncated {
            let oldest = held.first?.stamp?.id
            if let after = pending.after, let oldest, oldest - after - 1 > 0 {
                entries.append(.marker("--- up to \(oldest - after - 1) older messages not shown ---"))
            } else {
                entries.append(.marker("--- older messages not shown ---"))
            }
        }
        return entries + release()
    }

    private mutating func release() -> [Entry] {
        defer { held.removeAll() }
        return held.map { .packet($0) }
    }
}
