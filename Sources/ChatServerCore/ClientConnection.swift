import ChatProtocol
import ChatSocket
import SystemPackage

/// What the loop keeps per connection: its buffers, its phase and its rate-limit bucket.
struct ClientConnection {
    enum Phase: Equatable {
        /// Reading and relaying.
        case open
        /// Flushing a last error, then a lingering close: shut down writes, discard input until EOF or deadline.
        case closing(deadline: ContinuousClock.Instant)
        /// Marked to be dropped at the end of this pass; nothing more is read or written.
        case doomed
    }

    let fd: SocketDescriptor
    /// Distinguishes this connection from a later one that reuses the descriptor number.
    let serial: UInt64
    let peer: String
    var phase: Phase = .open
    var decoder = FrameDecoder()
    var outbound: [UInt8] = []
    var outboundStart = 0
    var isQueuedForFlush = false
    var isInBacklog = false
    var isThrottled = false
    var tokens: Double
    var refilledAt: ContinuousClock.Instant

    init(fd: SocketDescriptor, serial: UInt64, peer: String, tokens: Double, now: ContinuousClock.Instant) {
        self.fd = fd
        self.serial = serial
        self.peer = peer
        self.tokens = tokens
        self.refilledAt = now
    }

    var pendingOutput: Int { outbound.count - outboundStart }

    var isOpen: Bool { phase == .open }

    /// What `queue(_:limit:)` did.
    enum QueueOutcome: Equatable {
        /// Queued; the connection already waits for the end-of-pass flush.
        case queued
        /// Queued, and the connection must be added to the flush list.
        case queuedFirst
        /// Not queued: it would take the unsent output past the limit.
        case overLimit
        /// Not queued: the connection is closing or doomed.
        case refused
    }

    /// Appends a frame for the end-of-pass flush. Only open connections take output: a closing one has had
    /// its last packet.
    mutating func queue(_ frame: [UInt8], limit: Int) -> QueueOutcome {
        guard phase == .open else { return .refused }
        guard pendingOutput + frame.count <= limit else { return .overLimit }
        outbound.append(contentsOf: frame)
        guard !isQueuedForFlush else { return .queued }
        isQueuedForFlush = true
        return .queuedFirst
    }

    /// One `send(2)` of the unsent output. Returns how many bytes remain unsent, or the failure.
    mutating func sendPending() -> Result<Int, Errno> {
        guard phase != .doomed else { return .success(0) }
        guard pendingOutput > 0 else { return .success(0) }
        let (socket, start) = (fd, outboundStart)
        let result = outbound.withUnsafeBytes { raw in
            Result { () throws(Errno) in try socket.send(UnsafeRawBufferPointer(rebasing: raw[start...])) }
        }
        switch result {
        case .failure(let error): return .failure(error)
        case .success(let sent):
            if let sent { consumeOutput(sent) }
            return .success(pendingOutput)
        }
    }

    /// Marks `count` bytes as sent, compacting only when the sent prefix dominates, so that a partially
    /// writable client does not cost a memmove per send.
    mutating func consumeOutput(_ count: Int) {
        outboundStart += count
        if outboundStart == outbound.count {
            // Drained: an idle client holds no output buffer at all.
            outbound = []
            outboundStart = 0
        } else if outboundStart >= 1 << 16 && outboundStart * 2 >= outbound.count {
            outbound.removeSubrange(0..<outboundStart)
            outboundStart = 0
        }
    }
}
