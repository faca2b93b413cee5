import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A non-blocking self-pipe: another thread (or a signal handler) writes a byte to wake a thread waiting in
/// `select(2)` or `poll(2)`. Both ends close when the pipe is released.
public final class WakeupPipe: Sendable {
    /// The end to watch for readability.
    public let readFD: CInt
    /// The end `wake()` writes to.
    private let writeFD: CInt

    /// Wraps `pipe(2)`, then `fcntl(2)` makes both ends non-blocking and close-on-exec (glibc declares
    /// `pipe2` only under `_GNU_SOURCE`). On failure both ends are closed before the error is thrown.
    public init() throws(Errno) {
        var ends: [CInt] = [-1, -1]
        _ = try SystemCall.retrying { pipe(&ends) }
        do {
            for end in ends {
                let flags = try SystemCall.retrying { fcntl(end, F_GETFL) }
                _ = try SystemCall.retrying { fcntl(end, F_SETFL, flags | O_NONBLOCK) }
                _ = try SystemCall.retrying { fcntl(end, F_SETFD, FD_CLOEXEC) }
            }
        } catch {
            ends.forEach { _ = close($0) }
            throw error
        }
        readFD = ends[0]
        writeFD = ends[1]
    }

    /// Writes one byte; safe from any thread and async-signal-safe. A full pipe already holds a wake-up, so
    /// `EAGAIN` is fine to ignore.
    public func wake() {
        var byte: UInt8 = 1
        while write(writeFD, &byte, 1) < 0, errno == EINTR {}
    }

    /// Reads every pending byte, so the next wait sleeps until the next `wake()`.
    public func drain() {
        var scratch = [UInt8](repeating: 0, count: 256)
        while true {
            let count = read(readFD, &scratch, scratch.count)
            if count > 0 || (count < 0 && errno == EINTR) { continue }
            return
        }
    }

    deinit {
        _ = close(readFD)
        _ = close(writeFD)
    }
}
