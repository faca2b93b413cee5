import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The one write-all loop: sockets, standard output and standard error all go through it.
public enum DescriptorOutput {
    /// Writes every byte of `bytes` to `fd` with `write(2)`.
    public static func writeAll(_ bytes: [UInt8], to fd: CInt) throws(Errno) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(Errno) in try writeAll(raw, to: fd) { write(fd, $0.baseAddress, $0.count) } }
        }
        try result.get()
    }

    /// Writes every byte of `bytes`, calling `writeOnce` (a `write(2)` or `send(2)` on `fd` that returns
    /// what the kernel took, or -1 with `errno`) until all are taken. `EINTR` is retried; on `EAGAIN`
    /// (a non-blocking descriptor that is full) it waits in `poll(2)` until `fd` is writable.
    public static func writeAll(
        _ bytes: UnsafeRawBufferPointer, to fd: CInt, using writeOnce: (UnsafeRawBufferPointer) -> Int
    ) throws(Errno) {
        var offset = 0
        while offset < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            guard let written = try SystemCall.retryingUnlessWouldBlock({ writeOnce(rest) }) else {
                try SystemCall.waitUntilReady(fd, for: CInt(POLLOUT))
                continue
            }
            // A write that takes nothing from a non-empty buffer would loop for ever.
            guard written > 0 else { throw Errno.ioError }
            offset += written
        }
    }
}
