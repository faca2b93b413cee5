/// The lines sent so far, walked with Up and Down.
///
/// Walking up from the line being typed saves it as the draft; walking back down past the newest entry
/// brings the draft back.
struct InputHistory: Equatable {
    /// The most entries kept; older ones are dropped.
    let capacity: Int
    /// Sent lines, oldest first.
    private(set) var entries: [String] = []
    // The entry shown while walking; nil while on the draft.
    private var position: Int? = nil
    private var draft = ""

    /// An empty history keeping at most `capacity` lines.
    init(capacity: Int = 1_000) {
        self.capacity = max(1, capacity)
    }

    /// Records a sent line (not empty ones, nor a repeat of the newest) and ends any walk.
    mutating func record(_ line: String) {
        position = nil
        draft = ""
        guard !line.isEmpty, entries.last != line else { return }
        entries.append(line)
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }

    /// Up: the next older entry, or nil at the oldest. `current` is the line on screen, kept as the draft
    /// when the walk starts.
    mutating func previous(current: String) -> String? {
        let target: Int
        if let position {
            target = position - 1
        } else {
            draft = current
            target = entries.count - 1
        }
        guard target >= 0 else { return nil }
        position = target
        return entries[target]
    }

    /// Down: the next newer entry, the draft after the newest, or nil when already on the draft.
    mutating func next() -> String? {
        guard let position else { return nil }
        if position + 1 < entries.count {
            self.position = position + 1
            return entries[position + 1]
        }
        self.position = nil
        return draft
    }
}
