import ChatProtocol

/// Where things are in a world now: each item's place or carrier, each player's place, who is present.
///
/// Players are kept by nick key for good, present or not: a nick that comes back (after a resume, a new
/// hello or a restart with `--db`) is where it was, with what it carried. The hub tells it who enters and
/// leaves; `perform(_:by:)` (in `WorldState+Commands.swift`) runs a player's command.
public struct WorldState: Sendable {
    public let world: World
    /// Where each item is, by item key.
    public private(set) var items: [String: ItemLocation]
    /// Each player's place key, by nick key.
    public private(set) var places: [String: String]
    /// The spelling of each present player's nick, by nick key.
    public private(set) var present: [String: String] = [:]
    /// The next line each character says to `talk`, by character key.
    var turns: [String: Int] = [:]
    /// Whether changes are kept for `takeChanges()` (only when a journal takes them).
    public var recordsChanges = false
    private var changes = WorldChanges()

    /// The world with its items where they start, or where `saved` says they were; saved records that name
    /// something this world lacks are ignored.
    public init(world: World, saved: WorldChanges = WorldChanges()) {
        self.world = world
        items = world.items.mapValues { .place($0.start) }
        for (item, location) in saved.items where world.items[item] != nil {
            if case .place(let place) = location, world.places[place] == nil { continue }
            items[item] = location
        }
        places = saved.places.filter { world.places[$0.value] != nil }
    }

    // MARK: - Presence

    /// A player comes (a hello): returns the key of its place, the saved one or the start.
    public mutating func enter(_ nickKey: String, nick: String) -> String {
        present[nickKey] = nick
        if let place = places[nickKey] { return place }
        setPlace(world.start, of: nickKey)
        return world.start
    }

    /// A player's session ended; its place and inventory are kept.
    public mutating func leave(_ nickKey: String) {
        present[nickKey] = nil
    }

    /// Whether a nick has a place in this world, present or not.
    public func isKnown(_ nickKey: String) -> Bool { places[nickKey] != nil }

    /// A present player takes a new nick: its place and inventory go with it.
    public mutating func rename(_ oldKey: String, to newKey: String, nick: String) {
        guard oldKey != newKey else {
            present[newKey] = nick
            return
        }
        present[oldKey] = nil
        present[newKey] = nick
        if let place = places.removeValue(forKey: oldKey) {
            if recordsChanges { changes.forget(oldKey) }
            setPlace(place, of: newKey)
        }
        for (item, location) in items where location == .carried(oldKey) { setLocation(.carried(newKey), of: item) }
    }

    /// The present players in a place, sorted.
    public func players(in place: String) -> [String] {
        present.filter { places[$0.key] == place }.map(\.value).sorted(by: Names.areInOrder)
    }

    /// The items in a place or carried by a player, in file order.
    public func items(at location: ItemLocation) -> [World.Item] {
        world.itemOrder.filter { items[$0] == location }.compactMap { world.items[$0] }
    }

    // MARK: - Changes

    mutating func setPlace(_ place: String, of nickKey: String) {
        places[nickKey] = place
        if recordsChanges { changes.places[nickKey] = place }
    }

    mutating func setLocation(_ location: ItemLocation, of item: String) {
        items[item] = location
        if recordsChanges { changes.items[item] = location }
    }

    /// What changed since the last call, for the journal.
    public mutating func takeChanges() -> WorldChanges {
        defer { changes = WorldChanges() }
        return changes
    }
}

/// Where an item is: in a place, or carried by a player (by nick key).
public enum ItemLocation: Hashable, Sendable {
    case place(String)
    case carried(String)
}

/// Player places and item locations to store, or as they were stored; a nil place forgets a player.
public struct WorldChanges: Equatable, Sendable {
    public var places: [String: String]
    public var forgotten: Set<String> = []
    public var items: [String: ItemLocation]

    public init(places: [String: String] = [:], items: [String: ItemLocation] = [:]) {
        self.places = places
        self.items = items
    }

    public var isEmpty: Bool { places.isEmpty && forgotten.isEmpty && items.isEmpty }

    mutating func forget(_ nickKey: String) {
        places[nickKey] = nil
        forgotten.insert(nickKey)
    }

    /// Adds `later` changes after these.
    public mutating func merge(_ later: WorldChanges) {
        for key in later.forgotten { forget(key) }
        for (key, place) in later.places {
            places[key] = place
            forgotten.remove(key)
        }
        items.merge(later.items) { $1 }
    }
}
