import ChatTLS
import ChatTestSupport
import Foundation
import Testing

@Suite(.timeLimit(.minutes(2))) struct TLSContextTests {
    @Test func theTestCertificatesLoad() throws {
        let certificates = try TestCertificates.get()
        _ = try TLSServerContext(certificateFile: certificates.signedCertificate, keyFile: certificates.signedKey)
        _ = try TLSClientContext(caFile: certificates.caCertificate)
        _ = try TLSClientContext()
    }

    @Test func aMissingCertificateIsOneLine() throws {
        let certificates = try TestCertificates.get()
        let missing = certificates.newPath("missing.pem")
        let error = try serverError(certificate: missing, key: certificates.signedKey)
        #expect(error.description == "TLS certificate \(missing): cannot open it (No such file or directory)")
    }

    @Test func aMissingKeyIsOneLine() throws {
        let certificates = try TestCertificates.get()
        let missing = certificates.newPath("missing.key")
        let error = try serverError(certificate: certificates.signedCertificate, key: missing)
        #expect(error.description == "TLS key \(missing): cannot open it (No such file or directory)")
    }

    @Test func aKeyThatDoesNotMatchIsOneLine() throws {
        let certificates = try TestCertificates.get()
        let error = try serverError(certificate: certificates.signedCertificate, key: certificates.spareKey)
        #expect(
            error.description
                == "TLS key \(certificates.spareKey): does not match certificate \(certificates.signedCertificate) "
                + "(OpenSSL: key values mismatch)")
    }

    @Test func aKeyOfAnotherTypeDoesNotMatch() throws {
        let certificates = try TestCertificates.get()
        let key = certificates.newPath("ec.key")
        try TestCertificates.openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key)
        chmod(key, 0o600)
        let error = try serverError(certificate: certificates.signedCertificate, key: key)
        #expect(
            error.description
                == "TLS key \(key): does not match certificate \(certificates.signedCertificate) "
                + "(the key is of another type)")
    }

    @Test func aKeyWithAPassphraseIsOneLine() throws {
        let certificates = try TestCertificates.get()
        let key = certificates.newPath("encrypted.key")
        try TestCertificates.openssl(
            "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:secret",
            "-out", key)
        chmod(key, 0o600)
        let error = try serverError(certificate: certificates.signedCertificate, key: key)
        #expect(error.description.hasPrefix("TLS key \(key): it has a passphrase, which the server cannot ask for"))
    }

    @Test func aKeyOthersCanReadIsRefused() throws {
        let certificates = try TestCertificates.get()
        let key = certificates.newPath("open.key")
        try FileManager.default.copyItem(atPath: certificates.signedKey, toPath: key)
        chmod(key, 0o644)
        let error = try serverError(certificate: certificates.signedCertificate, key: key)
        #expect(
            error.description
                == "TLS key \(key): permissions 0644 are too open: others than its owner can use it (chmod 600 it)")
        chmod(key, 0o600)
        _ = try TLSServerContext(certificateFile: certificates.signedCertificate, keyFile: key)
    }

    @Test func aFileThatIsNotPEMIsOneLine() throws {
        let certificates = try TestCertificates.get()
        let junk = certificates.newPath("junk.pem")
        try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: junk))
        let error = try serverError(certificate: junk, key: certificates.signedKey)
        #expect(error.description.hasPrefix("TLS certificate \(junk): cannot use it (OpenSSL: "))
        #expect(!error.description.contains("\n"))
        let directoryError = try serverError(certificate: certificates.directory, key: certificates.signedKey)
        #expect(directoryError.description == "TLS certificate \(certificates.directory): not a regular file")
    }

    @Test func aMissingCAFileIsOneLine() throws {
        let certificates = try TestCertificates.get()
        let missing = certificates.newPath("missing-ca.pem")
        #expect(throws: TLSError(step: "CA file", file: missing, reason: "cannot open it (No such file or directory)"))
        {
            _ = try TLSClientContext(caFile: missing)
        }
        let junk = certificates.newPath("junk-ca.pem")
        try Data("nothing here\n".utf8).write(to: URL(fileURLWithPath: junk))
        #expect(throws: TLSError.self) { _ = try TLSClientContext(caFile: junk) }
    }

    private func serverError(certificate: String, key: String) throws -> TLSError {
        do {
            _ = try TLSServerContext(certificateFile: certificate, keyFile: key)
        } catch {
            return error
        }
        throw TLSTestFailure("loaded certificate \(certificate) with key \(key)")
    }
}
