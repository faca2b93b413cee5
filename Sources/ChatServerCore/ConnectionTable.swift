/// Every connection's state machine, the slots they hold, and every timer of the server in one deadline queue.
///
/// Pure like `ChatHub`: the loop reports what happened (with the time), the table answers what is due. It owns the
/// rules that span connections: admission against `--max-clients`, identities that survive descriptor reuse, and
/// the server's own timers (the accept pause, the shutdown grace, the idle-buffer sweep).
struct ConnectionTable {
    typealias Instant = ContinuousClock.Instant

    enum Timer {
        case connection(ClientID)
        case session(SessionID)
        case resumeAccepting
        case shutdownGraceEnded
        case sweep
    }

    /// A deadline that has passed, for the loop to carry out.
    enum Expiry: Equatable {
        case helloTimeout(ClientID)
        case throttleEnded(ClientID)
        case lingerEnded(ClientID)
        case sendPing(ClientID)
        case pingTimeout(ClientID)
        case graceEnded(SessionID)
        case resumeAccepting
        case shutdownGraceEnded
        case sweep
    }

    /// How long accepting pauses after `accept` fails for lack of descriptors.
    static let acceptPause = Duration.milliseconds(100)
    /// How often idle output buffers are looked at; one left unused for a whole interval is freed, so an idle
    /// client costs no buffer while an active one keeps its capacity from pass to pass.
    static let sweepInterval = Duration.seconds(1)

    let configuration: ServerConfiguration
    /// Indexed by descriptor number.
    private var slots: [Connection?] = []
    /// The generation of each slot's latest connection, so that a reused descriptor gets a new identity.
    private var generations: [UInt32] = []
    private var deadlines = DeadlineQueue<Timer>()
    /// Connections that count against `--max-clients`.
    private(set) var openCount = 0
    /// Connections not yet removed, in whatever phase.
    private(set) var count = 0
    private(set) var acceptingPausedUntil: Instant?
    private(set) var shutdownDeadline: Instant?
    private(set) var sweepDue: Instant?

    init(configuration: ServerConfiguration) {
        self.configuration = configuration
    }

    /// The current connection with this identity; nil once it is gone, even if its descriptor was reused.
    subscript(id: ClientID) -> Connection? {
        guard Int(id.slot) < slots.count, let connection = slots[Int(id.slot)], connection.id == id else {
            return nil
        }
        return connection
    }

    /// The connection holding descriptor `slot`, whoever it is.
    func connection(inSlot slot: Int32) -> Connection? {
        Int(slot) < slots.count ? slots[Int(slot)] : nil
    }

    /// At most this many connections are accepted per pass, so that a connection storm cannot starve the chat.
    static let acceptsPerPass = 256

    var isShuttingDown: Bool { shutdownDeadline != nil }

    /// Whether the loop may accept one more connection in this pass: not while paused or shutting down, and not
    /// past this pass's share.
    func mayAccept(acceptedThisPass accepted: Int) -> Bool {
        acceptingPausedUntil == nil && shutdownDeadline == nil && accepted < Self.acceptsPerPass
    }

    // MARK: - Connections

    /// A connection was accepted on descriptor `slot`. Returns its identity, and whether it was admitted: one
    /// past `--max-clients` is not, and the loop refuses it with `server_full`.
    mutating func accept(slot: Int32, peer: String, now: Instant) -> (id: ClientID, admitted: Bool) {
        let index = Int(slot)
        if index >= slots.count {
            slots.append(contentsOf: repeatElement(nil, count: index - slots.count + 1))
            generations.append(contentsOf: repeatElement(0, count: index - generations.count + 1))
        }
        precondition(slots[index] == nil, "descriptor \(slot) accepted while still held")
        generations[index] = generations[index] == .max ? 1 : generations[index] + 1
        let id = ClientID(slot: slot, generation: generations[index])
        let bucket = TokenBucket(rate: configuration.rate, burst: configuration.burst, now: now)
        slots[index] = Connection(id: id, peer: peer, bucket: bucket, helloDeadline: now + configuration.helloTimeout)
        count += 1
        openCount += 1
        scheduleDeadline(of: id, previous: nil)
        let admitted = openCount <= configuration.maxClients
        return (id, admitted)
    }

    mutating func received(_ bytes: UnsafeRawBufferPointer, from id: ClientID, now: Instant) -> Bool {
        update(id) { $0.received(bytes, now: now) } ?? false
    }

    mutating func nextPacket(from id: ClientID, handledThisPass handled: Int, now: Instant)
        -> Connection.PacketAction
    {
        update(id) { $0.nextPacket(handledThisPass: handled, now: now) } ?? .none
    }

    /// The hub accepted the connection's `hello`; a `ping` client is then watched for silence.
    mutating func joined(_ id: ClientID, pings: Bool, now: Instant) {
        let interval = pings ? configuration.pingInterval : nil
        update(id) { $0.joined(pingInterval: interval, now: now) }
    }

    /// A hub timer: the resume grace period of a session.
    mutating func schedule(_ session: SessionID, at instant: Instant) {
        deadlines.push(.session(session), at: instant)
    }

    /// Starts a lingering close; the slot stops counting against `--max-clients` at once.
    mutating func close(_ id: ClientID, now: Instant) {
        let grace = configuration.shutdownGrace
        if update(id, { $0.close(now: now, grace: grace) }) == true { openCount -= 1 }
    }

