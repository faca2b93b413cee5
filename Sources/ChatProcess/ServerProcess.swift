import ChatSocket

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A `chat-server` in a child process on a free port of 127.0.0.1, for the benchmark and the tests: started with
/// `posix_spawn(3)`, and every wait for it bounded by a deadline.
public final class ServerProcess {
    /// The child's process ID.
    public let pid: pid_t
    /// The port it listens on.
    public let port: UInt16
    /// The file its standard error goes to, or nil when it shares ours.
    public let errorLog: String?
    /// How it ended, once it has been reaped.
    public private(set) var exitStatus: ExitStatus?

    /// How a child process ended, from `waitpid(2)`.
    public enum ExitStatus: Equatable, Sendable, CustomStringConvertible {
        /// It called `exit` with this status.
        case exited(Int32)
        /// A signal with this number killed it.
        case signaled(Int32)

        public var description: String {
            switch self {
            case .exited(let status): "exit status \(status)"
            case .signaled(let number): "killed by signal \(number)"
            }
        }
    }

    /// Why the server could not be started.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Starts `executable PORT --host 127.0.0.1 arguments…` on a free port and waits until it accepts connections.
    ///
    /// - Parameters:
    ///   - environment: the child's whole environment (none by default).
    ///   - errorLog: a file for its standard error (created or truncated); nil shares ours.
    ///   - shellPrefix: a `/bin/sh` command run first in the same process (`ulimit -n 64`).
    ///   - startTimeout: how long each attempt may take to listen. A port taken in between costs one attempt of
    ///     three.
    public init(
        executable: String, arguments: [String] = [], environment: [String: String] = [:], errorLog: String? = nil,
        shellPrefix: String? = nil, startTimeout: Duration = .seconds(10)
    ) throws(Failure) {
        var failure = Failure("\(executable) did not start")
        for _ in 0..<3 {
            let port = try Self.freePort()
            // `{port}` in an argument stands for the port picked here (a TLS-only server's `--tls-port`).
            let filled = arguments.map { $0.replacing("{port}", with: String(port)) }
            var command = [executable, String(port), "--host", "127.0.0.1"] + filled
            if let shellPrefix {
                let quoted = command.map { "'" + $0.replacing("'", with: #"'\''"#) + "'" }.joined(separator: " ")
                command = ["/bin/sh", "-c", "\(shellPrefix); exec \(quoted)"]
            }
            let pid = try Self.spawn(command, environment: environment, errorLog: errorLog)
            switch Self.awaitListening(pid: pid, port: port, within: startTimeout) {
            case .listening:
                self.pid = pid
                self.port = port
                self.errorLog = errorLog
                return
            case .exited(let status):
                failure = Failure("\(executable) ended at start with \(status)")
            case .silent:
                kill(pid, SIGKILL)
                _ = Self.reap(pid, blocking: true)
                failure = Failure("\(executable) did not listen on port \(port) within \(startTimeout)")
            }
        }
        throw failure
    }

    /// Starts `command` (its first element a path; any listening server, not only `chat-server`) that will listen
    /// on `port` of 127.0.0.1, and waits at most `startTimeout` until it accepts connections. No retry: the caller
    /// chose the port (to restart a server where its clients expect it).
    public init(
        command: [String], port: UInt16, environment: [String: String] = [:], errorLog: String? = nil,
        startTimeout: Duration = .seconds(10)
    ) throws(Failure) {
        let pid = try Self.spawn(command, environment: environment, errorLog: errorLog)
        switch Self.awaitListening(pid: pid, port: port, within: startTimeout) {
        case .listening:
            self.pid = pid
            self.port = port
            self.errorLog = errorLog
        case .exited(let status):
            throw Failure("\(command[0]) ended at start with \(status)")
        case .silent:
            kill(pid, SIGKILL)
            _ = Self.reap(pid, blocking: true)
            throw Failure("\(command[0]) did not listen on port \(port) within \(startTimeout)")
        }
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            _ = Self.reap(pid, blocking: true)
        }
    }

    /// Sends a signal (`SIGTERM`, `SIGINT`); wraps `kill(2)`.
    public func signal(_ number: Int32) {
        guard exitStatus == nil else { return }
        kill(pid, number)
    }

    /// Waits at most `timeout` for the child to end; nil if it is still running then.
    public func waitForExit(within timeout: Duration) -> ExitStatus? {
        let deadline = ContinuousClock.now + timeout
        while exitStatus == nil {
            exitStatus = Self.reap(pid, blocking: false)
            if exitStatus != nil || ContinuousClock.now >= deadline { break }
            usleep(10_000)
        }
        return exitStatus
    }

    /// Asks the server to shut down (`SIGTERM`) and waits at most `grace` for it, then kills it (`SIGKILL`).
    /// Returns how it ended and whether it had to be killed.
    @discardableResult
    public func stop(grace: Duration = .seconds(5)) -> (status: ExitStatus, killed: Bool) {
        signal(SIGTERM)
        if let status = waitForExit(within: grace) { return (status, false) }
        kill(pid, SIGKILL)
        let status = Self.reap(pid, blocking: true) ?? .signaled(SIGKILL)
        exitStatus = status
        return (status, true)
    }

    /// Runs `command` (its first element a path) to its end, with standard error to `errorLog`, and returns how it
    /// ended; nil if it still ran after `timeout`, in which case it has been killed.
    public static func run(
        _ command: [String], environment: [String: String] = [:], errorLog: String? = nil, within timeout: Duration
    ) throws(Failure) -> ExitStatus? {
        let pid = try spawn(command, environment: environment, errorLog: errorLog)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = reap(pid, blocking: false) { return status }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        _ = reap(pid, blocking: true)
        return nil
    }

    // MARK: - Starting

    private static func spawn(
        _ command: [String], environment: [String: String], errorLog: String?
    ) throws(Failure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        if let errorLog {
            posix_spawn_file_actions_addopen(&actions, 2, errorLog, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // Passed explicitly, which also avoids the mutable C global `environ`.
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        // The child starts with no signal blocked: it would inherit the mask of the spawning thread, and test and
        // pool threads block most signals, which left a child (redis-server) deaf to the SIGTERM that stops it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let status = posix_spawn(&pid, command[0], &actions, &attributes, &argv, &envp)
        guard status == 0 else { throw Failure("spawn \(command[0]): \(String(cString: strerror(status)))") }
        return pid
    }

    /// A port of 127.0.0.1 that was free a moment ago (the kernel's pick for port 0).
    public static func freePort() throws(Failure) -> UInt16 {
        do {
            let probe = try SocketDescriptor.listen(host: "127.0.0.1", port: 0)
            defer { probe.close() }
            return try probe.localAddress().port
        } catch {
            throw Failure("no free port: \(error)")
        }
    }

    private enum Start {
        case listening
        case exited(ExitStatus)
        case silent
    }

    /// Probes with connections rather than reading the log, which `--log-level` may silence.
    private static func awaitListening(pid: pid_t, port: UInt16, within timeout: Duration) -> Start {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = reap(pid, blocking: false) { return .exited(status) }
            if let probe = try? SocketDescriptor.connect(host: "127.0.0.1", port: port) {
                probe.close()
                return .listening
            }
            usleep(10_000)
        }
        return .silent
    }

    /// Wraps `waitpid(2)`; nil while the child runs (only when not blocking).
    private static func reap(_ pid: pid_t, blocking: Bool) -> ExitStatus? {
        var status: CInt = 0
        while true {
            let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if result == pid { break }
            if result == 0 { return nil }
            // EINTR: try again; ECHILD: someone else reaped it, so nothing more can be known.
            if errno == EINTR { continue }
            return .exited(-1)
        }
        // The <sys/wait.h> macros are function-like and not imported; these are their definitions.
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }
}
