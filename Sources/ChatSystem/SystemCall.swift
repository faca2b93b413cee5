import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The errno plumbing every syscall wrapper shares: `EINTR` is retried, `EAGAIN` is flow control.
public enum SystemCall {
    /// Runs a syscall, retrying on `EINTR` and throwing any other failure as `Errno`.
    public static func retrying<T: BinaryInteger>(_ call: () -> T) throws(Errno) -> T {
        while true {
            let result = call()
            if result >= 0 { return result }
            let error = Errno(rawValue: errno)
            if error != .interrupted { throw error }
        }
    }

    /// Like `retrying(_:)`, but returns nil on `EAGAIN`/`EWOULDBLOCK`.
    public static func retryingUnlessWouldBlock<T: BinaryInteger>(_ call: () -> T) throws(Errno) -> T? {
        do {
            return try retrying(call)
        } catch .wouldBlock {
            return nil
        }
    }

    /// Wraps `poll(2)` on one descriptor for `events` (`POLLIN`, `POLLOUT`), waiting for ever; `EINTR` is
    /// retried.
    public static func waitUntilReady(_ fd: CInt, for events: CInt) throws(Errno) {
        var entry = pollfd(fd: fd, events: Int16(events), revents: 0)
        _ = try retrying { poll(&entry, 1, -1) }
    }
}
