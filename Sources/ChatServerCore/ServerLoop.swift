import CMalloc
import ChatProtocol
import ChatSocket
import ChatSystem
import Logging
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The server: one thread, one `select()` loop over the listener and every client.
///
/// What it does is smallchat's straight line: select, read into the connection, hand events to the connection
/// table and the hub, carry out their actions, send. The rules live in pure state machines: `ConnectionTable`
/// (each connection's phase, its deadlines, admission, the server's own timers) and `ChatHub` (nicks, rooms,
/// routing). Writes never block: output queues per client and is flushed once per pass. Clients to drop are
/// recorded during a pass and dropped after it, so a closed descriptor is never served.
public final class ServerLoop {
    let configuration: ServerConfiguration
    let logger: Logger
    private let clock = ContinuousClock()
    var listeners: Listeners
    /// Where the server listens (its plain listener, or its TLS one when it has no other), with the port the
    /// kernel picked when asked for port 0.
    public let address: SocketAddress
    /// Where the TLS listener listens, if there is one.
    public var tlsAddress: SocketAddress? { listeners.tlsAddress }
    /// Stops the loop from another thread.
    public let stopHandle: StopHandle
    /// SIGINT and SIGTERM as readable data, when the command line hands them over.
    private var signals: SignalDescriptor?

    var hub: ChatHub
    /// Cluster mode's Redis connections and timers; nil for a single server.
    var cluster: ClusterLink?
    /// Cluster mode: connections whose frames wait because the hub holds as many of their packets as it may.
    var heldBack: Set<ClientID> = []
    var actions: [ChatHub.Action] = []
    var table: ConnectionTable
    var outbound = OutboundQueues()
    /// The TLS side of each connection that came in on the TLS listener, by slot.
    var tlsLinks: [TLSLink?] = []
    /// TLS connections with decrypted bytes buffered inside OpenSSL, which `select` cannot see: read next pass.
    var tlsPending: [ClientID] = []
    /// Connections whose output was queued into an empty queue this pass, to flush at its end.
    var flushList: [ClientID] = []
    /// Scratch list for the fan-out's slow path (with each member's form), kept to reuse its storage.
    var overLimit: [(ClientID, Int)] = []
    /// Connections with whole frames left over when their share of a pass ran out.
    var backlog: [ClientID] = []
    /// Connections to drop once this pass is done, with the reason for the log.
    var drops: [(id: ClientID, reason: String)] = []
    /// Buffer bytes freed since the last `malloc_trim`.
    var releasedSinceTrim = 0
    var readInterest = SelectSet()
    var writeInterest = SelectSet()
    private var readReady = SelectSet()
    private var writeReady = SelectSet()
    /// The time of this pass, read once after `select` returns, and the wall clock's milliseconds then.
    var now: ContinuousClock.Instant
    var wallClock: Int64 = 0
    /// Where room history is kept across restarts, with `--db`.
    private let journal: HistoryJournal?
    /// Changes a failed write left behind; the next pass's write carries them too.
    private var unsaved = HistoryChanges()
    private var lastPing: UInt64 = 0
    let readBuffer: UnsafeMutableRawBufferPointer

    static let readChunk = 64 * 1024
    /// Freed buffer memory worth returning to the kernel once the loop goes idle.
    static let trimThreshold = 16 << 20

