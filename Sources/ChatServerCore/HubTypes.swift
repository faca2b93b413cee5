import ChatProtocol

/// The time of a hub event, passed in so that the hub never reads a clock: the monotonic instant for its
/// deadlines, and the wall clock for the `time` it stamps on messages.
public struct HubTime: Sendable {
    public var instant: ContinuousClock.Instant
    /// Milliseconds since the Unix epoch.
    public var epochMilliseconds: Int64

    public init(instant: ContinuousClock.Instant, epochMilliseconds: Int64) {
        self.instant = instant
        self.epochMilliseconds = epochMilliseconds
    }
}

/// A session: a nick in a room, which outlives its connection for the resume grace period.
public struct SessionID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64
    public var description: String { "s\(rawValue)" }
}

/// What happened, as the hub is told it.
public enum HubEvent {
    /// A whole frame payload arrived from `ClientID`.
    case received(ClientID, ArraySlice<UInt8>)
    /// The connection is gone (closed, reset, dropped, ping timeout).
    case disconnected(ClientID)
    /// A session's resume grace period, scheduled with `HubAction.schedule`, has run out.
    case graceEnded(SessionID)
    /// The server is shutting down: extended clients get an `info` notice.
    case shutdown
    /// Cluster mode: an entry of the cluster's log, with the id and time the log gave it, to apply.
    case applied(ClusterEntry, id: Int, time: Int64)
    /// Cluster mode: a script refused a submitted entry (`nick_in_use`), or it could not be submitted.
    case refused(ClusterEntry, ErrorCode)
    /// Cluster mode: the cluster's store became unreachable (false) or reachable again (true).
    case clusterReachable(Bool)
    /// Cluster mode: the store came back without its data; this node restores its own sessions.
    case clusterRestarted
    /// Cluster mode: the cluster as it was when this node started, before the first entry it applies.
    case snapshot(ClusterSnapshot)
    /// Cluster mode: two leases after `clusterRestarted`; sessions no node restored are ended here.
    case clusterRestartSettled
}

/// What the loop must do in answer, in order.
public enum HubAction {
    /// Queue one frame for one client.
    case send(ClientID, [UInt8])
    /// Queue one of the delivery's forms for each of its members.
    case deliver(Delivery)
    /// Send what is queued, then close: the protocol's policy for any error before `hello`, and for `quit`.
    case close(ClientID)
    /// Wake the hub with `graceEnded` at that instant.
    case schedule(SessionID, at: ContinuousClock.Instant)
    /// Something an operator wants in the log, or the loop needs to know.
    case note(HubNote)
    /// Cluster mode: append this entry to the cluster's log; the change happens when it is applied.
    case submit(ClusterEntry)
}

/// Loggable happenings.
public enum HubNote: Equatable, Sendable {
    /// `hello` succeeded (or took back a session); `features` are the client's.
    case joined(ClientID, nick: String, features: Features)
    case resumed(ClientID, nick: String)
    case detached(ClientID, nick: String)
    case left(nick: String)
    case moved(ClientID, nick: String, room: String)
    case renamed(ClientID, from: String, to: String)
    case rejected(ClientID, code: ErrorCode, reason: String)
}

/// A member of a room with a connection, with what it needs for delivery at hand.
public struct Member: Sendable {
    public let id: ClientID
    public let features: Features
}

/// One message for many members, encoded once in each form a member may need: with or without the `history`
/// stamp, and extended or downgraded to base `chat` for a member that lacks `feature`. The forms share one buffer
/// so the fan-out touches a single allocation.
public struct Delivery: Sendable {
    public let members: [Member]
    /// Members lacking this get the downgraded form; empty when there is none.
    public let feature: Features
    let bytes: [UInt8]
    /// Indexed by `form(for:)`.
    let ranges: [Range<Int>]

    /// `plain` for everyone, or per member: `stamped` for `history` clients, `downgraded` for those lacking
    /// `feature`, `stampedDowngraded` for both.
    init(
        members: [Member], plain: [UInt8], downgraded: [UInt8]? = nil, feature: Features = [],
        stamped: [UInt8]? = nil, stampedDowngraded: [UInt8]? = nil
    ) {
        self.members = members
        self.feature = downgraded == nil ? [] : feature
        var bytes: [UInt8] = []
        func add(_ form: [UInt8]) -> Range<Int> {
            defer { bytes.append(contentsOf: form) }
            return bytes.count..<bytes.count + form.count
        }
        let plainRange = add(plain)
        let downgradedRange = downgraded.map(add) ?? plainRange
        let stampedRange = stamped.map(add) ?? plainRange
        let both = stampedDowngraded.map(add) ?? (stamped == nil ? downgradedRange : stampedRange)
        self.bytes = bytes
        self.ranges = [plainRange, downgradedRange, stampedRange, both]
    }

    /// Which form a member with `features` gets: bit 0 downgraded, bit 1 stamped.
    @inline(__always)
    func form(for features: Features) -> Int {
        (features.isSuperset(of: feature) ? 0 : 1) | (features.contains(.history) ? 2 : 0)
    }

    /// The frame a member with `features` gets (for tests and tools; the fan-out works on raw buffers).
    public func frame(for features: Features) -> ArraySlice<UInt8> {
        bytes[ranges[form(for: features)]]
    }
}
