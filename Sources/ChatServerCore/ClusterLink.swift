import ChatProtocol
import ChatRedis
import ChatSocket
import Logging

/// The loop's side of cluster mode: two Redis connections in the select set (one for the scripts, one that
/// tails `chat:log` with `XREAD BLOCK`), the lease and reap timers, and reconnecting. It never calls the hub:
/// what it learns becomes hub events that the loop takes with `takeEvents()` (docs/CLUSTER.md).
final class ClusterLink {
    typealias Instant = ContinuousClock.Instant

    let settings: ClusterSettings
    let endpoint: RedisEndpoint
    let logger: Logger
    var commands: RedisConnection?
    var tail: RedisConnection?
    /// Whether the scripts may run: connected, leased, and (at the start) this node's earlier sessions reaped.
    var isReady = false
    /// Whether the hub was last told the store is reachable.
    var toldReachable = true
    /// Entries submitted before the first connection was ready, in order.
    var outbox: [ClusterEntry] = []
    /// Entries sent and not yet answered, oldest first: refused if the connection breaks.
    var unanswered = 0
    /// Hub events waiting for the loop.
    var events: [HubEvent] = []
    /// The stream id of the last entry applied ("0": from the start) and the highest log id seen.
    var lastStreamID = "0"
    var lastApplied = 0
    /// The store's `chat:epoch` when this node last saw it; a different one means it lost its data.
    var epoch: String?
    var leaseDue: Instant
    var reapDue: Instant
    var reconnectDue: Instant?
    /// Two leases after the store came back empty: when sessions nobody restored are dropped.
    var settleDue: Instant?
    var hasStarted = false
    /// How long the command connection, and the tail beyond its block time, may wait for Redis.
    var commandWatch: ReplyWatch
    var tailWatch: ReplyWatch

    /// How long one `XREAD` blocks in Redis: an idle tail costs one round trip a second.
    static let blockMilliseconds = 1_000
    /// Entries one `XREAD` returns at most: a backlog is read in batches this size.
    static let batch = 512
    /// How long after a connection failure the link tries again.
    static let retryDelay = Duration.milliseconds(500)
    /// How often every node runs `reap`.
    static let reapInterval = Duration.seconds(1)

    /// How long a Redis connection may wait for an answer (a reply outstanding, or its connect not complete) with
    /// none arriving before the store counts as lost, exactly as if the connection had dropped: the lease (3 s
    /// by default). A node that cannot renew its lease for that long is gone for the others anyway, and a Redis
    /// that hangs (stopped, a dead network path) never answers at all; hiredis has no timeout of its own. The
    /// tail's `XREAD BLOCK` gets its block time on top (docs/CLUSTER.md, "Failure behaviour").
    static func answerBound(lease: Duration) -> Duration { lease }

    init(settings: ClusterSettings, logger: Logger, now: Instant) {
        self.settings = settings
        endpoint = RedisEndpoint(host: settings.host, port: settings.port, database: settings.database)
        self.logger = logger
        leaseDue = now
        reapDue = now + Self.reapInterval
        reconnectDue = now
        let bound = Self.answerBound(lease: settings.lease)
        commandWatch = ReplyWatch(bound: bound)
        tailWatch = ReplyWatch(bound: .milliseconds(Self.blockMilliseconds) + bound)
    }

    var leaseRefresh: Duration { settings.lease / 3 }
    var leaseMilliseconds: String { String(Int(settings.lease / .milliseconds(1))) }

    /// The events for the hub, in order.
    func takeEvents() -> [HubEvent] {
        defer { events.removeAll(keepingCapacity: true) }
        return events
    }

    // MARK: - The select loop

    func register(read: inout SelectSet, write: inout SelectSet) {
        commands?.register(read: &read, write: &write)
        tail?.register(read: &read, write: &write)
    }

    func handle(read: SelectSet, write: SelectSet) {
        commands?.handle(read: read, write: write)
        tail?.handle(read: read, write: write)
    }

    /// When the link must next be woken.
    var nextDeadline: Instant? {
        let timers = [
            reconnectDue, settleDue, isReady ? min(leaseDue, reapDue) : nil, commandWatch.deadline, tailWatch.deadline,
        ]
        return timers.compactMap { $0 }.min()
    }

    /// Runs the timers that are due.
    func serviceTimers(now: Instant) {
        watchAnswers(now: now)
        // What these timers send is waited for from now.
        defer { watchAnswers(now: now) }
        if let due = reconnectDue, due <= now {
            reconnectDue = nil
            connect(now: now)
        }
        if let due = settleDue, due <= now {
            settleDue = nil
            events.append(.clusterRestartSettled)
        }
        guard isReady else { return }
        if leaseDue <= now {
            leaseDue = now + leaseRefresh
            renewLease()
        }
        if reapDue <= now {
            reapDue = now + Self.reapInterval
            run(ClusterScripts.reap, ["", leaseMilliseconds]) { _ in }
        }
    }

