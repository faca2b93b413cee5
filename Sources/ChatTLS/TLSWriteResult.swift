/// What a non-blocking `TLSConnection.write(_:)` (`SSL_write_ex`, partial writes enabled) did.
public enum TLSWriteResult: Sendable, Equatable {
    /// This many bytes from the start of the buffer are taken, 1 or more, possibly fewer than offered.
    case wrote(Int)
    /// Nothing taken; call again with the same bytes (more may follow them) once the socket is readable
    /// (`SSL_ERROR_WANT_READ`).
    case wantRead
    /// Nothing taken; call again with the same bytes (more may follow them) once the socket is writable
    /// (`SSL_ERROR_WANT_WRITE`).
    case wantWrite
    /// The connection is unusable (a reset, a protocol error); close it.
    case failed(TLSError)
}
