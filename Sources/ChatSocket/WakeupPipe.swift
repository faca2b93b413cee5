import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A non-blocking self-pipe: another thread writes a byte to wake a thread waiting in `select` or `poll`.
public final class WakeupPipe: Sendable {
    /// The end to watch for readability.
    public let readEnd: SocketDescriptor
    private let writeEnd: CInt

    /// Wraps `pipe2(2)`-like setup: both ends non-blocking and close-on-exec.
    public init() throws(Errno) {
        var ends: [CInt] = [0, 0]
        _ = try SocketDescriptor.retrying { pipe(&ends) }
        for end in ends {
            _ = try SocketDescriptor.retrying { fcntl(end, F_SETFD, FD_CLOEXEC) }
            try SocketDescriptor(rawValue: end).setNonBlocking()
        }
        readEnd = SocketDescriptor(rawValue: ends[0])
        writeEnd = ends[1]
    }

    /// Wakes the waiter; safe from any thread. A full pipe already means a wake-up is pending.
    public func wake() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Empties the pipe after a wake-up.
    public func drain() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while read(readEnd.rawValue, &scratch, scratch.count) > 0 {}
    }

    deinit {
        Glibc.close(readEnd.rawValue)
        Glibc.close(writeEnd)
    }
}
