import COpenSSL

/// A server's TLS settings, certificate and key: one `SSL_CTX` made with `TLS_server_method()`, shared by every
/// `TLSConnection` the server accepts.
///
/// TLS 1.2 or later with OpenSSL's default cipher suites at security level 2 or above, no compression, no
/// renegotiation, no session resumption. The certificate file may hold the chain after the leaf
/// (`SSL_CTX_use_certificate_chain_file`). The key is refused, as ssh refuses one, when the server's user
/// owns it and group or others have any permission on it.
public final class TLSServerContext: @unchecked Sendable {
    // @unchecked: the SSL_CTX is configured completely in init and never changed afterwards; OpenSSL allows
    // SSL_new on one SSL_CTX from several threads (its reference count is atomic).
    let context: OpaquePointer
    /// The certificate (chain) file in use.
    public let certificateFile: String
    /// The private key file in use.
    public let keyFile: String

    /// Loads `certificateFile` and `keyFile` (PEM) and checks that the key is the certificate's. Each way to
    /// fail (a missing or unreadable file, a key open to others, a file that is not PEM, a key that does not
    /// match) throws one line naming the file.
    public init(certificateFile: String, keyFile: String) throws(TLSError) {
        try PEMFile.checkReadable(certificateFile, step: "certificate")
        try PEMFile.checkReadable(keyFile, step: "key")
        try PEMFile.checkKeyPermissions(keyFile)
        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw TLSError(step: "context", reason: OpenSSLErrorQueue.takeReason(or: "SSL_CTX_new failed"))
        }
        do throws(TLSError) {
            try SecureDefaults.apply(to: context)
            try Self.load(certificateFile: certificateFile, keyFile: keyFile, into: context)
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        self.context = context
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// `SSL_CTX_use_certificate_chain_file`, `SSL_CTX_use_PrivateKey_file` and `SSL_CTX_check_private_key`.
    private static func load(certificateFile: String, keyFile: String, into context: OpaquePointer) throws(TLSError) {
        guard SSL_CTX_use_certificate_chain_file(context, certificateFile) == 1 else {
            let reason = OpenSSLErrorQueue.takeReason(or: "unknown error")
            throw TLSError(step: "certificate", file: certificateFile, reason: "cannot use it (OpenSSL: \(reason))")
        }
        // A key of the certificate's type that is not its key fails here; a key of another type (EC for an RSA
        // certificate) loads, and the check below catches it.
        guard SSL_CTX_use_PrivateKey_file(context, keyFile, SSL_FILETYPE_PEM) == 1 else {
            let first = OpenSSLErrorQueue.takeFirst()
            let reason = first?.reason ?? "unknown error"
            if let code = first?.code, OpenSSLErrorQueue.isKeyMismatch(code) {
                throw mismatch(keyFile: keyFile, certificateFile: certificateFile, detail: "OpenSSL: \(reason)")
            }
            if isEncrypted(keyFile) {
                throw TLSError(
                    step: "key", file: keyFile,
                    reason: "it has a passphrase, which the server cannot ask for (OpenSSL: \(reason))")
            }
            throw TLSError(step: "key", file: keyFile, reason: "cannot use it (OpenSSL: \(reason))")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            // OpenSSL's reason here is "no certificate assigned": the key went to the slot of its own type.
            OpenSSLErrorQueue.clear()
            throw mismatch(keyFile: keyFile, certificateFile: certificateFile, detail: "the key is of another type")
        }
    }

    /// Whether a PEM key file is encrypted (PKCS#8 `ENCRYPTED PRIVATE KEY`, or a traditional key's
    /// `Proc-Type: 4,ENCRYPTED`).
    private static func isEncrypted(_ keyFile: String) -> Bool {
        guard let text = try? ConfigFile.read(keyFile) else { return false }
        return text.contains("ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED")
    }

    private static func mismatch(keyFile: String, certificateFile: String, detail: String) -> TLSError {
        TLSError(step: "key", file: keyFile, reason: "does not match certificate \(certificateFile) (\(detail))")
    }
}
