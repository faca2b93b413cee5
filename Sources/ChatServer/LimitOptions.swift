import ArgumentParser
import ChatServerCore

/// The server's limits on each client; every default comes from `ServerConfiguration`.
struct LimitOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Most connections at once; more get error server_full "
                + "(default: descriptor limit less \(ServerConfiguration.reservedDescriptors))."))
    var maxClients: Int?
    @Option(help: "Most unsent bytes per client before it is dropped as a slow consumer.")
    var maxSendQueue: Int = ServerConfiguration.defaultMaxSendQueue
    @Option(help: "Seconds a new connection has to send hello.")
    var helloTimeout: Double = ServerConfiguration.defaultHelloTimeout / .seconds(1)
    @Option(help: "Packets per second per client (0: no limit).") var rate: Double = ServerConfiguration.defaultRate
    @Option(help: "Packets a client may send at once before the rate applies.")
    var burst: Double = ServerConfiguration.defaultBurst

    func validate() throws {
        guard maxClients.map({ $0 > 0 }) ?? true else { throw ValidationError("--max-clients must be positive.") }
        guard maxSendQueue >= 65_537 else { throw ValidationError("--max-send-queue must hold one frame.") }
        guard helloTimeout > 0, rate >= 0, burst >= 1 else {
            throw ValidationError("--hello-timeout must be positive, --rate at least 0, --burst at least 1.")
        }
    }

    func apply(to settings: inout ServerConfiguration) {
        settings.maxClients = maxClients ?? ServerConfiguration.defaultMaxClients
        settings.maxSendQueue = maxSendQueue
        settings.helloTimeout = .milliseconds(Int64(helloTimeout * 1000))
        settings.rate = rate
        settings.burst = burst
    }
}
