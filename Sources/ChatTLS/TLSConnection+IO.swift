import COpenSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

extension TLSConnection {
    /// Why a call returned without doing its work, from `SSL_get_error`.
    enum Stop {
        case wantRead
        case wantWrite
        case closed
        case failed(TLSError)
    }

    /// Advances the handshake (`SSL_do_handshake`) as far as the socket allows. `.done` once finished, and on
    /// every later call. A peer that closes or resets during the handshake gives `.failed`.
    public func handshake() -> TLSProgress {
        prepareCall()
        let result = SSL_do_handshake(ssl)
        if result == 1 { return .done }
        switch stop(after: result, step: "handshake") {
        case .wantRead: return .wantRead
        case .wantWrite: return .wantWrite
        case .closed: return .failed(TLSError(step: "handshake", reason: "the peer closed the connection"))
        case .failed(let error): return .failed(error)
        }
    }

    /// Reads plaintext into `buffer` (`SSL_read_ex`), finishing the handshake first if needed. After
    /// `.bytes(n)` with `n == buffer.count`, more may be buffered: see `pendingBytes`.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSReadResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .bytes(0) }
        prepareCall()
        var count = 0
        let result = SSL_read_ex(ssl, base, buffer.count, &count)
        if result == 1 { return .bytes(count) }
        switch stop(after: result, step: "read") {
        case .wantRead: return .wantRead
        case .wantWrite: return .wantWrite
        case .closed: return .closed
        case .failed(let error): return .failed(error)
        }
    }

    /// Encrypts and sends as much of `bytes` as the socket takes (`SSL_write_ex`, partial writes enabled),
    /// finishing the handshake first if needed. After `.wantRead` or `.wantWrite` the next call must offer the
    /// same bytes again, at the same or another address, with more after them or not, but never fewer:
    /// OpenSSL may already have sent part of a record made from them.
    public func write(_ bytes: UnsafeRawBufferPointer) -> TLSWriteResult {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .wrote(0) }
        prepareCall()
        var count = 0
        let result = SSL_write_ex(ssl, base, bytes.count, &count)
        if result == 1 { return .wrote(count) }
        switch stop(after: result, step: "write") {
        case .wantRead: return .wantRead
        case .wantWrite: return .wantWrite
        case .closed: return .failed(TLSError(step: "write", reason: "the peer closed the connection"))
        case .failed(let error): return .failed(error)
        }
    }

    /// Sends a `close_notify` alert (`SSL_shutdown`), best effort: `.done` once it is sent (the peer's answer
    /// is not awaited), `.wantWrite` while the socket is full, and `.done` at once when there is nothing to
    /// close (no finished handshake, or a connection that already failed). Close the descriptor afterwards
    /// whatever it returns.
    @discardableResult
    public func shutdown() -> TLSProgress {
        guard !isBroken, isHandshakeDone else { return .done }
        prepareCall()
        let result = SSL_shutdown(ssl)
        if result >= 0 { return .done }
        switch stop(after: result, step: "shutdown") {
        case .wantRead: return .wantRead
        case .wantWrite: return .wantWrite
        case .closed: return .done
        case .failed(let error): return .failed(error)
        }
    }

    // MARK: - Errors

    /// Clears the error queue and `errno`, as OpenSSL requires before a call whose failure `SSL_get_error`
    /// will classify.
    private func prepareCall() {
        OpenSSLErrorQueue.clear()
        errno = 0
    }

    /// Classifies a failed call with `SSL_get_error`.
    private func stop(after result: CInt, step: String) -> Stop {
        let systemError = errno
        let kind = SSL_get_error(ssl, result)
        switch kind {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        case SSL_ERROR_SYSCALL:
            isBroken = true
            if let reason = OpenSSLErrorQueue.takeFirst()?.reason {
                return .failed(TLSError(step: step, reason: reason))
            }
            // No queued error and no errno: the stream ended without close_notify (OpenSSL 1.1 reports it so).
            guard systemError != 0 else { return .closed }
            return .failed(TLSError(step: step, reason: OpenSSLErrorQueue.systemReason(systemError)))
        case SSL_ERROR_SSL:
            isBroken = true
            guard let first = OpenSSLErrorQueue.takeFirst() else {
                return .failed(TLSError(step: step, reason: "protocol error"))
            }
            if OpenSSLErrorQueue.isUnexpectedEOF(first.code) { return .closed }
            return .failed(TLSError(step: step, reason: first.reason))
        default:
            isBroken = true
            return .failed(TLSError(step: step, reason: "unexpected SSL_get_error \(kind)"))
        }
    }
}
