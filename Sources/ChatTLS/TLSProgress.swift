/// Where a non-blocking handshake (`SSL_do_handshake`) or shutdown (`SSL_shutdown`) stands.
public enum TLSProgress: Sendable, Equatable {
    /// Finished.
    case done
    /// Call again once the socket is readable (`SSL_ERROR_WANT_READ`).
    case wantRead
    /// Call again once the socket is writable (`SSL_ERROR_WANT_WRITE`).
    case wantWrite
    /// The connection is unusable; close it.
    case failed(TLSError)
}
