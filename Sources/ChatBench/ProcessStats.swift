#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// CPU time and resident memory of a process, from `/proc`, and of the bench itself.
enum ProcessStats {
    /// User plus system CPU seconds of `pid`: fields 14 and 15 (`utime`, `stime`) of `/proc/PID/stat`.
    static func cpuSeconds(of pid: Int32) -> Double? {
        guard let text = contents(of: "/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the parenthesised command name start with field 3 (`state`).
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(CInt(_SC_CLK_TCK)))
    }

    /// `VmRSS` of `pid` in KiB, from `/proc/PID/status`.
    static func residentKiB(of pid: Int32) -> Int? {
        guard let text = contents(of: "/proc/\(pid)/status") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        }
        return nil
    }

    /// The bench's own user plus system CPU seconds, from `getrusage(2)`.
    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(selfUsage, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// A small text file read whole with `open(2)`/`read(2)`.
    static func contents(of path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

// Glibc imports `RUSAGE_SELF` as a member of the enum `__rusage_who`, Musl as a plain integer.
#if canImport(Glibc)
    private let selfUsage = RUSAGE_SELF.rawValue
#else
    private let selfUsage = RUSAGE_SELF
#endif
