import ArgumentParser
import ChatCommandLine
import ChatServerCore
import ChatSocket
import Dispatch
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@main
struct ChatServerCommand: ChatCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat-server", abstract: "A multiuser chat server on one select() loop.")

    @Argument(help: "TCP port to listen on (1-65535).") var port: Int
    @Option(help: "Address to listen on (default: every address, IPv6 and IPv4).") var host: String?
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
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: String = "info"

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("PORT must be 1-65535, not \(port).") }
        guard maxClients.map({ $0 > 0 }) ?? true else { throw ValidationError("--max-clients must be positive.") }
        guard maxSendQueue >= 65_537 else { throw ValidationError("--max-send-queue must hold one frame.") }
        guard helloTimeout > 0, rate >= 0, burst >= 1 else {
            throw ValidationError("--hello-timeout must be positive, --rate at least 0, --burst at least 1.")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("Unknown --log-level.") }
    }

    func run() throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        ResourceLimits.ignoreBrokenPipe()
        ResourceLimits.raiseDescriptorLimit()
        let settings = ServerConfiguration(
            host: host, port: UInt16(port), maxClients: maxClients ?? ServerConfiguration.defaultMaxClients,
            maxSendQueue: maxSendQueue, helloTimeout: .milliseconds(Int64(helloTimeout * 1000)), rate: rate,
            burst: burst)
        let loop: ServerLoop
        do {
            loop = try ServerLoop(configuration: settings, logger: Logger(label: "chat-server"))
        } catch {
            Self.printError("chat-server: \(error)")
            throw ExitCode(1)
        }
        let signals = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [stop = loop.stopHandle] in stop.requestStop() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        try loop.run()
    }
}
