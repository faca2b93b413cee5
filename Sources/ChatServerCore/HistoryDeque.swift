/// A first-in first-out sequence with O(1) amortized `append` and `removeFirst`: an array and a head index,
/// compacted once the removed prefix is at least half the storage. `RoomHistory` keeps one per room and one
/// for the global eviction order.
struct HistoryDeque<Element: Sendable>: Sendable {
    private var storage: [Element] = []
    private var head = 0

    /// The number of elements held.
    var count: Int { storage.count - head }

    /// True when nothing is held.
    var isEmpty: Bool { head == storage.count }

    /// The oldest element, if any.
    var first: Element? { isEmpty ? nil : storage[head] }

    /// The element at `index`, 0 being the oldest.
    subscript(index: Int) -> Element { storage[head + index] }

    /// Adds `element` as the newest.
    mutating func append(_ element: Element) {
        storage.append(element)
    }

    /// Removes and returns the oldest element; the deque must not be empty.
    @discardableResult
    mutating func removeFirst() -> Element {
        let element = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: storage.capacity <= 1_024)
            head = 0
        } else if head >= 32, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    /// The elements in `range` (indices from the oldest), oldest first.
    func elements(_ range: Range<Int>) -> [Element] {
        Array(storage[(head + range.lowerBound)..<(head + range.upperBound)])
    }

    /// Keeps only the elements for which `isIncluded` is true, in order.
    mutating func keep(where isIncluded: (Element) -> Bool) {
        storage = storage[head...].filter(isIncluded)
        head = 0
    }

    /// The index of the first element for which `isAbove` is true, or `count` when none is; `isAbove` must be
    /// false for a prefix of the elements and true for the rest (a binary search).
    func partitionIndex(where isAbove: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = low + (high - low) / 2
            if isAbove(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