    /// The peer closed its side; returns why the connection ends, or nil if it already had.
    mutating func endOfStream(from id: ClientID) -> String? {
        let wasHolding = self[id]?.holdsSlot ?? false
        let reason = update(id) { $0.endOfStream() } ?? nil
        if reason != nil && wasHolding { openCount -= 1 }
        return reason
    }

    /// Gives up on the connection; returns false if it was already closed.
    mutating func fail(_ id: ClientID) -> Bool {
        let wasHolding = self[id]?.holdsSlot ?? false
        guard update(id, { $0.fail() }) == true else { return false }
        if wasHolding { openCount -= 1 }
        return true
    }

    /// Output was flushed; true when a closing connection's writing side should now be shut down.
    mutating func flushed(_ id: ClientID, remaining: Int) -> Bool {
        update(id) { $0.flushed(remaining: remaining) } ?? false
    }

    /// Forgets a closed connection once the loop has closed its socket.
    mutating func remove(_ id: ClientID) {
        guard let connection = self[id] else { return }
        precondition(connection.isClosed, "removing a connection that was not closed")
        slots[Int(id.slot)] = nil
        count -= 1
    }

    /// Every connection still held, in descriptor order.
    var ids: [ClientID] { slots.compactMap { $0?.id } }

    /// Runs an event on a connection, then makes sure its earliest deadline has an entry in the queue.
    private mutating func update<Result>(_ id: ClientID, _ event: (inout Connection) -> Result) -> Result? {
        let index = Int(id.slot)
        guard index < slots.count, var connection = slots[index], connection.id == id else { return nil }
        // Out of the array while it changes, so its decoder's buffer is uniquely referenced and not copied.
        slots[index] = nil
        let previous = connection.nextDeadline
        let result = event(&connection)
        slots[index] = connection
        scheduleDeadline(of: id, previous: previous)
        return result
    }

    private mutating func scheduleDeadline(of id: ClientID, previous: Instant?) {
        guard let deadline = slots[Int(id.slot)]?.nextDeadline, deadline != previous else { return }
        deadlines.push(.connection(id), at: deadline)
    }

    // MARK: - The server's own timers

    /// `accept` failed for lack of descriptors: the pending connection keeps the listener readable, so it is
    /// left unwatched for a moment instead of spinning the loop.
    mutating func pauseAccepting(now: Instant) {
        guard acceptingPausedUntil == nil else { return }
        acceptingPausedUntil = now + Self.acceptPause
        deadlines.push(.resumeAccepting, at: now + Self.acceptPause)
    }

    /// Starts the shutdown: no more accepting, and every connection gets the grace period to drain. Returns the
    /// connections to close (the loop sends its notice first).
    mutating func beginShutdown(now: Instant) -> [ClientID] {
        guard shutdownDeadline == nil else { return [] }
        shutdownDeadline = now + configuration.shutdownGrace
        acceptingPausedUntil = nil
        deadlines.push(.shutdownGraceEnded, at: now + configuration.shutdownGrace)
        return slots.compactMap { $0?.holdsSlot == true ? $0?.id : nil }
    }

    /// An output buffer went idle: look again after a sweep interval, unless a sweep is already due.
    mutating func scheduleSweep(now: Instant) {
        guard sweepDue == nil else { return }
        sweepDue = now + Self.sweepInterval
        deadlines.push(.sweep, at: now + Self.sweepInterval)
    }

    /// When the loop must next wake, with stale entries cleared away so that none of them wakes it.
    mutating func nextDeadline() -> Instant? {
        while let (instant, timer) = deadlines.first {
            if isCurrent(timer, at: instant) { return instant }
            _ = deadlines.popFirst()
        }
        return nil
    }

    /// The next deadline that has passed at `now`, carried out as far as the table's own state goes.
    mutating func nextExpiry(now: Instant) -> Expiry? {
        while let (instant, timer) = deadlines.first, instant <= now {
            _ = deadlines.popFirst()
            guard isCurrent(timer, at: instant) else { continue }
            switch timer {
            case .connection(let id):
                switch update(id, { $0.deadlineReached(now: now) }) ?? nil {
                case .helloTimeout: return .helloTimeout(id)
                case .throttleEnded: return .throttleEnded(id)
                case .lingerEnded: return .lingerEnded(id)
                case .sendPing: return .sendPing(id)
                case .pingTimeout: return .pingTimeout(id)
                case nil: continue
                }
            case .session(let session):
                return .graceEnded(session)
            case .resumeAccepting:
                acceptingPausedUntil = nil
                if shutdownDeadline == nil { return .resumeAccepting }
            case .shutdownGraceEnded:
                return .shutdownGraceEnded
            case .sweep:
                sweepDue = nil
                return .sweep
            }
        }
        return nil
    }

    private func isCurrent(_ timer: Timer, at instant: Instant) -> Bool {
        switch timer {
        case .connection(let id): self[id]?.nextDeadline == instant
        // The hub knows whether a grace period still runs; a stale one wakes the loop once, for nothing.
        case .session: true
        case .resumeAccepting: acceptingPausedUntil == instant
        case .shutdownGraceEnded: shutdownDeadline == instant
        case .sweep: sweepDue == instant
        }
    }
}
