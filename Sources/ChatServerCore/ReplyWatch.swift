/// The rule that turns a Redis that hangs into a Redis lost: a connection that waits (a reply outstanding, or
/// its connect not yet complete) and makes no progress (no reply arrives) for `bound` counts as dropped. hiredis
/// has no timeout of its own. Pure: the caller passes what the connection looks like and the clock's reading.
struct ReplyWatch {
    typealias Instant = ContinuousClock.Instant

    /// How long a waiting connection may go without progress.
    let bound: Duration
    /// Since when the connection has waited without progress; nil while it waits for nothing.
    private(set) var since: Instant?
    /// The connection's reply count when last observed.
    private var replies: UInt64 = 0

    init(bound: Duration) {
        self.bound = bound
    }

    /// Notes the connection's state at `now`: whether it waits, and how many replies it has received in all.
    mutating func observe(waiting: Bool, replies: UInt64, now: Instant) {
        if !waiting {
            since = nil
        } else if since == nil || replies != self.replies {
            since = now
        }
        self.replies = replies
    }

    /// Forgets the connection (it was dropped or replaced).
    mutating func reset() {
        since = nil
        replies = 0
    }

    /// When the wait runs out, if the connection waits.
    var deadline: Instant? { since.map { $0 + bound } }

    /// Whether the connection has waited without progress for `bound` or longer at `now`.
    func isOverdue(now: Instant) -> Bool {
        deadline.map { $0 <= now } ?? false
    }
}
