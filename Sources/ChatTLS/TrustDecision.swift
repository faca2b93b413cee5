/// What a client should do with a server's certificate (`KnownServers.decide`).
public enum TrustDecision: Sendable, Equatable {
    /// Connect: the certificate verified against the trust anchors, or it is the one remembered for this
    /// server.
    case trusted
    /// Nothing is known about this server: show the fingerprint, ask, and on yes `remember` it; on no, or with
    /// nobody to ask, do not connect.
    case firstUse(CertificateFingerprint)
    /// The server presents another certificate than the one remembered: refuse loudly, showing both, and never
    /// connect.
    case changed(known: CertificateFingerprint, presented: CertificateFingerprint)
}
