/// When to try again after a Redis connection ended: exponential backoff, capped, reset by a connection that
/// lasted. Pure: the caller passes the clock's reading, in milliseconds of any monotonic clock.
///
/// A `RedisConnection` never reconnects by itself; its owner makes a new one when `nextAttempt(now:)` says so.
public struct RedisReconnectPolicy: Equatable, Sendable {
    /// The first wait, in milliseconds.
    public var initialDelay: Int64
    /// The longest wait, in milliseconds.
    public var maximumDelay: Int64
    /// A connection that stayed up this long (milliseconds) resets the backoff.
    public var stableAfter: Int64

    /// Failures in a row since the last stable connection.
    public private(set) var failures = 0
    /// When the current connection was established, if it is up.
    private var connectedAt: Int64?
    /// When the last connection ended or failed.
    private var endedAt: Int64?

    /// 100 ms, doubling to 2 s; reset after 5 s up.
    public init(initialDelay: Int64 = 100, maximumDelay: Int64 = 2_000, stableAfter: Int64 = 5_000) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.stableAfter = stableAfter
    }

    /// The connection was established at `now`.
    public mutating func connected(now: Int64) {
        connectedAt = now
    }

    /// The connection ended, or the attempt failed, at `now`.
    public mutating func ended(now: Int64) {
        if let connectedAt, now - connectedAt >= stableAfter { failures = 0 }
        failures += 1
        connectedAt = nil
        endedAt = now
    }

    /// The wait after `failures` failures in a row: `initialDelay` doubled per failure after the first, capped.
    public var currentDelay: Int64 {
        guard failures > 0 else { return 0 }
        let doublings = min(failures - 1, 30)
        return min(maximumDelay, initialDelay << Int64(doublings))
    }

    /// When to try the next connection: at once if nothing failed yet, else `currentDelay` after the end.
    public func nextAttempt(now: Int64) -> Int64 {
        guard let endedAt else { return now }
        return max(now, endedAt + currentDelay)
    }
}
