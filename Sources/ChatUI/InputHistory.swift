/// The lines sent so far, walked with Up and Down.
///
/// Walking up from the line being typed saves it as the draft; walking back down past the newest entry
/// brings the draft back. An entry edited during a walk keeps the edit until the walk ends (a line is sent),
/// as in readline: Up, edit, Up, Down shows the edit again.
struct InputHistory: Equatable {
    /// The most entries kept; older ones are dropped.
    let capacity: Int
    /// Sent lines, oldest first.
    private(set) var entries: [String] = []
    // The entry shown while walking; nil while on the draft.
    private var position: Int? = nil
    private var draft = ""
    // Entries edited during the current walk, by index.
    private var edits: [Int: String] = [:]

    /// An empty history keeping at most `capacity` lines.
    init(capacity: Int = 1_000) {
        self.capacity = max(1, capacity)
    }

    /// Records a sent line (not empty ones, nor a repeat of the newest) and ends any walk.
    mutating func record(_ line: String) {
        position = nil
        draft = ""
        edits = [:]
        guard !line.isEmpty, entries.last != line else { return }
        entries.append(line)
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }

    /// Up: the next older entry, or nil at the oldest. `current` is the line on screen, kept as the draft
    /// when the walk starts.
    mutating func previous(current: String) -> String? {
        let target = (position ?? entries.count) - 1
        guard target >= 0 else { return nil }
        keep(current)
        position = target
        return edits[target] ?? entries[target]
    }

    /// Down: the next newer entry, the draft after the newest, or nil when already on the draft. `current`
    /// is the line on screen, kept as the entry's edit.
    mutating func next(current: String) -> String? {
        guard let position else { return nil }
        keep(current)
        if position + 1 < entries.count {
            self.position = position + 1
            return edits[position + 1] ?? entries[position + 1]
        }
        self.position = nil
        return draft
    }

    /// Remembers what is on screen: as the draft, or as the edit of the entry shown.
    private mutating func keep(_ current: String) {
        guard let position else {
            draft = current
            return
        }
        edits[position] = current == entries[position] ? nil : current
    }
}
