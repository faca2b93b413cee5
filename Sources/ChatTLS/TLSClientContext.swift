import COpenSSL

/// A client's TLS settings and trust anchors: one `SSL_CTX` made with `TLS_client_method()`.
///
/// Trust comes from the system store (`SSL_CTX_set_default_verify_paths`, on Debian `/etc/ssl/certs`) or,
/// given `caFile`, from that file alone (`SSL_CTX_load_verify_file`). The chain and the host name are always
/// verified, but a failed verification does not abort the handshake (`SSL_VERIFY_NONE`): the result is
/// reported by `TLSConnection.verification` next to the certificate's fingerprint, so that the caller can
/// apply trust on first use (`KnownServers`) to a self-signed server. A caller must therefore look at
/// `verification` after the handshake and before sending anything.
public final class TLSClientContext: @unchecked Sendable {
    // @unchecked: the SSL_CTX is configured completely in init and never changed afterwards; OpenSSL allows
    // SSL_new on one SSL_CTX from several threads (its reference count is atomic).
    let context: OpaquePointer
    /// The CA file trusted instead of the system store, if any.
    public let caFile: String?

    /// Loads the trust anchors: the system store, or `caFile` (PEM, one or more certificates) alone.
    public init(caFile: String? = nil) throws(TLSError) {
        if let caFile { try PEMFile.checkReadable(caFile, step: "CA file") }
        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw TLSError(step: "context", reason: OpenSSLErrorQueue.takeReason(or: "SSL_CTX_new failed"))
        }
        do throws(TLSError) {
            try SecureDefaults.apply(to: context)
            try Self.loadTrust(caFile: caFile, into: context)
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        self.context = context
        self.caFile = caFile
    }

    deinit {
        SSL_CTX_free(context)
    }

    private static func loadTrust(caFile: String?, into context: OpaquePointer) throws(TLSError) {
        guard let caFile else {
            guard SSL_CTX_set_default_verify_paths(context) == 1 else {
                let reason = OpenSSLErrorQueue.takeReason(or: "unknown error")
                throw TLSError(step: "trust store", reason: "cannot load it (OpenSSL: \(reason))")
            }
            return
        }
        guard SSL_CTX_load_verify_file(context, caFile) == 1 else {
            let reason = OpenSSLErrorQueue.takeReason(or: "no certificate in it")
            throw TLSError(step: "CA file", file: caFile, reason: "cannot use it (OpenSSL: \(reason))")
        }
    }
}
