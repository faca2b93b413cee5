import ChatSocket
import ChatTLS
import SystemPackage

/// The load generator: every simulated client on one thread, one `select()` loop, non-blocking sockets.
///
/// Each phase is a loop of `pass(until:)` calls that ends at its own deadline, so a run always stops by itself.
/// Nothing polls: `select` sleeps until a socket is ready or the phase's next deadline.
struct LoadGenerator: ~Copyable {
    let configuration: BenchConfiguration
    /// The first server's address, for messages.
    let address: LoopbackAddress
    /// Every server's address: client `i` connects to `addresses[i % count]` (one, unless the chat is a cluster).
    let addresses: [LoopbackAddress]
    var clients: [BenchClient]
    /// Client index by descriptor number, -1 for none.
    var clientByFD: [Int] = []
    var tracker: DeliveryTracker
    var joins = JoinLedger()

    var readInterest = SelectSet()
    var writeInterest = SelectSet()
    private var readReady = SelectSet()
    private var writeReady = SelectSet()
    private var readyScratch: [Int32] = []
    /// One receive buffer for every client; a split frame's head is copied back in front of the next read.
    let buffer: UnsafeMutableRawBufferPointer
    static let bufferSize = 256 * 1024

    /// Connections the server closed or that failed after connecting.
    var disconnects = 0
    /// Clients that failed before they saw their own join.
    var unjoinedFailures = 0
    /// Packets that were neither a bench message nor a join.
    var otherPackets: UInt64 = 0
    /// Resume mode: cuts, resumes and replays.
    var resume = ResumeLedger()
    /// Rate mode: messages scheduled so far (a cut sender skips its turns while it resumes).
    var rateScheduled: UInt64 = 0
    /// TLS: the client context every connection is made from; nil for plain TCP.
    let tlsContext: TLSClientContext?
    /// TLS: failed handshakes, refused certificates and broken sessions.
    var tlsLedger = TLSLedger()

    init(configuration: BenchConfiguration) throws(BenchError) {
        // Everything that can throw comes before the first stored property: a noncopyable value cannot be left
        // half initialised.
        var addresses: [LoopbackAddress] = []
        for port in configuration.ports { addresses.append(try LoopbackAddress(host: configuration.host, port: port)) }
        let tlsContext = try Self.makeTLSContext(configuration)
        self.configuration = configuration
        self.address = addresses[0]  // `ports` always starts with `port`.
        self.addresses = addresses
        self.tlsContext = tlsContext
        clients = (0..<configuration.clients).map { BenchClient(nick: configuration.nick($0)) }
        let window = configuration.mode == .max ? configuration.window : 0
        tracker = DeliveryTracker(receivers: configuration.clients, senders: configuration.senders, window: window)
        buffer = .allocate(byteCount: Self.bufferSize, alignment: 16)
    }

    /// The TLS client context (`caFile`'s trust anchors, or the system's), or nil for plain TCP.
    private static func makeTLSContext(_ configuration: BenchConfiguration) throws(BenchError) -> TLSClientContext? {
        guard configuration.tls else { return nil }
        do {
            return try TLSClientContext(caFile: configuration.caFile)
        } catch {
            throw BenchError(error.description)
        }
    }

    deinit {
        for client in clients { client.fd?.close() }
        buffer.deallocate()
    }

    /// Closes every client socket now, e.g. after the server was asked to stop.
    mutating func closeAll() {
        for index in clients.indices {
            clients[index].dropTLS()
            clients[index].fd?.close()
            clients[index].fd = nil
        }
    }

    // MARK: - The loop

    /// Waits for readiness until `deadline` (a `MonotonicClock` reading) at the latest, then serves every
    /// ready socket once.
    mutating func pass(until deadline: UInt64) {
        let now = MonotonicClock.now()
        let timeout: Duration = deadline > now ? .nanoseconds(Int64(deadline - now)) : .zero
        readReady.assign(readInterest)
        writeReady.assign(writeInterest)
        guard (try? Select.wait(read: &readReady, write: &writeReady, timeout: timeout)) ?? 0 > 0 else { return }
        var ready = readyScratch
        ready.removeAll(keepingCapacity: true)
        writeReady.forEach { ready.append($0.rawValue) }
        for fd in ready { writable(clientByFD[Int(fd)]) }
        ready.removeAll(keepingCapacity: true)
        readReady.forEach { ready.append($0.rawValue) }
        for fd in ready { readClient(clientByFD[Int(fd)]) }
        readyScratch = ready
    }

    private mutating func writable(_ index: Int) {
        guard index >= 0 else { return }
        switch clients[index].state {
        case .connecting:
            finishConnect(index)
        case .handshaking:
            advanceHandshake(index)
        case .connected where clients[index].readWaitsForWritable:
            readClient(index)
            flush(index)
        default:
            flush(index)
        }
    }

    /// Registers a new socket for `index`.
    mutating func attach(_ fd: SocketDescriptor, to index: Int) {
        let slot = Int(fd.rawValue)
        if slot >= clientByFD.count {
            clientByFD.append(contentsOf: repeatElement(-1, count: slot - clientByFD.count + 1))
        }
        clientByFD[slot] = index
        clients[index].fd = fd
    }

    /// Stops serving a client whose connection failed or was closed; its missing deliveries count as lost.
    mutating func fail(_ index: Int) {
        guard let fd = clients[index].fd else { return }
        if clients[index].state == .connected { disconnects += 1 }
        if !clients[index].hasJoined { unjoinedFailures += 1 }
        if clients[index].isResuming {
            clients[index].isResuming = false
            resume.pending -= 1
        }
        clients[index].state = .failed
        clients[index].dropTLS()
        readInterest.remove(fd)
        writeInterest.remove(fd)
        clientByFD[Int(fd.rawValue)] = -1
        fd.close()
        clients[index].fd = nil
    }

    // MARK: - Output

    /// Sends what the kernel takes of the client's queue; the rest waits for writability.
    mutating func flush(_ index: Int) {
        guard let fd = clients[index].fd, clients[index].pendingOutput > 0 else { return }
        if let tls = clients[index].tls { return flushTLS(index, fd: fd, tls: tls) }
        let start = clients[index].outboundStart
        let result = clients[index].outbound.withUnsafeBytes { raw in
            Result { () throws(Errno) in try fd.send(UnsafeRawBufferPointer(rebasing: raw[start...])) }
        }
        switch result {
        case .failure:
            return fail(index)
        case .success(let sent):
            if let sent { clients[index].consumeOutput(sent) }
        }
        if clients[index].pendingOutput > 0 {
            writeInterest.insert(fd)
        } else {
            writeInterest.remove(fd)
        }
    }
}
