/// Whether a server's certificate verified against the client's trust anchors and the host name
/// (`SSL_get_verify_result`).
public enum TLSVerification: Sendable, Equatable {
    /// The chain leads to a trusted CA and the certificate names the host (`X509_V_OK`).
    case trusted
    /// It does not; `reason` is OpenSSL's (`X509_verify_cert_error_string`): `self-signed certificate`,
    /// `hostname mismatch`, `certificate has expired`, ...
    case untrusted(reason: String)
}
