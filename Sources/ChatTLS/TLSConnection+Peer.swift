import COpenSSL

extension TLSConnection {
    /// The SHA-256 fingerprint of the peer's certificate (`SSL_get0_peer_certificate`, `X509_digest`), once
    /// the handshake has received it; nil on a server (clients send none) or before.
    public var peerCertificateSHA256: CertificateFingerprint? {
        guard let certificate = SSL_get0_peer_certificate(ssl) else { return nil }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(certificate, EVP_sha256(), &digest, &length) == 1 else { return nil }
        return CertificateFingerprint(bytes: Array(digest.prefix(Int(length))))
    }

    /// On a client after the handshake: whether the server's certificate chain leads to a trusted CA and names
    /// the host given at creation (`SSL_get_verify_result`). Anything else is `.untrusted`, including no
    /// certificate at all, and is for the caller (with `KnownServers`) to accept or refuse before it sends.
    public var verification: TLSVerification {
        guard SSL_get0_peer_certificate(ssl) != nil else { return .untrusted(reason: "no certificate") }
        let result = SSL_get_verify_result(ssl)
        guard result != X509_V_OK else { return .trusted }
        return .untrusted(reason: String(cString: X509_verify_cert_error_string(result)))
    }

    /// The negotiated protocol, `TLSv1.3` or `TLSv1.2` (`SSL_get_version`), for logs.
    public var protocolVersion: String {
        String(cString: SSL_get_version(ssl))
    }

    /// The negotiated cipher suite, e.g. `TLS_AES_256_GCM_SHA384` (`SSL_CIPHER_get_name`), for logs.
    public var cipherSuite: String? {
        guard let cipher = SSL_get_current_cipher(ssl), let name = SSL_CIPHER_get_name(cipher) else { return nil }
        return String(cString: name)
    }
}
