/// Every timer of the server in one binary min-heap, earliest first.
///
/// Entries are never removed early: when a deadline is moved or cancelled its entry goes stale, and whoever owns
/// the timer says so when the entry reaches the top (`ConnectionTable.nextDeadline`). Pushing and popping cost
/// O(log n), which matters when ten thousand connections each push a hello deadline.
struct DeadlineQueue<Timer> {
    private var heap: [(instant: ContinuousClock.Instant, timer: Timer)] = []

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    /// The earliest entry, stale or not.
    var first: (instant: ContinuousClock.Instant, timer: Timer)? { heap.first }

    mutating func push(_ timer: Timer, at instant: ContinuousClock.Instant) {
        heap.append((instant, timer))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].instant < heap[parent].instant else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry.
    mutating func popFirst() -> (instant: ContinuousClock.Instant, timer: Timer)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].instant < heap[smallest].instant { smallest = left }
            if right < heap.count && heap[right].instant < heap[smallest].instant { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        if heap.isEmpty && heap.capacity > 1024 { heap = [] }
        return first
    }
}
