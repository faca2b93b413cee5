import ChatSystem
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A socket file descriptor, in the manner of swift-system's `FileDescriptor`: each method wraps one syscall,
/// retries `EINTR`, throws `Errno`, and reports `EAGAIN` as a value because it is flow control, not failure.
public struct SocketDescriptor: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: CInt
    public init(rawValue: CInt) { self.rawValue = rawValue }
    public var description: String { "fd \(rawValue)" }

    /// What a non-blocking read produced.
    public enum ReadResult: Equatable, Sendable {
        /// This many bytes were read.
        case bytes(Int)
        /// Nothing to read now (`EAGAIN`).
        case wouldBlock
        /// The peer closed its side: `recv` returned 0.
        case endOfStream
    }

    /// Which directions `shutdown` closes.
    public enum ShutdownHow: Sendable {
        case read, write, both
        var rawValue: CInt {
            switch self {
            case .read: CInt(SHUT_RD)
            case .write: CInt(SHUT_WR)
            case .both: CInt(SHUT_RDWR)
            }
        }
    }

    /// Wraps `socket(2)`, always close-on-exec.
    public static func open(domain: CInt, type: CInt) throws(Errno) -> SocketDescriptor {
        let fd = try retrying { socket(domain, type | closeOnExecSocketFlag, 0) }
        return SocketDescriptor(rawValue: fd)
    }

    /// Wraps `accept(2)`; the new socket is made non-blocking and close-on-exec. Nil when none is pending.
    public func accept() throws(Errno) -> SocketDescriptor? {
        // Glibc's module map hides accept4 (it needs _GNU_SOURCE), so the flags take two fcntl calls.
        guard let fd = try Self.retryingUnlessWouldBlock({ systemAccept(rawValue) }) else { return nil }
        let socket = SocketDescriptor(rawValue: fd)
        do {
            _ = try Self.retrying { fcntl(fd, F_SETFD, FD_CLOEXEC) }
            try socket.setNonBlocking()
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// Wraps `recv(2)` into `buffer`.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> ReadResult {
        guard let count = try Self.retryingUnlessWouldBlock({ recv(rawValue, buffer.baseAddress, buffer.count, 0) })
        else { return .wouldBlock }
        return count == 0 ? .endOfStream : .bytes(count)
    }

    /// Wraps `send(2)` with `MSG_NOSIGNAL`, so a closed peer yields `EPIPE` instead of killing the process.
    /// Returns how many bytes the kernel took, or nil when it took none (`EAGAIN`).
    public func send(_ bytes: UnsafeRawBufferPointer) throws(Errno) -> Int? {
        try Self.retryingUnlessWouldBlock { systemSend(rawValue, bytes) }
    }

    /// Sends every byte with `send(2)` and `MSG_NOSIGNAL`, waiting as a blocking socket does; for the client's
    /// own blocking connection.
    public func sendAll(_ bytes: [UInt8]) throws(Errno) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(Errno) in try DescriptorOutput.writeAll(raw, to: rawValue) { systemSend(rawValue, $0) } }
        }
        try result.get()
    }

    /// Wraps `shutdown(2)`; wakes a thread blocked reading this socket.
    public func shutdown(_ how: ShutdownHow) throws(Errno) {
        _ = try Self.retrying { systemShutdown(rawValue, how.rawValue) }
    }

    /// Wraps `close(2)`. `EINTR` is not retried: on Linux the descriptor is gone either way.
    public func close() {
        _ = systemClose(rawValue)
    }

    // MARK: - Errno plumbing

    /// Runs a syscall, retrying on `EINTR` and throwing any other failure.
    static func retrying<T: BinaryInteger>(_ call: () -> T) throws(Errno) -> T {
        try SystemCall.retrying(call)
    }

    /// Like `retrying`, but returns nil on `EAGAIN`/`EWOULDBLOCK`.
    static func retryingUnlessWouldBlock<T: BinaryInteger>(_ call: () -> T) throws(Errno) -> T? {
        try SystemCall.retryingUnlessWouldBlock(call)
    }
}

// MARK: - C calls the methods of the same name would hide

/// `accept(2)` without the peer's address.
private func systemAccept(_ fd: CInt) -> CInt {
    accept(fd, nil, nil)
}

/// `send(2)` with `MSG_NOSIGNAL`.
private func systemSend(_ fd: CInt, _ bytes: UnsafeRawBufferPointer) -> Int {
    send(fd, bytes.baseAddress, bytes.count, CInt(MSG_NOSIGNAL))
}

/// `shutdown(2)`.
private func systemShutdown(_ fd: CInt, _ how: CInt) -> CInt {
    shutdown(fd, how)
}

/// `close(2)`.
private func systemClose(_ fd: CInt) -> CInt {
    close(fd)
}
