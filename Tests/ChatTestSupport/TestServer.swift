import ChatServerCore
import ChatSocket
import Foundation
import Logging
import Testing

/// A real `ServerLoop` on 127.0.0.1, on a port the kernel picked, running on its own thread.
///
/// With `CHAT_TEST_CLUSTER=N` in the environment it is instead a cluster: a real `redis-server` and N loops in
/// cluster mode, each on its own thread, and `port` names their ports in turn, so that the clients of a test
/// are spread round robin over the nodes and every suite that uses it runs through the cluster.
public final class TestServer: Sendable {
    /// The port to connect to: the plain listener's, or the TLS one's on a TLS-only server; in a cluster, the
    /// next node's at each reading.
    public var port: UInt16 {
        guard ports.count > 1 else { return ports[0] }
        return ports[
            next.withLock { index in
                defer { index += 1 }
                return index % ports.count
            }]
    }
    private let ports: [UInt16]
    private let next = Locked(0)
    private let others: [StopHandle]
    private let redis: RedisBox?
    private let finishedOthers = DispatchSemaphore(value: 0)
    /// Each listener's port, when the server has it.
    public let plainPort: UInt16?
    public let tlsPort: UInt16?
    /// The server's process-wide descriptor count is not its own; tests read `openDescriptors()` instead.
    public let stopHandle: StopHandle
    private let finished = DispatchSemaphore(value: 0)

    /// Starts a server; `configure` adjusts the configuration (port and host are set here).
    public init(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        if TestTransport.isTLS {
            configuration.tls = try TestTransport.serverSettings()
            configuration.plainListener = false
        }
        configure(&configuration)
        var logger = Logger(label: "test-server")
        logger.logLevel = ProcessInfo.processInfo.environment["CHAT_TEST_LOG"] == nil ? .critical : .debug
        // A cluster keeps no `--db` and runs no world: those tests stay on one server.
        let nodes = configuration.world == nil && configuration.databasePath == nil ? Self.clusterNodes : 0
        var redis: RedisServer?
        if nodes > 0 {
            let server = try RedisServer()
            configuration.cluster = ClusterSettings(host: "127.0.0.1", port: server.port, node: "node1")
            redis = server
        }
        self.redis = redis.map(RedisBox.init)
        let loop = try ServerLoop(configuration: configuration, logger: logger)
        var ports = [loop.address.port]
        var others: [StopHandle] = []
        for index in 1..<max(1, nodes) {
            configuration.cluster?.node = "node\(index + 1)"
            let node = try ServerLoop(configuration: configuration, logger: logger)
            ports.append(node.address.port)
            others.append(node.stopHandle)
            Self.start(node, signal: finishedOthers)
        }
        self.ports = ports
        self.others = others
        tlsPort = loop.tlsAddress?.port
        plainPort = configuration.plainListener ? loop.address.port : nil
        stopHandle = loop.stopHandle
        Self.start(loop, signal: finished)
    }

    /// The nodes `CHAT_TEST_CLUSTER` asks for; 0 for a single server.
    public static var clusterNodes: Int {
        ProcessInfo.processInfo.environment["CHAT_TEST_CLUSTER"].flatMap { Int($0) } ?? 0
    }

    private static func start(_ loop: ServerLoop, signal finished: DispatchSemaphore) {
        let box = LoopBox(loop)
        let thread = Thread {
            do {
                try box.take().run()
            } catch {
                FileHandle.standardError.write(Data("test server failed: \(error)\n".utf8))
            }
            finished.signal()
        }
        thread.name = "test-server"
        thread.start()
    }

    deinit {
        for handle in others { handle.requestStop() }
        for _ in others { _ = finishedOthers.wait(timeout: .now() + .seconds(10)) }
        redis?.server.stop()
    }

    /// Requests shutdown and waits until the loop has returned; records an issue if it has not within `timeout`
    /// (the shutdown grace is 2 s).
    public func stop(within timeout: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation) {
        stopHandle.requestStop()
        if !waitUntilStopped(timeout: timeout) {
            Issue.record("the test server did not stop within \(timeout)", sourceLocation: sourceLocation)
        }
    }

    /// Waits until the loop has returned, after a stop requested elsewhere.
    public func waitUntilStopped(timeout: Duration) -> Bool {
        finished.wait(timeout: .now() + .milliseconds(Int(timeout / .milliseconds(1)))) == .success
    }
}

/// The cluster's Redis, stopped when the test server goes.
private final class RedisBox: @unchecked Sendable {  // Set at init, used by deinit only.
    let server: RedisServer
    init(_ server: RedisServer) { self.server = server }
}

/// Hands the loop to its thread once; the loop is deliberately not Sendable and is used by that thread only.
private final class LoopBox: @unchecked Sendable {  // Written once here, read once by the server thread.
    private var loop: ServerLoop?
    init(_ loop: ServerLoop) { self.loop = loop }
    func take() -> ServerLoop {
        defer { loop = nil }
        guard let loop else { preconditionFailure("the loop is taken once") }
        return loop
    }
}
