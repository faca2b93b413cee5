// MARK: - Queries

/// Every query answers oldest first, found by binary search on the ids of one room's deque.
extension RoomHistory {
    /// The backfill: the last `limit` entries of the room, and whether older ones were left out.
    public func recent(roomKey: String, limit: Int) -> (entries: [HistoryEntry], truncated: Bool) {
        after(roomKey: roomKey, id: Int.min, limit: limit)
    }

    /// The room's entries with an id above `id` (a `hello` or `join` with `after`); when more than `limit`
    /// qualify, the newest `limit` of them and `truncated` true.
    public func after(roomKey: String, id: Int, limit: Int) -> (entries: [HistoryEntry], truncated: Bool) {
        guard let ring = rooms[roomKey] else { return ([], false) }
        let start = ring.partitionIndex { $0.id > id }
        let from = max(start, ring.count - max(0, limit))
        return (ring.elements(from..<ring.count), from > start)
    }

    /// The room's newest `limit` entries with an id below `id` (a `history` request with `before`), and
    /// `complete` true when nothing older than those is left.
    public func before(roomKey: String, id: Int, limit: Int) -> (entries: [HistoryEntry], complete: Bool) {
        guard let ring = rooms[roomKey] else { return ([], true) }
        let end = ring.partitionIndex { $0.id >= id }
        let from = max(0, end - max(0, limit))
        return (ring.elements(from..<end), from == 0)
    }

    /// The number of entries the room holds.
    public func count(roomKey: String) -> Int {
        rooms[roomKey]?.count ?? 0
    }
}
