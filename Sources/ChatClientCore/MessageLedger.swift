import ChatProtocol

/// Which messages the client has shown, by their history `id`, so that a replay after a reconnect shows only
/// what is new, never a message twice, and a marker saying how much was missed. Pure; owned by the
/// receiver thread.
///
/// Replayed messages (`replay: true`) are held until the `history` end marker, then come out after the
/// markers; anything else that arrives first (a live packet, the connection ending) lets them out as they are.
/// While a `history before` request is out (`expectOlder`), the next end marker closes its answer instead,
/// with or without `complete` (the contract requires only `complete: true`): those messages are older than
/// everything shown, and come out as one `older` entry, for the top of the screen, never as new lines (and
/// never held back as duplicates: after `/clear` they are shown again). An answer whose request was
/// cancelled (a room move) is dropped.
public struct MessageLedger: Sendable {
    /// What to show, in order.
    public enum Entry: Equatable, Sendable {
        case packet(ServerPacket)
        /// A `---` line of our own.
        case marker(String)
        /// The answer to `history before`: older messages, oldest first, and its end marker.
        case older([ServerPacket], end: ServerPacket.HistoryEnd)
    }

    /// The highest id shown, for a hello's `after`.
    public private(set) var highestID: Int?
    /// The ids shown, the newest `rememberedIDs` at least: a long session must not grow without bound (a
    /// `Set` of every id ever shown held 300,000 ids, 4 MiB, after 300,000 lines). A replay after a
    /// reconnect holds only ids above `highestID`, so forgetting old ids can only let a room's backfill show
    /// again what was shown more than that many messages ago.
    private var seen: Set<Int> = []
    /// How many of the newest ids shown are always remembered.
    static let rememberedIDs = 20_000
    private var held: [ServerPacket] = []
    /// Set between a reconnect's `welcome` and the end of its replay: the `after` that hello sent.
    private var reconnect: Reconnect?
    /// A `history before` request is out: replayed messages held when the connection ends belong to its answer.
    private var awaitingOlder = false

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
        awaitingOlder = false
        if !resumed {
            seen.removeAll()
            highestID = nil
        }
    }

    /// A `history before` request was sent: its answer is on the way. Send one only after the room's replay
    /// (after a `welcome` or a move) has ended, so that the next end marker is the answer's.
    public mutating func expectOlder() {
        awaitingOlder = true
    }

    /// Entered another room: the room's own replay comes next, and an answer still on its way, about the
    /// room before, is not wanted.
    public mutating func cancelOlder() {
        awaitingOlder = false
    }

    /// Takes one packet from the server; returns what to show now.
    public mutating func take(_ packet: ServerPacket) -> [Entry] {
        if let stamp = packet.stamp {
            // Replayed messages are judged at their end marker, which says whether they are new or older.
            if stamp.replay {
                held.append(packet)
                return []
            }
            let released = release()
            guard remember(stamp.id) else { return released }
            highestID = max(highestID ?? stamp.id, stamp.id)
            return released + [.packet(packet)]
        }
        if case .history(let end) = packet {
            if awaitingOlder && reconnect == nil {
                awaitingOlder = false
                defer { held.removeAll() }
                return [.older(held, end: end)]
            }
            guard end.complete == nil else {
                held.removeAll()  // the answer to a cancelled request
                return []
            }
            return finishReplay(end)
        }
        return release() + [.packet(packet)]
    }

    /// The connection ended: whatever is held comes out, unless it is part of an older answer (the request
    /// can be made again; held messages of a replay cut short come again after the reconnect, since
    /// `highestID` does not include them).
    public mutating func connectionEnded() -> [Entry] {
        defer { awaitingOlder = false }
        guard !awaitingOlder else {
            held.removeAll()
            return []
        }
        return release()
    }

    private mutating func finishReplay(_ end: ServerPacket.HistoryEnd) -> [Entry] {
        guard let pending = reconnect else { return release() }
        reconnect = nil
        let replayed = admitHeld()
        let missed = replayed.count
        var entries: [Entry] = [
            .marker("--- reconnected: \(missed) \(missed == 1 ? "message" : "messages") you missed ---")
        ]
        if end.truncated {
            let oldest = replayed.first?.stamp?.id
            if let after = pending.after, let oldest, oldest - after - 1 > 0 {
                entries.append(.marker("--- up to \(oldest - after - 1) older messages not shown ---"))
            } else {
                entries.append(.marker("--- older messages not shown ---"))
            }
        }
        return entries + replayed.map { .packet($0) }
    }

    private mutating func release() -> [Entry] {
        admitHeld().map { .packet($0) }
    }

    /// Notes `id` as shown; false if it was already. Past twice `rememberedIDs`, the oldest are forgotten down
    /// to `rememberedIDs` (a sort every `rememberedIDs` insertions: amortized O(log n) each).
    private mutating func remember(_ id: Int) -> Bool {
        guard seen.insert(id).inserted else { return false }
        if seen.count > 2 * Self.rememberedIDs {
            let cutoff = seen.sorted()[seen.count - Self.rememberedIDs]
            seen = seen.filter { $0 >= cutoff }
        }
        return true
    }

    /// How many ids are remembered (for tests).
    var rememberedCount: Int { seen.count }

    /// Takes the held messages, less those shown before; they count as seen from now on.
    private mutating func admitHeld() -> [ServerPacket] {
        defer { held.removeAll() }
        return held.filter { packet in
            guard let id = packet.stamp?.id, remember(id) else { return false }
            highestID = max(highestID ?? id, id)
            return true
        }
    }
}
