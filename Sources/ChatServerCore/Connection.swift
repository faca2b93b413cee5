import ChatProtocol

/// One connection's lifecycle as a pure state machine, in the manner of Hummingbird's connection state machines:
/// each phase carries its own data, each event is one method that says what the loop must do, and the time is
/// always passed in, never read. The socket and the output queue stay with the loop.
struct Connection {
    typealias Instant = ContinuousClock.Instant

    /// What a connection that still reads needs: its frame decoder and its rate limit.
    struct Input {
        var decoder = FrameDecoder()
        var bucket: TokenBucket
        /// Set while the rate limit holds the connection back; reading resumes at this instant.
        var throttledUntil: Instant?
        /// For a joined `ping` client: when it was last heard from, and when to look again.
        var liveness: Liveness?
    }

    /// The ping rule: a client silent for `interval` is pinged, and counted gone after `interval` more.
    struct Liveness: Equatable {
        let interval: Duration
        var lastHeard: Instant
        var checkAt: Instant
        /// When the unanswered ping went out.
        var pingSentAt: Instant?
    }

    enum Phase {
        /// Connected, and has until `deadline` to complete `hello`.
        case greeting(Input, deadline: Instant)
        /// Joined: reading and relaying.
        case open(Input)
        /// Lingering close: flush, shut down writes, then discard input until the peer's FIN or `deadline`.
        /// Closing with unread input at once would send a reset, which can destroy the last packet in flight.
        case closing(deadline: Instant, writeShut: Bool)
        /// To be dropped at the end of this pass: nothing more is read or written.
        case closed
    }

    /// What `nextPacket` found.
    enum PacketAction: Equatable {
        /// A whole payload for the hub.
        case packet(ArraySlice<UInt8>)
        /// No whole frame is buffered (or the connection no longer reads).
        case none
        /// This pass's share is used up; the rest waits for the next pass.
        case budgetSpent
        /// The rate limit holds the connection back until then; its socket is not read meanwhile.
        case throttled(until: Instant)
    }

    /// Which of the connection's deadlines passed.
    enum DeadlineAction: Equatable {
        case helloTimeout
        case throttleEnded
        case lingerEnded
        /// Silent for the ping interval: send `ping`.
        case sendPing
        /// Silent for twice the ping interval: counted gone.
        case pingTimeout
    }

    /// The most packets handled for one connection in one pass, so that a flood cannot starve the others.
    static let packetsPerPass = 64

    let id: ClientID
    let peer: String
    private(set) var phase: Phase

    init(id: ClientID, peer: String, bucket: TokenBucket, helloDeadline: Instant) {
        self.id = id
        self.peer = peer
        phase = .greeting(Input(bucket: bucket), deadline: helloDeadline)
    }

    // MARK: - Questions the loop asks

    /// Counts against `--max-clients`: greeting and open connections do, closing ones no longer.
    var holdsSlot: Bool {
        switch phase {
        case .greeting, .open: true
        case .closing, .closed: false
        }
    }

    var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    /// Whether the loop should watch the socket for input. Not while a whole frame waits (the backlog serves it)
    /// or the rate limit holds: unread input is TCP back-pressure, so nothing is lost.
    var wantsRead: Bool {
        switch phase {
        case .greeting(let input, _), .open(let input):
            input.throttledUntil == nil && !input.decoder.hasCompleteFrame
        case .closing: true
        case .closed: false
        }
    }

    /// A whole frame is buffered and may be handled next pass without reading.
    var hasFrameWaiting: Bool {
        switch phase {
        case .greeting(let input, _), .open(let input):
            input.throttledUntil == nil && input.decoder.hasCompleteFrame
        case .closing, .closed: false
        }
    }

    /// The earliest of the connection's deadlines.
    var nextDeadline: Instant? {
        switch phase {
        case .greeting(let input, let deadline): min(deadline, input.throttledUntil ?? deadline)
        case .open(let input):
            switch (input.throttledUntil, input.liveness?.checkAt) {
            case (let throttle?, let check?): min(throttle, check)
            case (let throttle, let check): throttle ?? check
            }
        case .closing(let deadline, _): deadline
        case .closed: nil
        }
    }

    // MARK: - Events

    /// Bytes arrived at `now`. Returns false when they were discarded: a closing connection reads only to see
    /// the FIN.
    mutating func received(_ bytes: UnsafeRawBufferPointer, now: Instant) -> Bool {
        let appended: Void? = withInput { input in
            input.decoder.append(bytes)
            input.liveness?.lastHeard = now
        }
        return appended != nil
    }

