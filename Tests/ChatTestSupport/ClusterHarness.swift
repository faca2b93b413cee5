import ChatProcess
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A local cluster for tests: a `RedisServer` and `count` real `chat-server` child processes, each
/// `PORT --host 127.0.0.1 --cluster redis://127.0.0.1:RPORT --node nodeK` on a free port of its own. A node can be
/// killed with `SIGKILL` and started again on its port; Redis can be killed and restarted on its port. Every wait
/// has a deadline, and everything is stopped by PID.
public final class ClusterHarness {
    /// The Redis the nodes share.
    public let redis: RedisServer
    /// Each node's port, in node order (`node1` first); a node keeps its port across restarts.
    public let ports: [UInt16]
    /// Each node's `--node` name: `node1`, `node2`, ….
    public let names: [String]
    /// Each node's process, nil while it is killed.
    public private(set) var nodes: [ServerProcess?]
    private let arguments: [String]
    private let logs: [String]
    private let binary: String

    /// Starts Redis, then `count` nodes with `arguments` added to each (`--lease 2`), each within `startTimeout`.
    public init(nodes count: Int = 3, arguments: [String] = [], startTimeout: Duration = .seconds(20)) throws {
        precondition(count > 0, "a cluster has at least one node")
        let binary = ServerProcess.binaryDirectory.appendingPathComponent("chat-server").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ServerProcess.Failure("no chat-server at \(binary); run swift build --build-tests first")
        }
        self.binary = binary
        self.arguments = arguments
        redis = try RedisServer(timeout: startTimeout)
        var ports: [UInt16] = []
        for _ in 0..<count {
            var port = try ServerProcess.freePort()
            while ports.contains(port) { port = try ServerProcess.freePort() }
            ports.append(port)
        }
        self.ports = ports
        names = (1...count).map { "node\($0)" }
        logs = names.map { "\(FileManager.default.temporaryDirectory.path)/chat-\($0)-\(UUID().uuidString).log" }
        nodes = Array(repeating: nil, count: count)
        for index in 0..<count { try startNode(index, timeout: startTimeout) }
    }

    deinit {
        for index in nodes.indices { nodes[index]?.stop(grace: .seconds(5)) }
        redis.stop()
        for log in logs { try? FileManager.default.removeItem(atPath: log) }
    }

    /// Whether the `chat-server` built next to the tests takes `--cluster` (it answers `--help` after it with 0;
    /// an unknown option exits 2).
    public static var isSupported: Bool {
        let binary = ServerProcess.binaryDirectory.appendingPathComponent("chat-server").path
        let status = try? ServerProcess.run(
            [binary, "--cluster", "redis://127.0.0.1:1", "--help"], within: .seconds(30))
        return status == .exited(0)
    }

    /// The `--cluster` URL every node was given.
    public var url: String { redis.url }

    /// Starts node `index` (0-based) on its port, after `killNode` (or at first), and waits until it listens.
    public func startNode(_ index: Int, timeout: Duration = .seconds(20)) throws {
        guard nodes[index] == nil else { return }
        let port = ports[index]
        let transport = try TestTransport.serverArguments().map { $0.replacing("{port}", with: String(port)) }
        let command =
            [binary, String(port), "--host", "127.0.0.1", "--cluster", redis.url, "--node", names[index]]
            + transport + arguments
        nodes[index] = try ServerProcess(
            command: command, port: port, environment: ProcessInfo.processInfo.environment, errorLog: logs[index],
            startTimeout: timeout)
    }

    /// Kills node `index` with `SIGKILL`, as a crash would, and waits at most `timeout` until it is gone.
    public func killNode(_ index: Int, timeout: Duration = .seconds(10)) {
        guard let node = nodes[index] else { return }
        node.signal(SIGKILL)
        _ = node.waitForExit(within: timeout)
        nodes[index] = nil
    }

    /// Kills Redis (`SIGKILL`): the nodes lose it at once.
    public func killRedis() {
        redis.kill()
    }

    /// Starts Redis again on its port, empty, and waits until it answers `PING`.
    public func restartRedis(timeout: Duration = .seconds(20)) throws {
        try redis.start(timeout: timeout)
    }

    /// What node `index` has logged so far (its standard error).
    public func log(_ index: Int) -> String {
        (try? ServerProcess.readFile(logs[index])) ?? ""
    }

    /// Stops every running node (`SIGTERM`, `SIGKILL` after 5 s) and then Redis, and records an issue for a node
    /// that had to be killed, did not exit 0, or whose log holds a sanitizer report. Killed nodes are not judged.
    public func finish(sourceLocation: SourceLocation = #_sourceLocation) {
        for index in nodes.indices {
            guard let node = nodes[index] else { continue }
            let (status, killed) = node.stop()
            nodes[index] = nil
            let log = log(index)
            if killed {
                Issue.record("\(names[index]) did not stop within 5 s of SIGTERM", sourceLocation: sourceLocation)
            }
            if status != .exited(0) {
                Issue.record("\(names[index]) ended with \(status); its log:\n\(log)", sourceLocation: sourceLocation)
            }
            if let report = ServerProcess.sanitizerReport(in: log) {
                Issue.record("\(names[index])'s sanitizer reported:\n\(report)", sourceLocation: sourceLocation)
            }
        }
        redis.stop()
    }
}
