import ChatProtocol

/// What a hub in cluster mode keeps beside its replica: this node's name, the hellos and packets waiting for
/// the log, and whether the log can be reached (docs/CLUSTER.md, "The hub in cluster mode").
struct ClusterState {
    /// A `hello` submitted and not yet applied: what only this node knows about the new session.
    struct PendingHello {
        var features: Features
        var after: Int?
        /// The session's new resume token, for a `resume` client.
        var token: String?
    }

    /// The most packets held per connection: the default burst, a second of a client at the default rate limit
    /// five times over. Past it the loop stops reading the client (TCP back-pressure), so a long pause costs
    /// memory per client, not per packet sent.
    static let holdLimit = 1_024

    /// This node's name: sessions it owns carry it.
    let node: String
    var pending: [ClientID: PendingHello] = [:]
    /// Entries a connection submitted that have not come back applied (or refused) yet.
    var inFlight: [ClientID: Int] = [:]
    /// Packets held in arrival order: they must not overtake an entry in flight, a pending hello, or a pause.
    var held: [ClientID: HistoryDeque<[UInt8]>] = [:]
    /// Connections that said `quit`: closed when their `leave` is applied, deaf until then.
    var quitting: Set<ClientID> = []
    /// False while the cluster's store cannot be reached.
    var reachable = true
    /// After the store lost its data: the sessions no `restore` entry has confirmed yet.
    var unconfirmed: Set<SessionID> = []

    init(node: String) { self.node = node }

    /// Forgets everything about a connection that is gone.
    mutating func forget(_ id: ClientID) {
        pending[id] = nil
        inFlight[id] = nil
        held[id] = nil
        quitting.remove(id)
    }

    /// One of the connection's entries was applied or refused.
    mutating func settled(_ id: ClientID) {
        guard let count = inFlight[id] else { return }
        inFlight[id] = count > 1 ? count - 1 : nil
    }
}
