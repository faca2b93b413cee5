import ChatProtocol
import ChatSocket
import Logging
import SystemPackage

/// The server: one thread, one `select()` loop over the listener and every client.
///
/// It turns readiness into `ChatHub` events and carries out the hub's actions. Writes never block: output
/// queues per client and is flushed once per pass. Clients to drop are recorded during a pass and dropped after
/// it, so a closed descriptor is never served.
public final class ServerLoop {
    let configuration: ServerConfiguration
    let logger: Logger
    let clock = ContinuousClock()
    var listener: SocketDescriptor?
    /// Where the server listens, with the port the kernel picked when asked for port 0.
    public let address: SocketAddress
    /// Stops the loop from another thread.
    public let stopHandle: StopHandle

    var hub: ChatHub
    var actions: [ChatHub.Action] = []
    /// Indexed by descriptor number, so finding a client costs one array access.
    var clients: [ClientConnection?] = []
    /// Output queues, indexed like `clients`.
    var outbound = OutboundQueues()
    /// Scratch list for the fan-out's slow path, kept to reuse its storage.
    var overLimit: [(Int32, Bool)] = []
    /// When to free the buffers of queues that have gone idle; nil when none holds memory.
    var sweepDue: ContinuousClock.Instant?
    /// Buffer bytes freed since the last `malloc_trim`.
    var releasedSinceTrim = 0
    var openCount = 0
    var connectionCount = 0
    var nextSerial: UInt64 = 0

    var readInterest = SelectSet()
    var writeInterest = SelectSet()
    var readReady = SelectSet()
    var writeReady = SelectSet()

    var flushQueue: [Int32] = []
    var backlog: [Int32] = []
    var throttled: [Int32] = []
    var drops: [(fd: Int32, reason: String)] = []
    var greetings: [(fd: Int32, serial: UInt64, deadline: ContinuousClock.Instant)] = []
    var greetingsHead = 0
    var lingering: [(fd: Int32, serial: UInt64)] = []

    var now: ContinuousClock.Instant
    var listenerPausedUntil: ContinuousClock.Instant?
    var shutdownDeadline: ContinuousClock.Instant?
    let readBuffer: UnsafeMutableRawBufferPointer

    /// The most packets handled for one client in one pass, so that a flood cannot starve the others.
    static let packetsPerPass = 64
    static let readChunk = 64 * 1024
    /// How often idle output buffers are looked at; one left unused for a whole interval is freed, so an idle
    /// client costs no buffer while an active one keeps its capacity from pass to pass.
    static let sweepInterval = Duration.seconds(1)
    /// Freed buffer memory worth returning to the kernel once the loop goes idle.
    static let trimThreshold = 16 << 20

    /// Binds the listener; throws with the address and reason when it cannot.
    public init(configuration: ServerConfiguration, logger: Logger) throws(SocketError) {
        self.configuration = configuration
        self.logger = logger
        let listener = try SocketDescriptor.listen(host: configuration.host, port: configuration.port)
        do {
            address = try listener.localAddress()
            stopHandle = StopHandle(pipe: try WakeupPipe())
        } catch {
            listener.close()
            throw SocketError("listen", "\(configuration.host ?? "*"):\(configuration.port)", errno: error)
        }
        self.listener = listener
        hub = ChatHub(welcome: configuration.welcome)
        now = clock.now
        readBuffer = .allocate(byteCount: Self.readChunk, alignment: 16)
        readInterest.insert(listener)
        readInterest.insert(stopHandle.pipe.readEnd)
    }

    deinit {
        for fd in clients.indices where clients[fd] != nil { clients[fd]?.fd.close() }
        listener?.close()
        readBuffer.deallocate()
    }

    /// Runs until a stop is requested and the shutdown has finished. Throws only if `select` itself fails,
    /// which would be a bug of ours, never something a peer can cause.
    public func run() throws(Errno) {
        logger.info("listening", metadata: ["address": "\(address)"])
        while true {
            let timeout = nextTimeout()
            if timeout == nil { trimIfIdle() }
            readReady.assign(readInterest)
            writeReady.assign(writeInterest)
            _ = try Select.wait(read: &readReady, write: &writeReady, timeout: timeout)
            now = clock.now
            if stopHandle.isRequested && shutdownDeadline == nil { beginShutdown() }
            readReady.forEach(serviceReadable)
            writeReady.forEach { fd in flush(fd.rawValue) }
            serviceBacklog()
            serviceTimers()
            settle()
            if shutdownDeadline != nil && connectionCount == 0 { break }
        }
        logger.info("stopped")
    }

    /// Flushes every queued client and drops the doomed, repeating while drops cause more output.
    func settle() {
        repeat {
            flushQueued()
            applyDrops()
        } while !flushQueue.isEmpty
    }

    private func serviceReadable(_ fd: SocketDescriptor) {
        if fd == listener {
            acceptPending()
        } else if fd == stopHandle.pipe.readEnd {
            stopHandle.pipe.drain()
        } else {
            readClient(fd.rawValue)
        }
    }

    /// How long `select` may sleep: nothing pending means until the next deadline, or for ever.
    private func nextTimeout() -> Duration? {
        if !backlog.isEmpty { return .zero }
        var deadline: ContinuousClock.Instant?
        func consider(_ instant: ContinuousClock.Instant?) {
            guard let instant else { return }
            deadline = deadline.map { min($0, instant) } ?? instant
        }
        skipSettledGreetings()
        if greetingsHead < greetings.count { consider(greetings[greetingsHead].deadline) }
        consider(listenerPausedUntil)
        consider(shutdownDeadline)
        consider(sweepDue)
        for fd in throttled { consider(clients[Int(fd)]?.refilledAt) }
        for entry in lingering {
            if case .closing(let instant)? = clients[Int(entry.fd)]?.phase { consider(instant) }
        }
        guard let deadline else { return nil }
        let remaining = deadline - clock.now
        return remaining < .zero ? .zero : remaining + .milliseconds(1)
    }
}

@available(*, unavailable)
extension ServerLoop: Sendable {}
