/// The server's tunables; the command line maps its options onto these.
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

    public init(
        host: String? = nil, port: UInt16, maxClients: Int = 1_000, maxSendQueue: Int = 1 << 20,
        helloTimeout: Duration = .seconds(10), rate: Double = 200, burst: Double = 1_000,
        shutdownGrace: Duration = .seconds(2),
        welcome: String = "Welcome! Type /help for the commands."
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
