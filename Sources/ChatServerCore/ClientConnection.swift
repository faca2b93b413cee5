import ChatProtocol
import ChatSocket

/// What the loop keeps per connection: its input buffer, its phase and its rate-limit bucket. The output
/// queue lives in `ServerLoop.outbound`, a dense array the fan-out loop can walk cheaply.
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

    var isOpen: Bool { phase == .open }
}
