import ArgumentParser
import ChatSocket
import ChatSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

extension LoadMode: ExpressibleByArgument {}

@main
struct ChatBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat-bench", abstract: "Load generator and benchmark for chat-server (loopback only).")

    @Option(help: "Server address; must be loopback (127.0.0.0/8, ::1, localhost).") var host = "127.0.0.1"
    @Option(
        help: """
            Server port (1-65535); not needed with --spawn-server. Repeat it (or use --ports) for the nodes of a \
            cluster on HOST: clients are spread over them round robin.
            """)
    var port: [Int] = []
    @Option(
        help: ArgumentHelp(
            "Cluster nodes' ports on HOST, comma-separated (same as repeating --port).", valueName: "a,b,c"))
    var ports: String?
    @Option(help: "Start this chat-server binary on a free port, measure it, and stop it at the end.")
    var spawnServer: String?
    @Option(help: "Clients to connect.") var clients = 100
    @Option(help: "Clients that send (the first S); every client receives.") var senders = 10
    @Option(help: "Seconds of load.") var duration = 5.0
    @Option(help: "max: as fast as the window allows; rate: a fixed total --rate.") var mode = LoadMode.max
    @Option(help: "Max mode: messages per sender not yet delivered to every client.") var window = 64
    @Option(help: "Rate mode: messages per second, all senders together.") var rate = 1_000.0
    @Option(help: "Seconds to stay idle after the joins, measuring the server's idle CPU.") var idle = 0.0
    @Option(help: "Seconds allowed for connecting and joining.") var joinTimeout = 60.0
    @Option(help: "Seconds allowed for outstanding deliveries after the load.") var drainTimeout = 5.0
    @Option(help: "Server pid, to read its CPU time and RSS from /proc.") var serverPid: Int32?
    @Option(help: "Resume mode: reset this many connections at random moments of the load; each resumes at once.")
    var cuts = 0
    @Option(help: "Resume mode: seed of the moments and clients of the cuts.") var seed: UInt64 = 1
    @Option(
        parsing: .unconditionalSingleValue,
        help: "An argument for the spawned server, after the bench's own (repeat: --server-arg --db --server-arg F).")
    var serverArg: [String] = []
    @Flag(help: "Connect every client over TLS; with --spawn-server, the server listens on TLS only.") var tls = false
    @Option(
        help: """
            TLS: verify the server's certificate (chain and host name) against this CA file. Without it the \
            certificate is not checked (a loopback benchmark), except with --spawn-server, whose throwaway \
            self-signed certificate is always verified.
            """)
    var ca: String?
    @Flag(help: "Print only the JSON line.") var jsonOnly = false

    func validate() throws {
        guard let allPorts = allPorts, allPorts.allSatisfy({ (1...65535).contains($0) }) else {
            throw ValidationError("--ports wants port numbers separated by commas.")
        }
        guard spawnServer == nil ? !allPorts.isEmpty : allPorts.isEmpty else {
            throw ValidationError("Give --port (1-65535, once per node) or --spawn-server PATH, not both.")
        }
        guard clients > 0, (0...clients).contains(senders) else {
            throw ValidationError("--clients must be positive and --senders between 0 and --clients.")
        }
        guard duration >= 0, idle >= 0, joinTimeout > 0, drainTimeout >= 0, window > 0, rate > 0 else {
            throw ValidationError("Durations must not be negative; --window and --rate must be positive.")
        }
        guard (0...1_000_000).contains(cuts), cuts == 0 || duration > 0 else {
            throw ValidationError("--cuts must be between 0 and 1000000, and needs a positive --duration.")
        }
        guard serverArg.isEmpty || spawnServer != nil else {
            throw ValidationError("--server-arg needs --spawn-server.")
        }
        guard ca == nil || (tls && spawnServer == nil) else {
            throw ValidationError("--ca needs --tls, and not --spawn-server (which verifies its own certificate).")
        }
        do { _ = try LoopbackAddress(host: host, port: 1) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        ResourceLimits.ignoreBrokenPipe()
        let limit = ResourceLimits.raiseDescriptorLimit()
        guard limit >= clients + 32 else { fail("\(clients) clients need more descriptors than the limit \(limit)") }
        let servers = (allPorts ?? []).map { UInt16($0) }
        let settings = BenchConfiguration(
            host: host, port: servers.first ?? 0, otherPorts: Array(servers.dropFirst()), clients: clients,
            senders: senders, duration: duration, mode: mode,
            window: window, rate: rate, idle: idle, joinTimeout: joinTimeout, drainTimeout: drainTimeout,
            nickTag: "b\(String(UInt32(getpid()) % 46_656, radix: 36))x", cuts: cuts, seed: seed,
            serverArguments: serverArg, tls: tls, caFile: ca)
        do {
            let report = try Benchmark.run(settings, serverPath: spawnServer, serverPID: serverPid)
            print(report.jsonLine)
            if !jsonOnly { print(report.summary) }
            if !report.passed { throw ExitCode(1) }
        } catch let error as BenchError {
            fail(error.description)
        }
    }

    /// `--port` values, then `--ports`'; nil when `--ports` is not a list of numbers.
    private var allPorts: [Int]? {
        var all = port
        guard let ports else { return all }
        for part in ports.split(separator: ",", omittingEmptySubsequences: false) {
            guard let number = Int(part.filter { $0 != " " }) else { return nil }
            all.append(number)
        }
        return all
    }

    private func fail(_ message: String) -> Never {
        try? DescriptorOutput.writeAll(Array("chat-bench: \(message)\n".utf8), to: STDERR_FILENO)
        Self.exit(withError: ExitCode(1))
    }
}
