/// The rate limit of one connection: `rate` tokens a second up to `burst`, one per packet. Pure: the time is
/// passed in.
struct TokenBucket {
    /// Tokens per second; 0 turns the limit off.
    let rate: Double
    let burst: Double
    private(set) var tokens: Double
    private(set) var refilledAt: ContinuousClock.Instant

    init(rate: Double, burst: Double, now: ContinuousClock.Instant) {
        self.rate = rate
        self.burst = burst
        tokens = burst
        refilledAt = now
    }

    /// Takes a token for one packet. Returns nil when granted, or else the instant one token will have accrued
    /// (that token is then set aside, so a take at that instant is granted whatever the rounding).
    mutating func take(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        guard rate > 0 else { return nil }
        if now > refilledAt {
            tokens = min(burst, tokens + (now - refilledAt).seconds * rate)
            refilledAt = now
        }
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        let resume = refilledAt + .nanoseconds(Int64(((1 - tokens) / rate * 1e9).rounded(.up)))
        tokens = 1
        refilledAt = resume
        return resume
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