    /// Binds the listener and loads the history; throws with the address or file and the reason when it cannot.
    public init(configuration: ServerConfiguration, logger: Logger) throws(ServerStartError) {
        self.configuration = configuration
        self.logger = logger
        var listeners = try Listeners(configuration)
        do {
            stopHandle = StopHandle(pipe: try WakeupPipe())
        } catch {
            listeners.closeAll()
            throw .socket(SocketError("pipe", "wake-up", errno: error))
        }
        guard let address = listeners.plainAddress ?? listeners.tlsAddress else {
            listeners.closeAll()
            throw .socket(SocketError("listen", "\(configuration.host ?? "*")", reason: "no listener configured"))
        }
        self.address = address
        self.listeners = listeners
        do {
            journal = try configuration.databasePath.map { path throws(HistoryJournalError) in
                try HistoryJournal(path: path)
            }
            let stored = try journal?.load(limitPerRoom: configuration.historyLimit)
            let history = stored.map {
                RoomHistory(
                    loading: $0.entries, lastID: $0.lastID, limitPerRoom: configuration.historyLimit,
                    byteBudget: configuration.historyByteBudget)
            }
            hub = ChatHub(configuration: configuration, history: history)
        } catch {
            listeners.closeAll()
            throw .history(error)
        }
        table = ConnectionTable(configuration: configuration)
        now = clock.now
        let start = now
        cluster = configuration.cluster.map { [logger] in ClusterLink(settings: $0, logger: logger, now: start) }
        readBuffer = .allocate(byteCount: Self.readChunk, alignment: 16)
        for listener in listeners.all { readInterest.insert(listener) }
        readInterest.insert(stopHandle.pipe.readEnd)
    }

    deinit {
        tlsLinks = []
        for id in table.ids { SocketDescriptor(rawValue: id.slot).close() }
        listeners.closeAll()
        readBuffer.deallocate()
    }

    /// Shuts down cleanly when one of `signals` arrives, seen by the loop itself like any readable descriptor.
    public func stop(on signals: SignalDescriptor) {
        self.signals = signals
        readInterest.insert(SocketDescriptor(rawValue: signals.readFD))
    }

    /// Runs until a stop is requested and the shutdown has finished. Throws only if `select` itself fails,
    /// which would be a bug of ours, never something a peer can cause.
    public func run() throws(Errno) {
        for (name, address) in [("plain", listeners.plainAddress), ("tls", listeners.tlsAddress)] {
            if let address { logger.info("listening", metadata: ["address": "\(address)", "transport": "\(name)"]) }
        }
        while !(table.isShuttingDown && table.count == 0) {
            let timeout = nextTimeout()
            if timeout == nil { trimIfIdle() }
            readReady.assign(readInterest)
            writeReady.assign(writeInterest)
            cluster?.register(read: &readReady, write: &writeReady)
            _ = try Select.wait(read: &readReady, write: &writeReady, timeout: timeout)
            now = clock.now
            wallClock = Self.wallClockMilliseconds()
            if stopHandle.isRequested && !table.isShuttingDown { beginShutdown() }
            serviceCluster(read: readReady, write: writeReady)
            readReady.forEach(serviceReadable)
            writeReady.forEach(serviceWritable)
            serviceTLSPending()
            serviceBacklog()
            while let expiry = table.nextExpiry(now: now) { carryOut(expiry) }
            settle()
        }
        logger.info("stopped")
    }

    private func serviceReadable(_ fd: SocketDescriptor) {
        if let isTLS = listeners.isTLS(fd) {
            acceptPending(from: fd, tls: isTLS)
        } else if fd == stopHandle.pipe.readEnd {
            stopHandle.pipe.drain()
        } else if let signals, fd.rawValue == signals.readFD {
            let received = signals.drain()
            if !received.isEmpty {
                logger.info("signal", metadata: ["signals": "\(received)"])
                stopHandle.requestStop()
            }
        } else if let id = table.connection(inSlot: fd.rawValue)?.id {
            read(id)
        }
    }

    private func serviceWritable(_ fd: SocketDescriptor) {
        guard let id = table.connection(inSlot: fd.rawValue)?.id else { return }
        if let link = tlsLink(id), link.readWaitsForWritable {
            link.readWaitsForWritable = false
            read(id)
        }
        flush(id)
    }

    /// How long `select` may sleep: not at all with a backlog, else until the next deadline, or for ever.
    private func nextTimeout() -> Duration? {
        if !backlog.isEmpty || !tlsPending.isEmpty { return .zero }
        let deadlines = [table.nextDeadline(), cluster?.nextDeadline].compactMap { $0 }
        guard let deadline = deadlines.min() else { return nil }
        let remaining = deadline - clock.now
        return remaining < .zero ? .zero : remaining + .milliseconds(1)
    }

