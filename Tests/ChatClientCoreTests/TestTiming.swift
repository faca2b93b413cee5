@testable import ChatClientCore

extension LinkStateMachine.Timing {
    /// A link that reconnects quickly and never pings within a test: `backoff` milliseconds between attempts
    /// (no jitter, so runs repeat), at most `attempts` in a row.
    static func forTests(
        handshakeTimeout: Int64 = 5_000, backoff initial: Int64 = 300, maximum: Int64? = nil, attempts: Int = 5
    ) -> Self {
        LinkStateMachine.Timing(
            handshakeTimeout: handshakeTimeout, idleBeforePing: 30_000, pingTimeout: 30_000,
            backoff: Backoff(initial: initial, maximum: maximum ?? initial, jitter: 0), maxAttempts: attempts)
    }
}
