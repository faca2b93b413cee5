import ChatTLS
import Foundation

/// The TLS certificate check, made on every connection right after the handshake and before `hello`.
extension ChatSession {
    /// What to do with a connection's certificate.
    enum TrustVerdict: Equatable {
        /// Go on: it verified, it is the remembered or pinned one, or it matches `--trust`. `notices` are
        /// `***` lines to show (a fingerprint just remembered, a file that could not be written).
        case proceed(notices: [String])
        /// Nothing is known about it: ask the user (only on the first connection, with someone to ask).
        case ask(CertificateFingerprint, reason: String)
        /// Do not connect; the text (one or more lines) says why and what to do.
        case refuse(String)
    }

    /// Judges `connection`'s certificate (always `.proceed` on a plain connection). A certificate accepted
    /// without verification is pinned for the rest of the run: a reconnect must meet the same one.
    func judge(_ connection: Connection, canAsk: Bool, firstConnection: Bool) -> TrustVerdict {
        guard let tls = access.tls, let certificate = connection.certificate else { return .proceed(notices: []) }
        let (host, port) = (currentServer.host, currentServer.port)
        let server = KnownServers.key(host: host, port: port)
        guard let presented = certificate.fingerprint else {
            return .refuse("the server \(server) sent no certificate; not connecting")
        }
        guard case .untrusted(let reason) = certificate.verification else { return .proceed(notices: []) }
        let remembered: CertificateFingerprint?
        do {
            remembered = try state.withLock { $0.pinned } ?? tls.knownServers?.lookup(host: host, port: port)
        } catch {
            return .refuse("\(error)")
        }
        switch KnownServers.decide(known: remembered, presented: presented, verified: false) {
        case .trusted:
            state.withLock { $0.pinned = presented }
            return .proceed(notices: [])
        case .changed(let known, let presented):
            let file = tls.knownServers ?? KnownServers(path: "the known-servers file")
            return .refuse(file.changedWarning(host: host, port: port, known: known, presented: presented))
        case .firstUse(let presented):
            guard firstConnection else {
                return .refuse(
                    "the certificate of \(server) no longer verifies (\(reason)) and was never accepted; not connecting"
                )
            }
            if let given = tls.trustedFingerprint {
                guard given == presented else {
                    return .refuse(
                        "the certificate of \(server) is \(presented), not the one given with --trust (\(given)); "
                            + "not connecting")
                }
                return .proceed(notices: accept(presented, tls))
            }
            if canAsk { return .ask(presented, reason: reason) }
            return .refuse(Self.firstUseInstructions(server: server, reason: reason, presented: presented))
        }
    }

    /// Remembers an accepted fingerprint in the known-servers file and pins it for this run. Returns the
    /// notices to show.
    func accept(_ fingerprint: CertificateFingerprint, _ tls: ClientTLS) -> [String] {
        state.withLock { $0.pinned = fingerprint }
        let (host, port) = (currentServer.host, currentServer.port)
        guard let knownServers = tls.knownServers else {
            return ["*** accepted \(fingerprint) for this run only (no known-servers file: HOME is not set)"]
        }
        do {
            try knownServers.remember(host: host, port: port, fingerprint: fingerprint)
            return [
                "*** remembered \(fingerprint) for \(KnownServers.key(host: host, port: port)) in \(knownServers.path)"
            ]
        } catch {
            return ["*** accepted for this run only: \(error)"]
        }
    }

    /// Plain mode's refusal of an unknown certificate: what it is, and the two ways in.
    static func firstUseInstructions(server: String, reason: String, presented: CertificateFingerprint) -> String {
        """
        the certificate of \(server) is not trusted (\(reason)); not connecting.
        Its fingerprint is \(presented)
        If the server's operator confirms it (openssl x509 -noout -fingerprint -sha256 -in cert.pem), run again \
        with --trust \(presented)
        or, if a CA signed it, with --ca CA-FILE.
        """
    }

    /// The question asked on the input line for a first-use certificate.
    static func trustQuestion(_ fingerprint: CertificateFingerprint) -> String {
        "accept this certificate? (fingerprint \(fingerprint)) [y/N] "
    }

    /// Whether an answer to a yes/no question is yes.
    static func isYes(_ answer: String?) -> Bool {
        guard let answer else { return false }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
