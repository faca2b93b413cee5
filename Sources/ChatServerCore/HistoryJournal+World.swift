import CSQLite
import ChatWorld

// MARK: - World mode

extension HistoryJournal {
    /// Reads where world mode's players and items were (`world_players`, `world_items`); records that name
    /// what the current world lacks are dropped later, by `WorldState`.
    public func loadWorld() throws(HistoryJournalError) -> WorldChanges {
        var saved = WorldChanges()
        let players = try prepare("SELECT nick_key, place FROM world_players", step: "load world players")
        defer { sqlite3_finalize(players) }
        while try step(players, "load world players") == SQLITE_ROW {
            saved.places[text(players, 0)] = text(players, 1)
        }
        let items = try prepare("SELECT item, place, carrier FROM world_items", step: "load world items")
        defer { sqlite3_finalize(items) }
        while try step(items, "load world items") == SQLITE_ROW {
            if sqlite3_column_type(items, 2) != SQLITE_NULL {
                saved.items[text(items, 0)] = .carried(text(items, 2))
            } else if sqlite3_column_type(items, 1) != SQLITE_NULL {
                saved.items[text(items, 0)] = .place(text(items, 1))
            }
        }
        return saved
    }

    /// Writes world changes inside the pass's transaction: forgotten players first, then places and items.
    func write(_ changes: WorldChanges) throws(HistoryJournalError) {
        for key in changes.forgotten.sorted() {
            bind(key, to: 1, of: statements.forgetPlayer)
            try run(statements.forgetPlayer, "forget world player")
        }
        for (key, place) in changes.places.sorted(by: { $0.key < $1.key }) {
            bind(key, to: 1, of: statements.placePlayer)
            bind(place, to: 2, of: statements.placePlayer)
            try run(statements.placePlayer, "save world player")
        }
        for (item, location) in changes.items.sorted(by: { $0.key < $1.key }) {
            bind(item, to: 1, of: statements.placeItem)
            switch location {
            case .place(let place): bind(place, to: 2, of: statements.placeItem)
            case .carried(let carrier): bind(carrier, to: 3, of: statements.placeItem)
            }
            try run(statements.placeItem, "save world item")
        }
    }
}
