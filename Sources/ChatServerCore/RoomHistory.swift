import ChatWorld

/// One stored room message: a relayed `chat` or `emote` with the id and time the server gave it.
public struct HistoryEntry: Equatable, Sendable {
    /// Which packet the message was relayed as; the raw value is what the journal stores.
    public enum Kind: Int, Sendable {
        /// A `chat` packet.
        case chat = 0
        /// An `emote` packet.
        case emote = 1
    }

    /// The wire's `id`: at least 1, strictly increasing over the whole server, never reused.
    public var id: Int
    /// The wire's `time`, in milliseconds since the Unix epoch.
    public var time: Int64
    /// `Names.key` of the room, what queries match on.
    public var roomKey: String
    /// The room as its creator spelled it, what relayed packets carry.
    public var room: String
    /// `chat` or `emote`.
    public var kind: Kind
    /// The sender's nick as registered.
    public var nick: String
    /// The wire's `message`, already sanitized.
    public var message: String

    public init(id: Int, time: Int64, roomKey: String, room: String, kind: Kind, nick: String, message: String) {
        self.id = id
        self.time = time
        self.roomKey = roomKey
        self.room = room
        self.kind = kind
        self.nick = nick
        self.message = message
    }
}

/// The server's room history in memory, pure and without I/O: a ring per room, bounded per room and over all
/// rooms, the id sequence shared with direct messages, and a log of what changed for `HistoryJournal`.
///
/// Appends and evictions are O(1) amortized: each room keeps a deque in id order, and a global deque of
/// (id, room) marks in id order says which room holds the globally oldest entry.
public struct RoomHistory: Sendable {
    /// 1,000 messages per room: a day of a busy room, five full replays (200) back, and about 150 KiB of
    /// typical lines; the byte budget, not this limit, is what bounds many rooms together.
    public static let defaultLimitPerRoom = 1_000

    /// 64 MiB over all rooms: some 400,000 typical lines, small beside the server's send queues
    /// (1 MiB per client), and a bound a client creating thousands of rooms cannot push past.
    public static let defaultByteBudget = 64 << 20

    /// The bytes an entry is charged beyond its text: the id, time, kind, string headers and deque slots.
    public static let entryOverhead = 64

    /// The most entries kept per room; older ones are dropped.
    public let limitPerRoom: Int
    /// The most bytes (see `cost(of:)`) kept over all rooms; the globally oldest entries are dropped first.
    public let byteBudget: Int
    /// The highest id handed out so far, by `append` or `nextID()`; 0 before the first.
    public private(set) var lastID: Int
    /// The entries held, over all rooms.
    public private(set) var count = 0
    /// The bytes held over all rooms, as `cost(of:)` counts them.
    public private(set) var byteCount = 0

    var rooms: [String: HistoryDeque<HistoryEntry>] = [:]
    var order = HistoryDeque<Mark>()
    var pending = PendingChanges()
    /// Whether appends and evictions are recorded for `takeChanges()`. Turned off where no journal takes them
    /// (`ChatHub` without a database), or the record would grow with every message ever sent.
    public var recordsChanges = true

    /// Where an entry sits in the global order.
    struct Mark: Sendable {
        var id: Int
        var roomKey: String
    }

    /// What changed since the last `takeChanges()`.
    struct PendingChanges: Sendable {
        var appended: [HistoryEntry] = []
        var evicted: [Int] = []
        var recordedLastID = 0
    }

    /// An empty history whose first id is `lastID + 1`.
    public init(limitPerRoom: Int, byteBudget: Int, lastID: Int = 0) {
        precondition(limitPerRoom >= 0 && byteBudget >= 0 && lastID >= 0, "negative history limit")
        self.limitPerRoom = limitPerRoom
        self.byteBudget = byteBudget
        self.lastID = lastID
        pending.recordedLastID = lastID
    }

    /// A history refilled from the journal: `entries` (any order) are taken as already stored, ids continue
    /// after `lastID` (or the highest entry id, if higher). Entries the limits do not allow are evicted, and
    /// the next `takeChanges()` reports them so the journal deletes them too.
    public init(loading entries: [HistoryEntry], lastID: Int, limitPerRoom: Int, byteBudget: Int) {
        self.init(limitPerRoom: limitPerRoom, byteBudget: byteBudget, lastID: lastID)
        let sorted = entries.sorted { $0.id < $1.id }
        for entry in sorted { store(entry) }
        self.lastID = max(lastID, sorted.last?.id ?? 0)
    }

    /// The bytes `entry` is charged against the budget: its nick, message and room in UTF-8 plus
    /// `entryOverhead`.
    public static func cost(of entry: HistoryEntry) -> Int {
        entry.nick.utf8.count + entry.message.utf8.count + entry.room.utf8.count + entryOverhead
    }