    /// One transaction for what the history gained and lost since the last; the loop waits on the disk for no
    /// more. Called before any send, so it runs once per pass in practice.
    func writeHistory() {
        guard let journal else { return }
        unsaved.merge(hub.takeHistoryChanges())
        guard !unsaved.isEmpty else { return }
        do {
            try journal.write(unsaved)
            unsaved = HistoryChanges()
        } catch {
            // A failed transaction stored nothing; the next pass tries again with what this one had.
            logger.error("history not saved, retrying next pass", metadata: ["error": "\(error)"])
        }
    }

    private static func wallClockMilliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }

    // MARK: - Timers

    private func carryOut(_ expiry: ConnectionTable.Expiry) {
        switch expiry {
        case .helloTimeout(let id):
            logger.info("hello timeout", metadata: ["peer": "\(peer(id))"])
            refuse(id, .timeout, "no hello within the time limit")
        case .throttleEnded(let id):
            handleFrames(id)
        case .lingerEnded(let id):
            drops.append((id, "lingering close timed out"))
        case .sendPing(let id):
            lastPing += 1
            if let frame = try? PacketEncoder.frame(ServerPacket.ping(token: "p\(lastPing)")) {
                frame.withUnsafeBufferPointer { enqueue($0, to: id) }
            }
        case .pingTimeout(let id):
            drop(id, "ping timeout")
        case .graceEnded(let session):
            handle(.graceEnded(session))
        case .resumeAccepting:
            for listener in listeners.all { readInterest.insert(listener) }
        case .shutdownGraceEnded:
            for id in table.ids { drop(id, "shutdown") }
        case .sweep:
            sweepIdleBuffers()
        }
    }

    /// Stop accepting, tell extended clients, and let every connection drain and close within the grace period.
    private func beginShutdown() {
        logger.info("shutting down")
        for listener in listeners.all { readInterest.remove(listener) }
        listeners.closeAll()
        let closing = table.beginShutdown(now: now)
        handle(.shutdown)
        for id in closing { beginClosing(id) }
    }

    /// Pauses accepting for a moment: `accept` failed for lack of descriptors, and the pending connection would
    /// keep the listener readable and the loop spinning.
    func pauseAccepting() {
        for listener in listeners.all { readInterest.remove(listener) }
        table.pauseAccepting(now: now)
    }

    private func sweepIdleBuffers() {
        var holding = false
        for id in table.ids {
            let (freed, stillHolding) = outbound[id.slot].sweep()
            releasedSinceTrim += freed
            holding = holding || stillHolding
        }
        // Once every buffer is freed the sweep stops, so an idle server never wakes for it.
        if holding { table.scheduleSweep(now: now) }
    }

    /// Before sleeping with nothing scheduled, hands a large amount of freed buffer memory back to the kernel:
    /// glibc keeps it in the heap otherwise, and after a burst (ten thousand joins) an idle server would hold
    /// hundreds of megabytes it no longer uses.
    private func trimIfIdle() {
        guard releasedSinceTrim >= Self.trimThreshold else { return }
        releasedSinceTrim = 0
        _ = cmalloc_trim(0)
    }

    func log(_ note: ChatHub.Note) {
        switch note {
        case .joined(let id, let nick, _):
            logger.info("joined", metadata: ["nick": "\(nick)", "peer": "\(peer(id))"])
        case .left(let nick):
            logger.info("left", metadata: ["nick": "\(nick)"])
        case .resumed(_, let nick):
            logger.info("resumed", metadata: ["nick": "\(nick)"])
        case .detached(_, let nick):
            logger.info("detached, grace period running", metadata: ["nick": "\(nick)"])
        case .renamed(_, let old, let new):
            logger.info("renamed", metadata: ["nick": "\(old)", "new": "\(new)"])
        case .moved(_, let nick, let room):
            logger.info("moved", metadata: ["nick": "\(nick)", "room": "\(room)"])
        case .rejected(let id, let code, let reason):
            logger.info("protocol error", metadata: ["peer": "\(peer(id))", "code": "\(code)", "reason": "\(reason)"])
        }
    }

    func peer(_ id: ClientID) -> String {
        table[id]?.peer ?? "-"
    }
}

@available(*, unavailable)
extension ServerLoop: Sendable {}
