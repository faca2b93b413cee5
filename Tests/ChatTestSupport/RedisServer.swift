import ChatProcess
import ChatSocket
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real `redis-server` in a child process on a free port of 127.0.0.1, with no persistence and a temporary
/// directory of its own: started by the test (never assumed running), ready once it answers `PING`, stopped by
/// PID. It can be killed and started again on the same port, for fault tests.
public final class RedisServer {
    /// The port it listens on, the same across restarts.
    public let port: UInt16
    /// Its working directory and log file's directory, removed by `stop()`.
    public let directory: String
    /// The running process, nil while stopped or killed.
    public private(set) var process: ServerProcess?

    /// `redis://127.0.0.1:PORT`, for `--cluster` and `RedisEndpoint(url:)`.
    public var url: String { "redis://127.0.0.1:\(port)" }

    /// The `redis-server` to run: `$REDIS_SERVER`, else the first one on `$PATH` or in `/usr/bin`.
    public static var executable: String? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["REDIS_SERVER"] { return path }
        let directories =
            (environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin"]
        return directories.map { $0 + "/redis-server" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts a server on a free port and waits at most `timeout` until it answers `PING`.
    public init(timeout: Duration = .seconds(20)) throws {
        port = try ServerProcess.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try start(timeout: timeout)
    }

    deinit {
        stop()
    }

    /// Starts the server again on the same port after `kill()` or `stop()`, empty (nothing is saved).
    public func start(timeout: Duration = .seconds(20)) throws {
        guard process == nil else { return }
        guard let executable = Self.executable else {
            throw ServerProcess.Failure("no redis-server found (scripts/install-deps.sh installs it)")
        }
        let command = [
            executable, "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--dir", directory, "--logfile", directory + "/redis.log",
        ]
        let deadline = ContinuousClock.now + timeout
        let started = try ServerProcess(
            command: command, port: port, errorLog: directory + "/stderr.log", startTimeout: timeout)
        process = started
        while !Self.answersPing(port: port) {
            guard ContinuousClock.now < deadline else {
                stop()
                throw ServerProcess.Failure("redis-server on port \(port) did not answer PING within \(timeout)")
            }
            usleep(20_000)
        }
    }

    /// Stops the server's process (`SIGSTOP`): its sockets stay open and connects still complete (the kernel
    /// accepts), but nothing is answered, as with a Redis that hangs. `resume()` (or `kill()`, `stop()`) undoes it.
    public func pause() {
        process?.signal(SIGSTOP)
    }

    /// Lets a paused server run again (`SIGCONT`); harmless when it is not paused.
    public func resume() {
        process?.signal(SIGCONT)
    }

    /// Kills the server at once (`SIGKILL`), as a crash would, and waits until it is gone.
    public func kill() {
        guard let process else { return }
        process.signal(SIGKILL)
        _ = process.waitForExit(within: .seconds(10))
        self.process = nil
    }

    /// Stops the server (`SIGTERM`, then `SIGKILL` after `grace`) and removes its directory. Returns whether it
    /// had to be killed.
    @discardableResult
    public func stop(grace: Duration = .seconds(5)) -> Bool {
        // A paused server would only act on SIGTERM once continued.
        resume()
        let killed = process?.stop(grace: grace).killed ?? false
        process = nil
        try? FileManager.default.removeItem(atPath: directory)
        return killed
    }

    /// Whether a server on `port` answers `PING` with `+PONG` within a second.
    public static func answersPing(port: UInt16) -> Bool {
        guard let socket = try? SocketDescriptor.connect(host: "127.0.0.1", port: port) else { return false }
        defer { socket.close() }
        guard (try? socket.sendAll(Array("PING\r\n".utf8))) != nil, (try? socket.setNonBlocking()) != nil else {
            return false
        }
        let deadline = ContinuousClock.now + .seconds(1)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while ContinuousClock.now < deadline {
            let result = buffer.withUnsafeMutableBytes { try? socket.read(into: $0) }
            switch result {
            case .bytes(let count)?: received += buffer[0..<count]
            case .wouldBlock?: usleep(5_000)
            case .endOfStream?, nil: return false
            }
            // A loading server answers -LOADING; only +PONG means ready.
            if received.count >= 7 { return received.starts(with: Array("+PONG\r\n".utf8)) }
        }
        return false
    }
}
