import ChatTLS

/// How the client gets in beyond a TCP connection: TLS with its trust rules, and the server's password.
public struct ClientAccess: Sendable {
    /// TLS settings; nil for a plain connection.
    public var tls: ClientTLS?
    /// The password sent in every `hello` (`hello.password`), reconnects included; nil for none.
    public var password: String?

    /// Plain TCP, no password, unless given.
    public init(tls: ClientTLS? = nil, password: String? = nil) {
        self.tls = tls
        self.password = password
    }
}

/// The client's TLS: trust anchors, and what to do with a certificate they do not vouch for (SECURITY.md,
/// trust on first use).
public struct ClientTLS: Sendable {
    /// The trust anchors: the system store, or a CA file (`--ca`).
    public let context: TLSClientContext
    /// Where accepted certificates are remembered; nil when there is no place for them (no `HOME`): then
    /// only a verified certificate or `trustedFingerprint` lets the client in.
    public let knownServers: KnownServers?
    /// The fingerprint the user vouched for on the command line (`--trust`): accepted without asking when
    /// the server presents it, and remembered.
    public let trustedFingerprint: CertificateFingerprint?

    public init(context: TLSClientContext, knownServers: KnownServers?, trustedFingerprint: CertificateFingerprint?) {
        self.context = context
        self.knownServers = knownServers
        self.trustedFingerprint = trustedFingerprint
    }
}
