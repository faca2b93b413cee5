import COpenSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// One TLS session over one connected socket: an `SSL` object reading and writing the descriptor itself
/// (`SSL_set_fd`).
///
/// Every call is non-blocking when the socket is: flow control comes back as values (`.wantRead`,
/// `.wantWrite`), never as a throw, and the caller waits in its own `select()`/`poll()`. The caller owns the
/// descriptor and closes it after this object is gone or unused; `deinit` frees the `SSL` (`SSL_free`) and
/// never closes the descriptor. One thread at a time: the type is not `Sendable` (OpenSSL forbids concurrent
/// calls on one `SSL`, even a read beside a write).
///
/// OpenSSL writes with `write(2)`, not `send` with `MSG_NOSIGNAL`: a process using this must ignore `SIGPIPE`
/// (`ResourceLimits.ignoreBrokenPipe()`), or a write to a reset peer kills it.
public final class TLSConnection {
    let ssl: OpaquePointer
    /// The connected socket, owned by the caller.
    public let fd: CInt
    /// True for the client side of the connection.
    public let isClient: Bool
    /// Set once a call failed fatally or met an unexpected end of stream: OpenSSL forbids `SSL_shutdown` then.
    var isBroken = false

    /// The server side of a connection accepted on `fd`, with the certificate and key of `context`.
    public convenience init(context: TLSServerContext, fd: CInt) throws(TLSError) {
        try self.init(sslContext: context.context, fd: fd, isClient: false)
        SSL_set_accept_state(ssl)
    }

    /// The client side of a connection to `host` on `fd`: `host` is sent as SNI (unless it is an IP address)
    /// and is the name (or address) the certificate must carry (`SSL_set1_host`).
    public convenience init(context: TLSClientContext, fd: CInt, host: String) throws(TLSError) {
        try self.init(sslContext: context.context, fd: fd, isClient: true)
        SSL_set_connect_state(ssl)
        OpenSSLErrorQueue.clear()
        if !Self.isIPAddress(host) && copenssl_set_tlsext_host_name(ssl, host) != 1 {
            throw TLSError(step: "connection", reason: "cannot send \(host) as the server name (SNI)")
        }
        // OpenSSL 3 takes an IP address here too and then checks the certificate's IP entries.
        SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
        guard SSL_set1_host(ssl, host) == 1 else {
            throw TLSError(step: "connection", reason: "cannot verify against host name \(host)")
        }
    }

    private init(sslContext: OpaquePointer, fd: CInt, isClient: Bool) throws(TLSError) {
        OpenSSLErrorQueue.clear()
        guard let ssl = SSL_new(sslContext) else {
            throw TLSError(step: "connection", reason: OpenSSLErrorQueue.takeReason(or: "SSL_new failed"))
        }
        guard SSL_set_fd(ssl, fd) == 1 else {
            SSL_free(ssl)
            throw TLSError(step: "connection", reason: OpenSSLErrorQueue.takeReason(or: "SSL_set_fd failed"))
        }
        self.ssl = ssl
        self.fd = fd
        self.isClient = isClient
    }

    deinit {
        SSL_free(ssl)
    }

    /// Plaintext bytes already decrypted inside OpenSSL and not yet returned by `read(into:)`
    /// (`SSL_pending`). They do not make the socket readable: a loop that stops reading before `.wantRead`
    /// must come back to this connection while this is above 0, without waiting in `select()`.
    public var pendingBytes: Int {
        Int(SSL_pending(ssl))
    }

    /// Whether the handshake has finished (`SSL_is_init_finished`).
    public var isHandshakeDone: Bool {
        SSL_is_init_finished(ssl) == 1
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
    }
}

@available(*, unavailable) extension TLSConnection: Sendable {}
