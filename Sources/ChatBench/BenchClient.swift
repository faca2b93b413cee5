import ChatSocket

/// One simulated chat client: its socket, its unparsed input and its unsent output.
struct BenchClient {
    enum State: Equatable {
        /// Not connected yet.
        case waiting
        /// The non-blocking connect is in progress.
        case connecting
        /// Connected and hello queued; joins are being counted.
        case connected
        /// The connect failed, or the server closed the connection.
        case failed
    }

    var state = State.waiting
    var fd: SocketDescriptor?
    /// The nick as bytes, to recognise this client's own `join`.
    let nick: [UInt8]
    /// The tail of a frame that a read split.
    var carry: [UInt8] = []
    var outbound: [UInt8] = []
    var outboundStart = 0
    /// Joins seen from this client's own onward; 0 until its own arrives.
    var joinsSeen = 0
    /// Resume mode: the token of the last `welcome`, which takes the session back after a cut.
    var resumeToken: String?
    /// Resume mode: the highest `id` seen, sent as `after` on a resume; a message at or below it is a duplicate.
    var lastID = 0
    /// Resume mode: this connection is a resume whose replay has not ended yet.
    var isResuming = false

    init(nick: String) {
        self.nick = Array(nick.utf8)
    }

    var pendingOutput: Int { outbound.count - outboundStart }

    var hasJoined: Bool { joinsSeen > 0 }

    /// Whether a cut may hit this client now: joined, holding a token, and not in the middle of a resume.
    var isCuttable: Bool { state == .connected && hasJoined && resumeToken != nil && !isResuming }

    /// Forgets the connection's unread and unsent bytes, as a reset does.
    mutating func dropConnectionBuffers() {
        carry.removeAll()
        outbound.removeAll()
        outboundStart = 0
    }

    /// Marks `count` bytes as sent; a drained buffer keeps its capacity for the next batch.
    mutating func consumeOutput(_ count: Int) {
        outboundStart += count
        if outboundStart == outbound.count {
            outbound.removeAll(keepingCapacity: true)
            outboundStart = 0
        }
    }
}
