import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The real `chat-server` executable in a child process, for what must be seen from outside: its exit
/// status, its signals, and its own descriptor count, memory and CPU time under `/proc/PID`.
public final class ServerProcess {
    public let port: UInt16
    public let pid: Int32
    private let process: Process
    private let logURL: URL

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The directory holding the package's built executables: the one the test bundle was built into.
    public static var binaryDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// Starts `chat-server PORT arguments…` on a free loopback port and waits until it listens.
    public init(_ arguments: [String] = [], shell prefix: String? = nil) throws {
        let binary = Self.binaryDirectory.appendingPathComponent("chat-server")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw Failure(description: "no chat-server at \(binary.path); run swift build --build-tests first")
        }
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("chat-server-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        var lastError: Failure?
        for _ in 0..<5 {
            let port = try Self.freePort()
            let process = Process()
            let command = ([binary.path, String(port), "--host", "127.0.0.1"] + arguments)
                .map { "'\($0)'" }.joined(separator: " ")
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", (prefix.map { "\($0); " } ?? "") + "exec " + command]
            process.standardError = try FileHandle(forWritingTo: logURL)
            process.standardOutput = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            if Self.waitUntilListening(port, process: process) {
                self.process = process
                self.port = port
                self.pid = process.processIdentifier
                return
            }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            lastError = Failure(description: "server did not start: \(Self.read(logURL))")
        }
        throw lastError ?? Failure(description: "server did not start")
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: logURL)
    }

    /// What the server logged so far.
    public var log: String { Self.read(logURL) }

    /// Sends a signal (`SIGTERM`, `SIGINT`).
    public func signal(_ number: Int32) {
        kill(pid, number)
    }

    /// Waits for the process to exit and returns its status, or nil if it is still running at the deadline.
    public func waitForExit(timeout: Duration) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
        guard !process.isRunning else { return nil }
        return process.terminationStatus
    }

    /// Open descriptors, from `/proc/PID/fd`.
    public func openDescriptors() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
    }

    /// The server's TCP sockets on its own port: the listener and every accepted connection. Found by matching
    /// the `socket:[inode]` links in `/proc/PID/fd` against `/proc/net/tcp`, so that descriptors the child merely
    /// inherited from the test process, or that libdispatch opens at its own pace, do not count.
    public func openSockets() throws -> Int {
        let directory = "/proc/\(pid)/fd"
        let inodes = Set(
            try FileManager.default.contentsOfDirectory(atPath: directory).compactMap { entry -> Substring? in
                guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\(entry)"),
                    link.hasPrefix("socket:[")
                else { return nil }
                return Substring(link.dropFirst(8).dropLast())
            })
        let table = try Self.readProcFile("/proc/\(pid)/net/tcp")
        let portSuffix = ":" + String(port, radix: 16, uppercase: true).leftPadded(to: 4)
        return table.split(separator: "\n").dropFirst().filter { row in
            let columns = row.split(separator: " ")
            return columns.count > 9 && columns[1].hasSuffix(portSuffix) && inodes.contains(columns[9])
        }.count
    }

    /// Every open descriptor and what it points to, for failure messages.
    public func describeDescriptors() -> String {
        let directory = "/proc/\(pid)/fd"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.sorted { (Int($0) ?? 0) < (Int($1) ?? 0) }.map { entry in
            "\(entry) -> "
                + ((try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\(entry)")) ?? "?")
        }.joined(separator: ", ")
    }

    /// Resident memory in KiB, from `VmRSS` in `/proc/PID/status`.
    public func residentKiB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let value = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { throw Failure(description: "no VmRSS") }
        return value
    }

    /// User plus system CPU time in seconds, from `/proc/PID/stat`.
    public func cpuSeconds() throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // Fields after the parenthesised command name; utime and stime are the 14th and 15th overall.
        guard let close = stat.lastIndex(of: ")") else { throw Failure(description: "bad stat") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw Failure(description: "bad stat")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Reads a `/proc` file to its end with plain `read(2)` calls: such files report size 0, and a reader that
    /// trusts the size (or stops at one buffer) sees only their first part.
    static func readProcFile(_ path: String) throws -> String {
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(description: "cannot open \(path)") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = Glibc.read(fd, &chunk, chunk.count)
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "no free port") }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Probes with connections rather than reading the log, which `--log-level` may silence.
    private static func waitUntilListening(_ port: UInt16, process: Process) -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline && process.isRunning {
            if let probe = try? RawClient(port: port) {
                probe.close()
                return true
            }
            usleep(20_000)
        }
        return false
    }

    private static func read(_ url: URL) -> String {
        (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}