    /// Notes how both connections wait; one that has waited past its bound with no answer is lost like a
    /// dropped one.
    private func watchAnswers(now: Instant) {
        let waits = { (connection: RedisConnection) in !connection.isConnected || connection.awaitsReply }
        commandWatch.observe(
            waiting: commands.map(waits) ?? false, replies: commands?.repliesReceived ?? 0, now: now)
        tailWatch.observe(waiting: tail.map(waits) ?? false, replies: tail?.repliesReceived ?? 0, now: now)
        for (name, watch) in [("command", commandWatch), ("tail", tailWatch)] where watch.isOverdue(now: now) {
            return lost(.connectionLost("no answer on the \(name) connection within \(watch.bound)"))
        }
    }

    // MARK: - Connecting

    private func connect(now: Instant) {
        do {
            let commands = try RedisConnection(endpoint: endpoint)
            let tail = try RedisConnection(endpoint: endpoint)
            self.commands = commands
            self.tail = tail
            commands.onClose = { [weak self] error in self?.lost(error) }
            tail.onClose = { [weak self] error in self?.lost(error) }
            for script in ClusterScripts.all { try commands.load(script) }
            renewLease { [weak self] in self?.becameReady() }
        } catch {
            lost(error)
        }
    }

    /// The lease is in place: at the very start, sessions an earlier process of this name left are reaped;
    /// then the outbox goes out and the tail starts.
    private func becameReady() {
        isReady = true
        logger.info("cluster store reachable", metadata: ["redis": "\(endpoint)", "node": "\(settings.node)"])
        if !toldReachable {
            toldReachable = true
            events.append(.clusterReachable(true))
        }
        if hasStarted {
            readTail()
        } else {
            hasStarted = true
            run(ClusterScripts.reap, [settings.node, leaseMilliseconds]) { _ in }
            // Sent before the outbox: the snapshot is taken before any of this node's entries, which then come
            // through the tail.
            requestSnapshot()
        }
        let waiting = outbox
        outbox.removeAll()
        for entry in waiting { submit(entry) }
    }

    /// A connection ended: both are dropped, what was in flight is refused, the hub hears the store is gone,
    /// and a new attempt follows after `retryDelay`.
    func lost(_ error: RedisError) {
        // Called once per failed attempt: by a connection's close, or by a connect that failed at once.
        guard reconnectDue == nil else { return }
        logger.warning("cluster store unreachable", metadata: ["error": "\(error)"])
        let old = [commands, tail]
        commands = nil
        tail = nil
        isReady = false
        commandWatch.reset()
        tailWatch.reset()
        for connection in old { connection?.onClose = nil }
        for connection in old { connection?.close() }
        if toldReachable {
            toldReachable = false
            events.append(.clusterReachable(false))
        }
        for entry in outbox { events.append(.refused(entry, .serverFull)) }
        outbox.removeAll()
        reconnectDue = ContinuousClock.now + Self.retryDelay
    }

    private func renewLease(then ready: (() -> Void)? = nil) {
        // A fresh candidate each time: a store that restarted empty must get an epoch no node has seen.
        let candidate = "\(settings.node)-\(UInt64.random(in: 1...UInt64.max))"
        let arguments = [settings.node, leaseMilliseconds, String(lastApplied), candidate]
        run(ClusterScripts.lease, arguments) { [weak self] reply in
            guard let self, let current = reply.string else { return }
            if let epoch, epoch != current {
                // The store lost its data: read the new log from its start, and restore this node's sessions.
                logger.warning("cluster store lost its data; restoring this node's sessions")
                lastStreamID = "0"
                events.append(.clusterRestarted)
                settleDue = ContinuousClock.now + settings.lease * 2
            }
            epoch = current
            ready?()
        }
    }

    /// Runs a script on the command connection; a reply that is not an error goes to `body`.
    func run(_ script: RedisScript, _ arguments: [String], _ body: @escaping (RedisReply) -> Void) {
        guard let commands else { return }
        do {
            try commands.evaluate(script, keys: [], arguments: arguments) { [weak self] result in
                switch result {
                case .success(.error(let message)):
                    self?.logger.error("cluster script failed", metadata: ["error": "\(message)"])
                case .success(let reply): body(reply)
                case .failure: break
                }
            }
        } catch {
            lost(error)
        }
    }
}

@available(*, unavailable)
extension ClusterLink: Sendable {}
