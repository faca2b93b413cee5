/// What a non-blocking `TLSConnection.read(into:)` (`SSL_read_ex`) did.
public enum TLSReadResult: Sendable, Equatable {
    /// This many plaintext bytes, 1 or more, are at the start of the buffer. More may be buffered inside
    /// OpenSSL (`TLSConnection.pendingBytes`) even when the socket is not readable.
    case bytes(Int)
    /// Nothing to read until the socket is readable (`SSL_ERROR_WANT_READ`).
    case wantRead
    /// OpenSSL must write before it can read (`SSL_ERROR_WANT_WRITE`): call `read` again once the socket is
    /// writable.
    case wantWrite
    /// The peer closed: a `close_notify` alert, or the TCP stream ended without one.
    case closed
    /// The connection is unusable (a reset, a protocol error); close it.
    case failed(TLSError)
}
