import ChatServerCore
import ChatTLS
import Foundation

/// Which transport the socket-level suites use. With `CHAT_TEST_TLS=1` every `TestServer` listens on TLS only
/// (a certificate from a throwaway CA), every `ServerProcess` too, and every `RawClient` connects over TLS and
/// checks that certificate: the same suites then check the protocol over TLS (`scripts/test.sh` runs them both
/// ways).
public enum TestTransport {
    public static let isTLS = ProcessInfo.processInfo.environment["CHAT_TEST_TLS"] == "1"

    /// The client side: trusts the test CA only.
    public static func clientContext() throws -> TLSClientContext {
        try TLSClientContext(caFile: TestCertificates.get().caCertificate)
    }

    /// The server side, for a `ServerConfiguration`: TLS only, on a port the kernel picks.
    public static func serverSettings() throws -> TLSSettings {
        let certificates = try TestCertificates.get()
        return TLSSettings(
            certificateFile: certificates.signedCertificate, keyFile: certificates.signedKey, port: 0)
    }

    /// The `chat-server` arguments for the same, on the port `ServerProcess` picked (`{port}`).
    public static func serverArguments() throws -> [String] {
        guard isTLS else { return [] }
        let certificates = try TestCertificates.get()
        return [
            "--tls-cert", certificates.signedCertificate, "--tls-key", certificates.signedKey, "--tls-port", "{port}",
            "--no-plain",
        ]
    }
}