    /// The next whole payload to hand the hub, if this pass's share and the rate limit allow one.
    mutating func nextPacket(handledThisPass handled: Int, now: Instant) -> PacketAction {
        withInput { Self.take(from: &$0, handled: handled, now: now) } ?? .none
    }

    private static func take(from input: inout Input, handled: Int, now: Instant) -> PacketAction {
        guard input.throttledUntil == nil, input.decoder.hasCompleteFrame else { return .none }
        guard handled < packetsPerPass else { return .budgetSpent }
        if let resume = input.bucket.take(now: now) {
            input.throttledUntil = resume
            return .throttled(until: resume)
        }
        guard let payload = input.decoder.next() else { return .none }
        return .packet(payload)
    }

    /// The hub accepted this connection's `hello`: the hello deadline no longer applies, and a `ping` client
    /// (`pingInterval` given) is watched for silence from `now` on.
    mutating func joined(pingInterval: Duration? = nil, now: Instant) {
        guard case .greeting(var input, _) = phase else { return }
        if let interval = pingInterval, interval > .zero {
            input.liveness = Liveness(interval: interval, lastHeard: now, checkAt: now + interval)
        }
        phase = .open(input)
    }

    /// Starts the lingering close; the loop has queued whatever last packet it owed. Returns false if the
    /// connection was already closing or closed.
    mutating func close(now: Instant, grace: Duration) -> Bool {
        guard holdsSlot else { return false }
        phase = .closing(deadline: now + grace, writeShut: false)
        return true
    }

    /// The peer closed its side. Returns why the connection ends, or nil if it had already ended.
    mutating func endOfStream() -> String? {
        switch phase {
        case .greeting, .open:
            phase = .closed
            return "closed by peer"
        case .closing:
            phase = .closed
            return "closed after lingering"
        case .closed:
            return nil
        }
    }

    /// A read or write failed, or the loop gave up on the peer: dropped at the end of the pass. Returns false if
    /// it already was.
    mutating func fail() -> Bool {
        guard !isClosed else { return false }
        phase = .closed
        return true
    }

    /// The loop sent what it could and `remaining` bytes are still queued. Returns true exactly once, when a
    /// closing connection's last byte has gone and its writing side should be shut down.
    mutating func flushed(remaining: Int) -> Bool {
        guard remaining == 0, case .closing(let deadline, false) = phase else { return false }
        phase = .closing(deadline: deadline, writeShut: true)
        return true
    }

    /// Which deadline passed at `now`, if any; the connection moves on accordingly (a hello timeout is carried
    /// out by the loop, which owes the peer an `error` first).
    mutating func deadlineReached(now: Instant) -> DeadlineAction? {
        switch phase {
        case .greeting(_, let deadline) where deadline <= now:
            return .helloTimeout
        case .greeting, .open:
            return withInput { input in
                if let resume = input.throttledUntil, resume <= now {
                    input.throttledUntil = nil
                    return .throttleEnded
                }
                guard var liveness = input.liveness, liveness.checkAt <= now else { return nil }
                defer { input.liveness = liveness }
                return Self.check(&liveness, now: now)
            } ?? nil
        case .closing(let deadline, _):
            guard deadline <= now else { return nil }
            phase = .closed
            return .lingerEnded
        case .closed:
            return nil
        }
    }

    private static func check(_ liveness: inout Liveness, now: Instant) -> DeadlineAction? {
        if let sent = liveness.pingSentAt {
            guard liveness.lastHeard < sent else {
                liveness.pingSentAt = nil
                liveness.checkAt = liveness.lastHeard + liveness.interval
                return nil
            }
            return .pingTimeout
        }
        guard now - liveness.lastHeard >= liveness.interval else {
            liveness.checkAt = liveness.lastHeard + liveness.interval
            return nil
        }
        liveness.pingSentAt = now
        liveness.checkAt = now + liveness.interval
        return .sendPing
    }

    /// Runs `body` on the input of a connection that still reads; nil for one that does not.
    private mutating func withInput<Result>(_ body: (inout Input) -> Result) -> Result? {
        switch phase {
        case .greeting(var input, let deadline):
            // Taking the input out of the enum first leaves the decoder's buffer uniquely referenced, so it is
            // changed in place rather than copied on every packet.
            phase = .closed
            defer { phase = .greeting(input, deadline: deadline) }
            return body(&input)
        case .open(var input):
            phase = .closed
            defer { phase = .open(input) }
            return body(&input)
        case .closing, .closed:
            return nil
        }
    }
}
