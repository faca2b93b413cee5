import ChatSocket
import SystemPackage

/// One connection's unsent output, kept apart from its `Connection` in a dense array of its own so that the
/// fan-out loop, which runs once per delivery, touches a few bytes per member and no optional or enum.
struct OutboundQueue {
    /// What `queue(_:limit:)` did.
    enum Outcome: Equatable {
        /// Queued behind output that is already waiting for a flush or for the socket to take it.
        case queued
        /// Queued into an empty queue: the connection must be added to the flush list.
        case queuedFirst
        /// Not queued: it would take the unsent output past the limit.
        case overLimit
        /// Not queued: the queue belongs to no connection of that generation (closing, closed, or replaced).
        case refused
    }

    private(set) var bytes: [UInt8] = []
    private(set) var start = 0
    /// The generation of the connection this queue takes output for; 0 for none. A closing connection still
    /// sends what it has but takes nothing more, and a late frame for an earlier connection on the same
    /// descriptor is refused.
    private(set) var recipient: UInt32 = 0
    /// Set by every `queue`; the idle sweep frees the buffers of queues that stayed empty and unused.
    private(set) var usedSinceSweep = false

    var pending: Int { bytes.count - start }

    /// Bytes of buffer held, sent or not.
    var capacity: Int { bytes.capacity }

    /// A queue for a new connection.
    init(recipient: UInt32 = 0) {
        self.recipient = recipient
    }

    /// Appends a frame for the end-of-pass flush, if this queue takes output for that generation.
    mutating func queue(_ frame: UnsafeBufferPointer<UInt8>, for generation: UInt32, limit: Int) -> Outcome {
        guard recipient == generation, generation != 0 else { return .refused }
        guard pending + frame.count <= limit else { return .overLimit }
        let wasEmpty = pending == 0
        bytes.append(contentsOf: frame)
        usedSinceSweep = true
        return wasEmpty ? .queuedFirst : .queued
    }

    /// Takes no more output; what is queued can still be sent.
    mutating func stopTaking() {
        recipient = 0
    }

    /// What a transport did with the bytes offered to it.
    enum TransportWrite: Equatable {
        /// Took this many from the start.
        case wrote(Int)
        /// Took nothing for now; `untilReadable` when it must read first (TLS), else until writable.
        case wouldBlock(untilReadable: Bool)
        case failed(String)
    }

    /// What `send(through:)` did.
    enum Sent: Equatable {
        /// `remaining` bytes are still queued; 0 when drained.
        case progress(remaining: Int)
        /// Nothing more can go until the socket is readable.
        case waitingForRead(remaining: Int)
        case failed(String)
    }

    /// One write of the unsent output through `write` (one `send(2)`, or one `SSL_write` of everything queued:
    /// one TLS record per pass rather than one per frame). A blocked write offers the same bytes next time, as
    /// OpenSSL requires.
    mutating func send(through write: (UnsafeRawBufferPointer) -> TransportWrite) -> Sent {
        guard pending > 0 else { return .progress(remaining: 0) }
        let start = start
        let result = bytes.withUnsafeBytes { raw in write(UnsafeRawBufferPointer(rebasing: raw[start...])) }
        switch result {
        case .wrote(let count):
            consume(count)
            return .progress(remaining: pending)
        case .wouldBlock(let untilReadable):
            return untilReadable ? .waitingForRead(remaining: pending) : .progress(remaining: pending)
        case .failed(let reason):
            return .failed(reason)
        }
    }

    /// One `send(2)` on a plain socket.
    mutating func send(on socket: SocketDescriptor) -> Sent {
        send { bytes in
            do {
                guard let sent = try socket.send(bytes) else { return .wouldBlock(untilReadable: false) }
                return .wrote(sent)
            } catch {
                return .failed("\(error)")
            }
        }
    }

    /// Marks `count` bytes as sent. A drained queue keeps its capacity for the next pass (re-growing it from
    /// fresh pages every pass costs page faults); the idle sweep frees it. A partially sent queue is compacted
    /// only when the sent prefix dominates, so a slow reader does not cost a memmove per send.
    private mutating func consume(_ count: Int) {
        start += count
        if start == bytes.count {
            bytes.removeAll(keepingCapacity: true)
            start = 0
        } else if start >= 1 << 16 && start * 2 >= bytes.count {
            bytes.removeSubrange(0..<start)
            start = 0
        }
    }

    /// Frees the buffer of a queue that is empty and was not used since the last sweep. Returns the bytes
    /// freed, and whether the queue still holds memory (so the loop knows whether to sweep again).
    mutating func sweep() -> (freed: Int, holding: Bool) {
        var freed = 0
        if pending == 0 && !usedSinceSweep && bytes.capacity > 0 {
            freed = bytes.capacity
            bytes = []
        }
        usedSinceSweep = false
        return (freed, bytes.capacity > 0)
    }
}
