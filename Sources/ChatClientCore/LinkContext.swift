import ChatProtocol

/// What the receiver thread keeps about the link: the timing machine, the ledger, and what this connection
/// has said so far. Owned by the receiver thread alone.
struct LinkContext {
    var machine: LinkStateMachine
    var ledger = MessageLedger()
    /// The current room's history on the screen, for `history before`.
    var older = OlderHistory()
    var generator = SystemRandomNumberGenerator()
    /// Made for the current nick: replaced after a rename.
    var formatter: DisplayFormatter
    /// Who is in the room (`ChatSession+Roster.swift`).
    var roster = Roster()
    /// The `who` requests the client sent itself on this connection, oldest first: whether each reply is shown.
    var pendingWho: [Bool] = []
    /// Rooms entered during this run (own `join` packets): the first entry is not announced.
    var entries = 0
    /// The server answered some connection with a packet other than `error`: a drop is reconnected, not
    /// the end of the run.
    var everUp = false
    /// This connection's hello is accepted (`welcome`, or our own `join`).
    var accepted = false {
        didSet { everAccepted = everAccepted || accepted }
    }
    /// Some connection's hello was accepted: there is a session to get back to, so a `server_full` or
    /// `timeout` refusal is waited out rather than the end of the run.
    private(set) var everAccepted = false
    /// No packet has arrived on this connection yet.
    var awaitingFirstPacket = true
    /// The replay that follows a `welcome` or a room move has ended (its `history` marker came): a
    /// `history before` request may go out, and its answer is the next marker.
    var roomReplayEnded = false
    /// This connection replaces a lost one.
    var isReconnect = false
    /// The last `welcome`'s resume token.
    var resumeToken: String?
    /// The `after` this connection's hello sent.
    var afterSent: Int?
    /// Why we are dropping the connection ourselves, to say instead of the end of stream that follows.
    var dropReason: String?
    /// After `/q`: when to stop waiting for the server's close, in the link's milliseconds.
    var closeDeadline: Int64?
    /// After `/q`: `quit` (if any) and the shutdown of our sending side are done.
    var finishedSending = false
    var pingsSent = 0

    init(machine: LinkStateMachine, formatter: DisplayFormatter) {
        self.machine = machine
        self.formatter = formatter
    }

    /// A new connection has sent `hello`.
    mutating func startConnection(reconnect: Bool, after: Int?) {
        accepted = false
        awaitingFirstPacket = true
        roomReplayEnded = false
        isReconnect = reconnect
        afterSent = after
        dropReason = nil
        pendingWho = []
    }
}

/// Milliseconds since the session started, on the monotonic clock: the time the link's machine is given.
struct LinkClock: Sendable {
    private let origin = ContinuousClock.now

    var now: Int64 {
        let elapsed = (ContinuousClock.now - origin).components
        return elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
    }
}
