import COpenSSL

/// The settings both sides share, applied to a fresh `SSL_CTX`.
enum SecureDefaults {
    /// The lowest security level accepted (`SSL_CTX_set_security_level(3)`): level 2 refuses keys under 2048
    /// bits (RSA, DH) or 224 bits (ECC), SHA-1 signatures and RC4. Debian already builds OpenSSL with it.
    static let minimumSecurityLevel: CInt = 2

    /// TLS 1.2 or later, no compression (CRIME), no renegotiation, partial writes from a buffer that may
    /// move between retries (the loop's outbound queue), no session tickets or cache (nothing resumes), and
    /// no passphrase prompt on the terminal for an encrypted key.
    static func apply(to context: OpaquePointer) throws(TLSError) {
        guard copenssl_ctx_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
            throw TLSError(step: "context", reason: OpenSSLErrorQueue.takeReason(or: "cannot require TLS 1.2"))
        }
        _ = SSL_CTX_set_options(
            context,
            copenssl_op_no_compression() | copenssl_op_no_renegotiation() | copenssl_op_no_ticket()
                | copenssl_op_cipher_server_preference())
        _ = copenssl_ctx_set_mode(context, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER))
        _ = copenssl_ctx_set_session_cache_mode(context, Int(SSL_SESS_CACHE_OFF))
        _ = SSL_CTX_set_num_tickets(context, 0)
        if SSL_CTX_get_security_level(context) < minimumSecurityLevel {
            SSL_CTX_set_security_level(context, minimumSecurityLevel)
        }
        // Without a callback OpenSSL would prompt on the controlling terminal for an encrypted key's
        // passphrase; with this one, such a key fails to load and says so.
        SSL_CTX_set_default_passwd_cb(context) { _, _, _, _ in 0 }
    }
}
