import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Waiting for readiness on many sockets at once.
public enum Select {
    /// Wraps `select(2)`. On return the sets hold only the ready descriptors. `timeout` nil waits for ever.
    /// Returns the number of ready descriptors, 0 on timeout. `EINTR` returns 0 so the caller can look at
    /// whatever the signal changed (a shutdown request) before it waits again.
    public static func wait(
        read: inout SelectSet, write: inout SelectSet, timeout: Duration?
    ) throws(Errno) -> Int {
        let words = max(read.wordCount, write.wordCount, 1)
        read.reserveWords(words)
        write.reserveWords(words)
        let nfds = CInt(words * UInt.bitWidth)
        var interval = timeval()
        if let timeout {
            let (seconds, attoseconds) = timeout.components
            interval.tv_sec = Int(max(0, seconds))
            interval.tv_usec = seconds < 0 ? 0 : Int(attoseconds / 1_000_000_000_000)
        }
        let result = read.withUnsafeMutableWords { readWords in
            write.withUnsafeMutableWords { writeWords in
                // The kernel reads nfds bits from each pointer; both arrays hold `words` longs.
                let readSet = UnsafeMutableRawPointer(readWords)?.assumingMemoryBound(to: fd_set.self)
                let writeSet = UnsafeMutableRawPointer(writeWords)?.assumingMemoryBound(to: fd_set.self)
                if timeout == nil {
                    return select(nfds, readSet, writeSet, nil, nil)
                }
                return select(nfds, readSet, writeSet, nil, &interval)
            }
        }
        if result < 0 {
            let error = Errno(rawValue: errno)
            if error == .interrupted { return 0 }
            throw error
        }
        return Int(result)
    }
}
