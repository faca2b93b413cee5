import ChatProcess
import ChatTLS
import Foundation

/// Certificates made once per test run with the `openssl` tool in a temporary directory: a self-signed
/// `localhost`, a throwaway CA with a `localhost` server certificate it signed, and a spare key.
public struct TestCertificates: Sendable {
    public let directory: String
    public let selfSignedCertificate: String
    public let selfSignedKey: String
    public let caCertificate: String
    public let signedCertificate: String
    public let signedKey: String
    public let spareKey: String

    /// Made on first use, shared by every test.
    static let shared: Result<TestCertificates, any Error> = Result { try TestCertificates() }

    public static func get() throws -> TestCertificates { try shared.get() }

    private init() throws {
        directory = NSTemporaryDirectory() + "chat-tls-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        selfSignedCertificate = directory + "/self-signed.pem"
        selfSignedKey = directory + "/self-signed.key"
        caCertificate = directory + "/ca.pem"
        signedCertificate = directory + "/server.pem"
        signedKey = directory + "/server.key"
        spareKey = directory + "/spare.key"
        let names = "subjectAltName=DNS:localhost,IP:127.0.0.1"
        try Self.openssl(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext", names,
            "-keyout", selfSignedKey, "-out", selfSignedCertificate)
        let caKey = directory + "/ca.key"
        try Self.openssl(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Chat Test CA",
            "-keyout", caKey, "-out", caCertificate)
        let request = directory + "/server.csr"
        try Self.openssl(
            "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-addext", names,
            "-keyout", signedKey, "-out", request)
        try Self.openssl(
            "x509", "-req", "-in", request, "-CA", caCertificate, "-CAkey", caKey, "-CAcreateserial", "-days", "2",
            "-copy_extensions", "copyall", "-out", signedCertificate)
        try Self.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", spareKey)
        for key in [selfSignedKey, signedKey, spareKey] { chmod(key, 0o600) }
    }

    /// What `openssl x509 -noout -fingerprint -sha256` prints for `certificate`, parsed.
    public static func fingerprint(of certificate: String) throws -> CertificateFingerprint? {
        let output = try openssl("x509", "-noout", "-fingerprint", "-sha256", "-in", certificate)
        guard let equals = output.firstIndex(of: "=") else { return nil }
        return CertificateFingerprint(
            parsing: output[output.index(after: equals)...].trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Runs `openssl` with `arguments` and returns its standard output; throws when it fails.
    @discardableResult
    public static func openssl(_ arguments: String...) throws -> String {
        // posix_spawn through ChatProcess rather than Foundation.Process, whose buffers LeakSanitizer reports.
        let output = NSTemporaryDirectory() + "openssl-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let errors = output + ".err"
        defer {
            unlink(output)
            unlink(errors)
        }
        let quoted = (["/usr/bin/openssl"] + arguments).map { "'" + $0.replacing("'", with: #"'\''"#) + "'" }
        let status = try ServerProcess.run(
            ["/bin/sh", "-c", "exec \(quoted.joined(separator: " ")) >'\(output)'"], errorLog: errors,
            within: .seconds(60))
        // read(2), not Data(contentsOf:), whose reader leaks its buffer on an empty file (most of openssl's output).
        guard status == .exited(0) else {
            let message = (try? ServerProcess.readFile(errors)) ?? "\(String(describing: status))"
            throw OpenSSLToolFailure(arguments: arguments, output: message)
        }
        return (try? ServerProcess.readFile(output)) ?? ""
    }

    /// A temporary file path that does not exist yet, in the shared directory.
    public func newPath(_ name: String) -> String {
        directory + "/\(name)-\(UInt32.random(in: 0...UInt32.max))"
    }
}

struct OpenSSLToolFailure: Error, CustomStringConvertible {
    let arguments: [String]
    let output: String
    var description: String { "openssl \(arguments.joined(separator: " ")) failed: \(output)" }
}
