/// How long to wait before each reconnect attempt: exponential, capped, with jitter so that many clients
/// dropped by one server restart do not all come back in the same millisecond.
public struct Backoff: Equatable, Sendable {
    /// The wait before the first attempt, in milliseconds.
    public var initial: Int64
    /// The longest wait, in milliseconds.
    public var maximum: Int64
    /// The share of each wait that jitter may take off, 0 to 1.
    public var jitter: Double

    /// 1 s, doubling to 30 s, less up to a fifth at random.
    public static let standard = Backoff(initial: 1_000, maximum: 30_000, jitter: 0.2)

    public init(initial: Int64, maximum: Int64, jitter: Double) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The wait before attempt `attempt` (1 for the first), in milliseconds: `initial` doubled `attempt - 1`
    /// times, at most `maximum`, less a random share of up to `jitter` of it.
    public func delay(beforeAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Int64 {
        let doublings = min(max(attempt - 1, 0), 40)
        let base = initial > maximum >> Int64(doublings) ? maximum : initial << Int64(doublings)
        let spread = Int64(Double(base) * jitter)
        guard spread > 0 else { return base }
        return base - Int64.random(in: 0...spread, using: &generator)
    }
}

/// A small seeded generator (SplitMix64), so that jitter is reproducible in tests.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
