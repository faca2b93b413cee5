import ChatProcess
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real `chat-server` executable in a child process, for what must be seen from outside: its exit status,
/// its signals, its sanitizer reports, and its own descriptor count, memory and CPU time under `/proc/PID`.
extension ServerProcess {
    /// The directory holding the package's built executables: the one the test bundle was built into.
    public static var binaryDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// Starts the `chat-server` built next to the tests, with our environment (so a sanitizer's options reach
    /// it) and its standard error in a log file of its own.
    public convenience init(_ arguments: [String] = [], shell prefix: String? = nil) throws {
        let binary = Self.binaryDirectory.appendingPathComponent("chat-server")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw Failure("no chat-server at \(binary.path); run swift build --build-tests first")
        }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("chat-server-\(UUID().uuidString).log")
        try self.init(
            executable: binary.path, arguments: arguments + TestTransport.serverArguments(),
            environment: ProcessInfo.processInfo.environment,
            errorLog: log.path, shellPrefix: prefix)
    }

    /// What the server logged so far.
    public var log: String {
        guard let errorLog else { return "" }
        return (try? Self.readFile(errorLog)) ?? ""
    }

    /// Stops the server if it still runs (`SIGTERM`, then `SIGKILL` after 5 s) and records an issue unless it
    /// exited 0 with no sanitizer report in its log; then removes the log. Every test that starts a server ends
    /// with this, so that a crash, a leak or a race in the child fails the test that caused it.
    public func finish(sourceLocation: SourceLocation = #_sourceLocation) {
        let (status, killed) = stop()
        let log = log
        if killed { Issue.record("chat-server did not stop within 5 s of SIGTERM", sourceLocation: sourceLocation) }
        if status != .exited(0) {
            Issue.record("chat-server ended with \(status); its log:\n\(log)", sourceLocation: sourceLocation)
        }
        if let report = Self.sanitizerReport(in: log) {
            Issue.record("chat-server's sanitizer reported:\n\(report)", sourceLocation: sourceLocation)
        }
        if let errorLog { try? FileManager.default.removeItem(atPath: errorLog) }
    }

    /// The lines of a ThreadSanitizer, AddressSanitizer, LeakSanitizer or UndefinedBehaviorSanitizer report.
    static func sanitizerReport(in log: String) -> String? {
        let lines = log.split(separator: "\n").filter { line in
            (line.contains("Sanitizer") && (line.contains("WARNING:") || line.contains("ERROR:")))
                || line.hasPrefix("SUMMARY: ") || line.contains("runtime error:")
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    // MARK: - /proc

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
        let table = try Self.readFile("/proc/\(pid)/net/tcp")
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
        let status = try Self.readFile("/proc/\(pid)/status")
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let value = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { throw Failure("no VmRSS") }
        return value
    }

    /// User plus system CPU time in seconds, from `/proc/PID/stat`.
    public func cpuSeconds() throws -> Double {
        let stat = try Self.readFile("/proc/\(pid)/stat")
        // Fields after the parenthesised command name; utime and stime are the 14th and 15th overall.
        guard let close = stat.lastIndex(of: ")") else { throw Failure("bad stat") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw Failure("bad stat")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Reads a file to its end with plain `read(2)` calls. `/proc` files report size 0, and a reader that trusts
    /// the size (or stops at one buffer) sees only their first part; and `String(contentsOfFile:)` leaks its
    /// buffer when a file is empty (as a quiet server's log is), which LeakSanitizer would rightly report.
    public static func readFile(_ path: String) throws -> String {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure("cannot open \(path)") }
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
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}
