/// The certificates a user has accepted for servers that no CA vouches for: trust on first use, as ssh's
/// `known_hosts`.
///
/// A text file, one server per line: `host:port SHA256:AB:12:...` (see `CertificateFingerprint`), the host
/// lowercased and an IPv6 address in brackets (`[::1]:7000`). Blank lines and lines starting with `#` are
/// ignored and kept. The file is rewritten whole (a temporary file, then `rename(2)`) with mode 0600 in a
/// directory made with mode 0700.
public struct KnownServers: Sendable {
    /// The file's path.
    public let path: String

    /// The file at `path` (which need not exist yet).
    public init(path: String) {
        self.path = path
    }

    /// `$XDG_CONFIG_HOME/swift-chat/known_servers`, or `$HOME/.config/swift-chat/known_servers` when
    /// `XDG_CONFIG_HOME` is unset or empty; nil when `HOME` is unset too.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/swift-chat/known_servers" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/swift-chat/known_servers" }
        return nil
    }

    /// What to do with the certificate `presented` by a server, given the one remembered for it (`known`) and
    /// whether it `verified` against the trust anchors. A verified certificate needs no memory; otherwise the
    /// remembered one decides, and without one it is a first use.
    public static func decide(
        known: CertificateFingerprint?, presented: CertificateFingerprint, verified: Bool
    ) -> TrustDecision {
        if verified { return .trusted }
        guard let known else { return .firstUse(presented) }
        return known == presented ? .trusted : .changed(known: known, presented: presented)
    }

    /// `decide(known:presented:verified:)` with the fingerprint remembered for `host` and `port`.
    public func decide(
        host: String, port: UInt16, presented: CertificateFingerprint, verified: Bool
    ) throws(TLSError) -> TrustDecision {
        Self.decide(known: try lookup(host: host, port: port), presented: presented, verified: verified)
    }

    /// The fingerprint remembered for `host` and `port`, if any. A missing file remembers nothing; an
    /// unreadable one throws.
    public func lookup(host: String, port: UInt16) throws(TLSError) -> CertificateFingerprint? {
        let key = Self.key(host: host, port: port)
        for line in try lines() {
            if let entry = Self.entry(line), entry.key == key { return entry.fingerprint }
        }
        return nil
    }

    /// Remembers `fingerprint` for `host` and `port`, replacing any line for the same server.
    public func remember(host: String, port: UInt16, fingerprint: CertificateFingerprint) throws(TLSError) {
        let key = Self.key(host: host, port: port)
        var kept = try lines().filter { Self.entry($0)?.key != key }
        kept.append("\(key) \(fingerprint)")
        try ConfigFile.writeAtomically(kept.map { $0 + "\n" }.joined(), to: path)
    }

    /// Removes the line for `host` and `port`, if there is one.
    public func forget(host: String, port: UInt16) throws(TLSError) {
        let key = Self.key(host: host, port: port)
        let all = try lines()
        let kept = all.filter { Self.entry($0)?.key != key }
        guard kept.count != all.count else { return }
        try ConfigFile.writeAtomically(kept.map { $0 + "\n" }.joined(), to: path)
    }

    /// Several lines for a `.changed` decision: both fingerprints, the refusal, and how to accept the new
    /// certificate if it is genuine.
    public func changedWarning(
        host: String, port: UInt16, known: CertificateFingerprint, presented: CertificateFingerprint
    ) -> String {
        let key = Self.key(host: host, port: port)
        return """
            WARNING: the certificate of \(key) has changed. Someone may be intercepting this connection.
            remembered: \(known)
            presented:  \(presented)
            Not connecting. If the server's certificate really changed, delete the line for \(key) from \(path).
            """
    }

    // MARK: - Lines

    /// `host:port`, host lowercased and an IPv6 address bracketed: how a server is named in the file and in
    /// messages.
    public static func key(host: String, port: UInt16) -> String {
        let host = host.lowercased()
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The key and fingerprint of a line, or nil for a blank, comment or malformed line.
    static func entry(_ line: String) -> (key: String, fingerprint: CertificateFingerprint)? {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 2, !fields[0].hasPrefix("#"),
            let fingerprint = CertificateFingerprint(parsing: fields[1])
        else { return nil }
        return (String(fields[0]), fingerprint)
    }

    private func lines() throws(TLSError) -> [String] {
        guard let text = try ConfigFile.read(path) else { return [] }
        return text.split(separator: "\n").map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
    }
}
