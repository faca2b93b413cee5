import ChatSocket
import ChatSystem
import ChatTLS

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// One TLS session over the client's socket, shared by the receiver thread (reads) and any sender.
///
/// OpenSSL forbids two calls on one `SSL` at once, even a read beside a write, so the `TLSConnection` lives in
/// a lock (`Locked`) that is held for each OpenSSL call only. The socket is non-blocking: a call that cannot go on
/// returns `wantRead`/`wantWrite`, and the caller waits in `poll(2)` *outside* the lock, so a reader waiting
/// for data never holds up a writer. `shutdown(2)` from another thread makes that `poll` return, so the
/// session's rule for stopping a reader (shutdown, join, close) holds over TLS too.
final class TLSChannel: Sendable {
    private let tls: Locked<TLSConnection>
    private let fd: CInt

    /// How long a wait for the "other" direction lasts before the call is retried anyway: the reader's
    /// `SSL_read` may consume the record a writer's `wantRead` was waiting for, and vice versa.
    private static let crossWaitMilliseconds: Int32 = 50

    /// Makes the socket non-blocking and runs the client handshake for `host`, at most `timeout` milliseconds.
    init(context: TLSClientContext, socket: SocketDescriptor, host: String, timeout: Int32) throws(TLSError) {
        do {
            try socket.setNonBlocking()
        } catch {
            throw TLSError(step: "connection", reason: "cannot make the socket non-blocking (\(error))")
        }
        let connection = try TLSConnection(context: context, fd: socket.rawValue, host: host)
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout))
        while true {
            let remaining = Self.milliseconds(until: deadline)
            guard remaining > 0 else { throw TLSError(step: "handshake", reason: "no answer within \(timeout) ms") }
            switch connection.handshake() {
            case .done:
                fd = socket.rawValue
                tls = Locked(connection)
                return
            case .wantRead: Self.wait(socket.rawValue, for: POLLIN, milliseconds: remaining)
            case .wantWrite: Self.wait(socket.rawValue, for: POLLOUT, milliseconds: remaining)
            case .failed(let error): throw error
            }
        }
    }

    /// The server's certificate: whether it verified, and its fingerprint (nil if it sent none).
    var certificate: (verification: TLSVerification, fingerprint: CertificateFingerprint?) {
        tls.withLock { ($0.verification, $0.peerCertificateSHA256) }
    }

    /// Reads plaintext into `buffer`: `.bytes`, `.closed` or `.failed`, or `.wantRead` when nothing came within
    /// `timeout` milliseconds (-1: no limit) or `wakeFD` became readable. Decrypted bytes OpenSSL still holds
    /// (`pendingBytes`) are read without waiting, since they do not make the socket readable.
    func read(
        into buffer: UnsafeMutableRawBufferPointer, timeout: Int32, wakeFD: CInt?
    ) -> TLSReadResult {
        var waitedForInput = false
        let target = Borrowed(buffer)
        while true {
            let result = tls.withLock { $0.read(into: target.pointer) }
            switch result {
            case .wantRead:
                guard !waitedForInput else { return .wantRead }
                waitedForInput = true
                guard Self.waitReadable(fd, timeout: timeout, wakeFD: wakeFD) else { return .wantRead }
            case .wantWrite:
                Self.wait(fd, for: POLLOUT, milliseconds: Self.crossWaitMilliseconds)
            default:
                return result
            }
        }
    }

    /// Sends all of `bytes`, waiting for the socket as a blocking write would. After `wantRead`/`wantWrite` the
    /// same bytes are offered again, as OpenSSL requires. One sender at a time (the caller's lock).
    func writeAll(_ bytes: [UInt8]) throws(TLSError) {
        var offset = 0
        while offset < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                let rest = Borrowed(UnsafeRawBufferPointer(rebasing: raw[offset...]))
                return tls.withLock { $0.write(rest.pointer) }
            }
            switch result {
            case .wrote(let count): offset += count
            case .wantWrite: Self.wait(fd, for: POLLOUT, milliseconds: -1)
            case .wantRead: Self.wait(fd, for: POLLIN, milliseconds: Self.crossWaitMilliseconds)
            case .failed(let error): throw error
            }
        }
    }

    /// Sends `close_notify`, best effort: the server then knows that nothing more comes.
    func close() {
        _ = tls.withLock { $0.shutdown() }
    }

    // MARK: - Waiting

    /// Wraps `poll(2)` on `fd` for `events`; returns when ready, on a hang-up, at the timeout or on a signal.
    private static func wait(_ fd: CInt, for events: CInt, milliseconds: Int32) {
        var descriptor = pollfd(fd: fd, events: Int16(events), revents: 0)
        _ = poll(&descriptor, 1, milliseconds)
    }

    /// Wraps `poll(2)` on `fd` and `wakeFD`: false when `timeout` passed or `wakeFD` woke it.
    private static func waitReadable(_ fd: CInt, timeout: Int32, wakeFD: CInt?) -> Bool {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
        if let wakeFD { fds.append(pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)) }
        while true {
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready > 0 { return fds[0].revents != 0 }
            if ready == 0 || errno != EINTR { return false }
        }
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let components = (deadline - ContinuousClock.now).components
        return Int32(clamping: max(0, components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000))
    }
}

/// A buffer pointer lent to one OpenSSL call made under the lock.
private struct Borrowed<Pointer>: @unchecked Sendable {
    // @unchecked: the pointer goes no further than the one call inside `withLock`, made by the thread that owns
    // the memory while that memory is alive; OpenSSL reads or fills it during that call only.
    let pointer: Pointer
    init(_ pointer: Pointer) { self.pointer = pointer }
}
