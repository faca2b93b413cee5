import ArgumentParser
import ChatCommandLine
import ChatServerCore

/// Who may connect, and over what: a password, TLS.
struct AccessOptions: ParsableArguments {
    @Option(help: "File whose first line is the password every hello must carry (default: no password).")
    var passwordFile: String?
    @Option(help: "PEM certificate chain for the TLS listener.") var tlsCert: String?
    @Option(help: "PEM private key for the TLS listener, readable by this user only.") var tlsKey: String?
    @Option(help: "TCP port of the TLS listener, beside the plain one (1-65535).") var tlsPort: Int?
    @Flag(help: "Listen on the TLS port only.") var noPlain = false

    func validate() throws {
        let tls = [tlsCert == nil, tlsKey == nil, tlsPort == nil]
        guard tls.allSatisfy({ $0 }) || tls.allSatisfy({ !$0 }) else {
            throw ValidationError("--tls-cert, --tls-key and --tls-port go together.")
        }
        guard tlsPort.map({ (1...65535).contains($0) }) ?? true else {
            throw ValidationError("--tls-port must be 1-65535.")
        }
        guard !noPlain || tlsPort != nil else { throw ValidationError("--no-plain needs a TLS listener.") }
    }

    /// Reads the password file; throws one line to print when it cannot.
    func apply(to settings: inout ServerConfiguration) throws {
        settings.password = try passwordFile.map { try SecretFile.read($0, option: "--password-file") }
        if let tlsCert, let tlsKey, let tlsPort {
            settings.tls = TLSSettings(certificateFile: tlsCert, keyFile: tlsKey, port: UInt16(tlsPort))
        }
        settings.plainListener = !noPlain
    }
}
