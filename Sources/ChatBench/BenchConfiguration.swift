/// How the load is applied.
enum LoadMode: String, CaseIterable, Sendable {
    /// As fast as possible, each sender holding at most `window` messages not yet delivered everywhere.
    case max
    /// A fixed total rate of messages per second, spread evenly across the senders.
    case rate
}

/// Everything one bench run needs, validated.
struct BenchConfiguration: Sendable {
    var host = "127.0.0.1"
    var port: UInt16 = 0
    /// More ports of the same chat (cluster nodes on `host`): client `i` connects to `ports[i % count]`.
    var otherPorts: [UInt16] = []
    var clients = 100
    var senders = 10
    var duration = 5.0
    var mode = LoadMode.max
    var window = 64
    var rate = 1_000.0
    /// Seconds to sit idle after the joins, measuring the server's CPU; 0 skips the phase.
    var idle = 0.0
    /// Bound on the connect-and-join phase.
    var joinTimeout = 60.0
    /// Bound on waiting for outstanding deliveries after the load.
    var drainTimeout = 5.0
    /// Connections started but not yet joined at any moment, kept under the server's listen backlog.
    var connectsInFlight = 512
    /// A tag for the nicks, so that two runs against one server do not collide.
    var nickTag = "b"
    /// Resume mode: connections reset during the load, each followed at once by a resume; 0 turns it off.
    var cuts = 0
    /// Seeds the moments and the clients of the cuts, so that a run's schedule can be repeated.
    var seed: UInt64 = 1
    /// Extra arguments for a spawned server (`--db FILE`, `--replay-limit N`).
    var serverArguments: [String] = []
    /// Every client connects over TLS.
    var tls = false
    /// TLS: the CA file the server's certificate must verify against (chain and host name); nil skips the check.
    var caFile: String?

    /// Whether clients announce `welcome`, `history` and `resume` and are cut during the load.
    var resumes: Bool { cuts > 0 }

    /// Every port, `port` first: clients are spread over them round robin.
    var ports: [UInt16] { [port] + otherPorts }

    /// The nick of client `index`.
    func nick(_ index: Int) -> String { "\(nickTag)\(index)" }
}
