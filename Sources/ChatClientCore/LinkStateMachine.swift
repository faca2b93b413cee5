/// The timing of a client's link to its server, as a pure state machine in the manner of Hummingbird's: one
/// phase enum carrying that phase's data, one method per event returning what to do, and the time passed
/// in (milliseconds on any monotonic clock), never read inside. The session carries out the actions.
///
/// It covers the handshake deadline, pings to a silent server (only when its `welcome` listed `ping`), and
/// the reconnect backoff.
public struct LinkStateMachine: Sendable {
    /// Every timer's length, in milliseconds.
    public struct Timing: Equatable, Sendable {
        /// How long the server has to answer `hello` with any packet.
        public var handshakeTimeout: Int64
        /// After this long without a packet, the client pings the server.
        public var idleBeforePing: Int64
        /// After this long more without a packet, the server counts as gone.
        public var pingTimeout: Int64
        /// The waits between reconnect attempts.
        public var backoff: Backoff
        /// Give up after this many failed attempts in a row; nil never gives up.
        public var maxAttempts: Int?

        /// 10 s to answer, ping after 30 s, gone 30 s later, the standard backoff, never give up.
        public static let standard = Timing(
            handshakeTimeout: 10_000, idleBeforePing: 30_000, pingTimeout: 30_000, backoff: .standard,
            maxAttempts: nil)

        public init(
            handshakeTimeout: Int64, idleBeforePing: Int64, pingTimeout: Int64, backoff: Backoff, maxAttempts: Int?
        ) {
            self.handshakeTimeout = handshakeTimeout
            self.idleBeforePing = idleBeforePing
            self.pingTimeout = pingTimeout
            self.backoff = backoff
            self.maxAttempts = maxAttempts
        }
    }

    /// Where the link stands, with the data of that phase.
    public enum Phase: Equatable, Sendable {
        /// `hello` is sent; the server must answer by `deadline`.
        case greeting(deadline: Int64)
        /// The server has answered; `pingSent` is when our unanswered ping went out.
        case open(lastHeard: Int64, pingSent: Int64?)
        /// Disconnected; attempt `attempt` starts at `retryAt`.
        case waiting(retryAt: Int64, attempt: Int)
        /// Attempt `attempt` is connecting.
        case connecting(attempt: Int)
        /// No more attempts: the user quit, or the link gave up.
        case stopped
    }

    /// Why the session should drop a connection that is still open.
    public enum DropReason: Equatable, Sendable, CustomStringConvertible {
        /// Nothing at all came back after `hello`.
        case noAnswer(milliseconds: Int64)
        /// The server answered no packet, not even our ping.
        case silent

        public var description: String {
            switch self {
            case .noAnswer(let milliseconds): "no answer from the server within \(Self.seconds(milliseconds))"
            case .silent: "the server went silent"
            }
        }

        private static func seconds(_ milliseconds: Int64) -> String {
            milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
        }
    }

    /// What the session should do now.
    public enum Action: Equatable, Sendable {
        case none
        /// Send `ping` to the server.
        case sendPing
        /// Close the connection, then report `lost(at:)`.
        case drop(DropReason)
        /// Connect again (attempt `attempt`), then report `connected(at:)` or `lost(at:)`.
        case connect(attempt: Int)
        /// Stop trying: `attempts` failed in a row.
        case giveUp(attempts: Int)
    }

    public let timing: Timing
    public private(set) var phase: Phase
    /// Whether the server's `welcome` listed `ping`; a server that did not is never pinged.
    public private(set) var pingsServer = false

    /// A machine whose first connection is up and has sent `hello` at `now`.
    public init(timing: Timing = .standard, connectedAt now: Int64) {
        self.timing = timing
        phase = .greeting(deadline: now + timing.handshakeTimeout)
    }

    // MARK: - Events

    /// A connection is up and has sent `hello`.
    public mutating func connected(at now: Int64) {
        guard phase != .stopped else { return }
        pingsServer = false
        phase = .greeting(deadline: now + timing.handshakeTimeout)
    }

    /// A packet (any packet) arrived from the server.
    public mutating func heard(at now: Int64) {
        switch phase {
        case .greeting, .open: phase = .open(lastHeard: now, pingSent: nil)
        case .waiting, .connecting, .stopped: break
        }
    }

    /// The server's `welcome` said whether it takes `ping`.
    public mutating func serverTakesPing(_ takesPing: Bool) {
        pingsServer = takesPing
    }

    /// The connection ended, or a connect attempt failed: wait, or give up after too many attempts.
    public mutating func lost(at now: Int64, using generator: inout some RandomNumberGenerator) -> Action {
        let attempt: Int
        switch phase {
        case .stopped: return .none
        case .connecting(let current): attempt = current + 1
        case .greeting, .open, .waiting: attempt = 1
        }
        if let maxAttempts = timing.maxAttempts, attempt > maxAttempts {
            phase = .stopped
            return .giveUp(attempts: attempt - 1)
        }
        phase = .waiting(
            retryAt: now + timing.backoff.delay(beforeAttempt: attempt, using: &generator), attempt: attempt)
        return .none
    }

    /// The user asked to try now (Enter, `/reconnect`).
    public mutating func retryNow(at now: Int64) {
        if case .waiting(_, let attempt) = phase { phase = .waiting(retryAt: now, attempt: attempt) }
    }

    /// No more attempts: the user quit.
    public mutating func stop() {
        phase = .stopped
    }

    /// Time passed: what is due at `now`.
    public mutating func tick(at now: Int64) -> Action {
        switch phase {
        case .greeting(let deadline):
            return now >= deadline ? .drop(.noAnswer(milliseconds: timing.handshakeTimeout)) : .none
        case .open(let lastHeard, nil):
            guard pingsServer, now - lastHeard >= timing.idleBeforePing else { return .none }
            phase = .open(lastHeard: lastHeard, pingSent: now)
            return .sendPing
        case .open(_, let pingSent?):
            return now - pingSent >= timing.pingTimeout ? .drop(.silent) : .none
        case .waiting(let retryAt, let attempt):
            guard now >= retryAt else { return .none }
            phase = .connecting(attempt: attempt)
            return .connect(attempt: attempt)
        case .connecting, .stopped:
            return .none
        }
    }

    // MARK: - Reading

    /// When `tick(at:)` next has something to do; nil when only an event can change anything.
    public var deadline: Int64? {
        switch phase {
        case .greeting(let deadline): deadline
        case .open(let lastHeard, nil): pingsServer ? lastHeard + timing.idleBeforePing : nil
        case .open(_, let pingSent?): pingSent + timing.pingTimeout
        case .waiting(let retryAt, _): retryAt
        case .connecting, .stopped: nil
        }
    }
}
