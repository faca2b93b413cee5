import ArgumentParser
import ChatClientCore
import ChatCommandLine
import ChatSocket
import ChatTLS
import Foundation

/// How the client gets in: TLS and its trust rules (SECURITY.md), and the server's password.
struct ClientAccessOptions: ParsableArguments {
    @Flag(help: "Connect over TLS, checking the server's certificate (see --ca, --trust).") var tls = false
    @Option(help: "With --tls: trust this PEM file of CA certificates instead of the system store.")
    var ca: String?
    @Option(
        help: ArgumentHelp(
            "With --tls: accept a certificate no CA vouches for if its SHA-256 fingerprint is this one, and remember it.",
            valueName: "fingerprint"))
    var trust: String?
    @Option(help: "With --tls: the known-servers file (default: ~/.config/swift-chat/known_servers).")
    var knownServers: String?
    @Option(help: "File whose first line is the server's password.") var passwordFile: String?

    func validate() throws {
        guard tls || (ca == nil && trust == nil && knownServers == nil) else {
            throw ValidationError("--ca, --trust and --known-servers go with --tls.")
        }
        if let trust, CertificateFingerprint(parsing: trust) == nil {
            throw ValidationError("--trust wants a SHA-256 fingerprint: SHA256: and 32 hex pairs joined by colons.")
        }
    }

    /// Loads the trust anchors and reads the password file; throws one line to print when it cannot.
    func makeAccess() throws -> ClientAccess {
        let password = try passwordFile.map { try SecretFile.read($0, option: "--password-file") }
        guard tls else { return ClientAccess(password: password) }
        // OpenSSL writes with write(2): a reset peer must not kill the process with SIGPIPE.
        ResourceLimits.ignoreBrokenPipe()
        let path = knownServers ?? KnownServers.defaultPath(environment: ProcessInfo.processInfo.environment)
        let settings = ClientTLS(
            context: try TLSClientContext(caFile: ca), knownServers: path.map(KnownServers.init(path:)),
            trustedFingerprint: trust.flatMap { CertificateFingerprint(parsing: $0) })
        return ClientAccess(tls: settings, password: password)
    }
}
