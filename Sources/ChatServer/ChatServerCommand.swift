import ArgumentParser
import ChatCommandLine
import ChatServerCore
import ChatSocket
import ChatSystem
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
    @OptionGroup(title: "Limits") var limits: LimitOptions
    @OptionGroup(title: "History and sessions") var continuity: ContinuityOptions
    @OptionGroup(title: "Access") var access: AccessOptions
    @OptionGroup(title: "World mode") var world: WorldOption
    @OptionGroup(title: "Cluster") var cluster: ClusterOptions
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: String = "info"

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("PORT must be 1-65535, not \(port).") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("Unknown --log-level.") }
        if let conflict = cluster.conflicts(database: continuity.db, world: world.world) {
            throw ValidationError(conflict)
        }
    }

    func run() throws {
        // First, before any thread exists: the signals then queue on a descriptor the loop watches.
        let signals: SignalDescriptor
        do {
            signals = try SignalDescriptor([SIGINT, SIGTERM])
        } catch {
            Self.printError("chat-server: signals: \(error)")
            throw ExitCode(1)
        }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        ResourceLimits.ignoreBrokenPipe()
        ResourceLimits.raiseDescriptorLimit()
        var settings = ServerConfiguration(host: host, port: UInt16(port))
        limits.apply(to: &settings)
        continuity.apply(to: &settings)
        cluster.apply(to: &settings)
        let problems = world.apply(to: &settings)
        guard problems.isEmpty else {
            for problem in problems { Self.printError("chat-server: \(problem)") }
            throw ExitCode(1)
        }
        do {
            try access.apply(to: &settings)
        } catch {
            Self.printError("chat-server: \(error)")
            throw ExitCode(1)
        }
        let loop: ServerLoop
        do {
            loop = try ServerLoop(configuration: settings, logger: Logger(label: "chat-server"))
        } catch {
            Self.printError("chat-server: \(error)")
            throw ExitCode(1)
        }
        loop.stop(on: signals)
        try loop.run()
    }
}
