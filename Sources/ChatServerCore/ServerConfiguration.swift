import ChatSocket
import ChatWorld

/// The server's tunables; the command line maps its options onto these, and takes its defaults from here.
public struct ServerConfiguration: Sendable {
    /// The address to listen on; nil listens on every address.
    public var host: String?
    /// The TCP port; 0 lets the kernel pick (tests read it back from `ServerLoop.address`).
    public var port: UInt16
    /// The most connections held at once; more are answered `server_full` and closed.
    public var maxClients: Int
    /// The most unsent bytes queued for one client before it is dropped as a slow consumer.
    public var maxSendQueue: Int
    /// How long a new connection has to complete `hello`.
    public var helloTimeout: Duration
    /// Packets per second one client may send; 0 turns the limit off.
    public var rate: Double
    /// How many packets a client may send at once before the rate applies.
    public var burst: Double
    /// How long shutdown waits for queued output before closing anyway.
    public var shutdownGrace: Duration
    /// The `info` text a client that announced `info` gets after `hello`.
    public var welcome: String
    /// Messages replayed to a `history` client entering a room without `after`.
    public var backfill: Int = Self.defaultBackfill
    /// The most messages one replay holds; older ones are left out and the end marker says `truncated`.
    public var replayLimit: Int = Self.defaultReplayLimit
    /// Messages kept per room.
    public var historyLimit: Int = Self.defaultHistoryLimit
    /// Bytes of message history kept over all rooms, oldest evicted first.
    public var historyByteBudget: Int = Self.defaultHistoryByteBudget
    /// The SQLite file that keeps room history across restarts; nil keeps it in memory only.
    public var databasePath: String?
    /// How long a `resume` session outlives its connection; zero turns resuming off.
    public var resumeGrace: Duration = Self.defaultResumeGrace
    /// Silence after which a `ping` client is pinged, and then counted gone after as long again.
    public var pingInterval: Duration = Self.defaultPingInterval
    /// The password every `hello` must carry; nil for an open server. Read from a file by the command line,
    /// never taken from it, where `ps` would show it.
    public var password: String?
    /// A TLS listener beside (or, without `plainListener`, instead of) the plain one.
    public var tls: TLSSettings?
    /// Whether to listen on `port` in plain text; off for a TLS-only server.
    public var plainListener = true
    /// `welcome.server`: what the server calls itself.
    public var serverName: String = Self.defaultServerName
    /// The world of world mode (`--world`); nil for a plain chat.
    public var world: World?
    /// Where the world's players and items were when the server last stopped, as the journal kept it; read by
    /// the command line before the loop opens the journal.
    public var savedWorld = WorldChanges()
    /// Cluster mode (`--cluster`): the Redis and this node's name and lease; nil for a single server.
    public var cluster: ClusterSettings?

    public init(
        host: String? = nil, port: UInt16, maxClients: Int = Self.defaultMaxClients,
        maxSendQueue: Int = Self.defaultMaxSendQueue, helloTimeout: Duration = Self.defaultHelloTimeout,
        rate: Double = Self.defaultRate, burst: Double = Self.defaultBurst,
        shutdownGrace: Duration = Self.defaultShutdownGrace, welcome: String = Self.defaultWelcome
    ) {
        self.host = host
        self.port = port
        self.maxClients = maxClients
        self.maxSendQueue = maxSendQueue
        self.helloTimeout = helloTimeout
        self.rate = rate
        self.burst = burst
        self.shutdownGrace = shutdownGrace
        self.welcome = welcome
    }
}

// MARK: - Defaults

extension ServerConfiguration {
    /// Descriptors `defaultMaxClients` keeps back for the listener, the wake-up pipe, stdio and a lingering close.
    public static let reservedDescriptors = 32

    /// The soft `RLIMIT_NOFILE` in force now less `reservedDescriptors`, at least 1. The command line raises
    /// the soft limit to the hard one before it reads this.
    public static var defaultMaxClients: Int { max(1, ResourceLimits.descriptorLimit() - reservedDescriptors) }

    /// 1 MiB: about 10,000 chat lines of backlog.
    public static let defaultMaxSendQueue = 1 << 20

    /// The protocol's default time to send `hello`.
    public static let defaultHelloTimeout = Duration.seconds(10)

    /// Packets per second per client: no person types 200 lines a second.
    public static let defaultRate: Double = 200

    /// Packets a client may send at once: scripts and pastes come in bursts.
    public static let defaultBurst: Double = 1_000

    /// How long shutdown flushes queued output.
    public static let defaultShutdownGrace = Duration.seconds(2)

    /// The `info` text sent after `hello`.
    public static let defaultWelcome = "Welcome! Type /help for the commands."

    /// The protocol's backfill: a screenful of context on entering a room.
    public static let defaultBackfill = 20

    /// The protocol's replay limit: a reconnect after a long gap shows the last 200 and says how many it left out.
    public static let defaultReplayLimit = 200

    /// See `RoomHistory.defaultLimitPerRoom`.
    public static let defaultHistoryLimit = RoomHistory.defaultLimitPerRoom

    /// See `RoomHistory.defaultByteBudget`.
    public static let defaultHistoryByteBudget = RoomHistory.defaultByteBudget

    /// The protocol's grace period: long enough for a laptop to change networks or a server to restart.
    public static let defaultResumeGrace = Duration.seconds(120)

    /// The protocol's ping interval.
    public static let defaultPingInterval = Duration.seconds(30)

    public static let defaultServerName = "swift-chat 0.3"
}

/// Where the TLS listener listens and what it proves itself with.
public struct TLSSettings: Sendable {
    /// PEM certificate chain, the server's own first.
    public var certificateFile: String
    /// PEM private key, readable by the server's user only.
    public var keyFile: String
    /// The TCP port; 0 lets the kernel pick.
    public var port: UInt16

    public init(certificateFile: String, keyFile: String, port: UInt16) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.port = port
    }
}
