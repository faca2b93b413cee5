import ChatProtocol
import ChatSocket

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