    /// The number of rooms holding at least one entry.
    public var roomCount: Int { rooms.count }

    // MARK: - Appending

    /// Stores a room message under the next id and returns it; the oldest entries go when a limit is passed
    /// (possibly this one, when the limits are 0 or it alone is over the byte budget).
    /// In cluster mode `id` is the one the cluster's log gave it, above every id so far.
    @discardableResult
    public mutating func append(
        roomKey: String, room: String, kind: HistoryEntry.Kind, nick: String, message: String, time: Int64,
        id: Int? = nil
    ) -> HistoryEntry {
        if let id { advance(to: id - 1) }
        let entry = HistoryEntry(
            id: nextID(), time: time, roomKey: roomKey, room: room, kind: kind, nick: nick, message: message)
        if recordsChanges { pending.appended.append(entry) }
        store(entry)
        return entry
    }

    /// Takes the next id for a message that is not stored here (a direct message, never written to disk).
    public mutating func nextID() -> Int {
        lastID += 1
        return lastID
    }

    /// Takes `id` as handed out (cluster mode: the log numbers messages); ids never go back.
    public mutating func advance(to id: Int) {
        lastID = max(lastID, id)
    }

    private mutating func store(_ entry: HistoryEntry) {
        rooms[entry.roomKey, default: HistoryDeque()].append(entry)
        order.append(Mark(id: entry.id, roomKey: entry.roomKey))
        count += 1
        byteCount += Self.cost(of: entry)
        if let roomCount = rooms[entry.roomKey]?.count, roomCount > limitPerRoom {
            evictOldest(inRoom: entry.roomKey)
        }
        while byteCount > byteBudget, let mark = order.first {
            order.removeFirst()
            // A mark is stale when the per-room limit already dropped its entry.
            if rooms[mark.roomKey]?.first?.id == mark.id { evictOldest(inRoom: mark.roomKey) }
        }
        // Marks of entries the per-room limit dropped pile up when the budget is never reached: sweep them
        // once they outnumber the live ones, which keeps the sweep's cost amortized O(1) per append.
        if order.count > 2 * count + 64 {
            order.keep { mark in (rooms[mark.roomKey]?.first?.id).map { $0 <= mark.id } ?? false }
        }
    }

    private mutating func evictOldest(inRoom roomKey: String) {
        guard let entry = rooms[roomKey]?.removeFirst() else { return }
        if rooms[roomKey]?.isEmpty == true { rooms[roomKey] = nil }
        count -= 1
        byteCount -= Self.cost(of: entry)
        if recordsChanges { pending.evicted.append(entry.id) }
    }

    // MARK: - Changes for the journal

    /// What was appended and evicted since the last call, for `HistoryJournal.write(_:)`. An entry both
    /// appended and evicted in between appears in neither; `lastID` is set when ids were handed out.
    public mutating func takeChanges() -> HistoryChanges {
        guard !pending.appended.isEmpty || !pending.evicted.isEmpty || pending.recordedLastID != lastID else {
            return HistoryChanges()
        }
        let firstNew = pending.appended.first?.id ?? Int.max
        let appended = pending.appended.filter { entry in
            (rooms[entry.roomKey]?.first?.id).map { $0 <= entry.id } ?? false
        }
        let evicted = pending.evicted.filter { $0 < firstNew }
        let changes = HistoryChanges(
            appended: appended, evicted: evicted, lastID: pending.recordedLastID == lastID ? nil : lastID)
        pending = PendingChanges(recordedLastID: lastID)
        return changes
    }
}

/// What changed in a `RoomHistory` between two `takeChanges()` calls: the journal's work for one loop pass.
public struct HistoryChanges: Equatable, Sendable {
    /// Entries to insert, in id order.
    public var appended: [HistoryEntry]
    /// Ids of stored entries to delete.
    public var evicted: [Int]
    /// The highest id handed out, when it moved (direct messages move it without an entry); nil otherwise.
    public var lastID: Int?
    /// Player places and item locations that changed, in world mode.
    public var world = WorldChanges()

    public init(appended: [HistoryEntry] = [], evicted: [Int] = [], lastID: Int? = nil) {
        self.appended = appended
        self.evicted = evicted
        self.lastID = lastID
    }

    /// True when there is nothing to write.
    public var isEmpty: Bool { appended.isEmpty && evicted.isEmpty && lastID == nil && world.isEmpty }

    /// Adds `later` changes after these, for a write retried together with the next pass's; inserts run
    /// before deletes in a write, so an entry appended here and evicted in `later` ends up deleted.
    public mutating func merge(_ later: HistoryChanges) {
        appended += later.appended
        evicted += later.evicted
        if let lastID = later.lastID { self.lastID = max(self.lastID ?? lastID, lastID) }
        world.merge(later.world)
    }
}
