/// What other threads leave for the input thread: the state behind `ChatUI`'s lock.
struct Mailbox {
    /// Where the UI is in its life.
    enum Phase {
        /// Before `initWindows()`: lines queue up and show at the first `readCommand(_:)`.
        case waiting
        /// Curses is on: lines queue up for the input thread.
        case active
        /// After `endWindows()`: lines go straight to standard output.
        case ended
    }

    /// What the input thread takes in one go.
    struct Delivery {
        /// `/clear`: empty the pane before the lines below are added.
        var cleared = false
        /// Batches of lines older than every line held, for the top of the pane, each oldest first.
        var older: [[(text: String, style: MessageStyle)]] = []
        var lines: [(text: String, style: MessageStyle)] = []
        var status: String? = nil
        var prompt: String? = nil
        var inputClosed = false
        var interrupted = false
    }

    var phase = Phase.waiting
    var pending = Delivery()
    /// Whether a byte is already in the wake-up pipe; saves a `write(2)` per line during a flood.
    var wakePending = false
    /// Lines beyond this many are dropped oldest first (the scrollback would drop them anyway), so a flood
    /// the input thread cannot keep up with does not grow memory without bound.
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Queues a line; says whether the caller must wake the input thread.
    mutating func post(_ text: String, style: MessageStyle) -> Bool {
        pending.lines.append((text, style))
        if pending.lines.count >= 2 * capacity {
            pending.lines.removeFirst(pending.lines.count - capacity)
        }
        return markWake()
    }

    /// Queues lines for the top of the pane; says whether the caller must wake the input thread.
    mutating func postOlder(_ lines: [(text: String, style: MessageStyle)]) -> Bool {
        pending.older.append(lines)
        return markWake()
    }

    /// Queues a clearing of the pane: lines queued before it will never be seen; the rest (status, flags)
    /// stays.
    mutating func postClear() -> Bool {
        pending.cleared = true
        pending.lines.removeAll()
        pending.older.removeAll()
        return markWake()
    }

    /// Notes that a wake-up is due; true when no byte is in the pipe yet.
    mutating func markWake() -> Bool {
        defer { wakePending = true }
        return !wakePending
    }

    /// Takes everything queued. The caller drains the pipe before calling this, so a wake-up written after
    /// it is never lost.
    mutating func collect() -> Delivery {
        wakePending = false
        defer { pending = Delivery() }
        return pending
    }
}
