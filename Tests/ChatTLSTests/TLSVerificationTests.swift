import ChatSocket
import ChatTLS
import ChatTestSupport
import Foundation
import Testing

@Suite(.timeLimit(.minutes(2))) struct TLSVerificationTests {
    @Test(arguments: ["localhost", "127.0.0.1"])
    func aCASignedCertificateVerifiesAgainstTheCAFile(host: String) throws {
        let certificates = try TestCertificates.get()
        let pair = try TLSPair(
            certificate: certificates.signedCertificate, key: certificates.signedKey,
            caFile: certificates.caCertificate, host: host)
        let result = handshake(pair.client, pair.server)
        #expect(result.client == .done && result.server == .done)
        #expect(pair.client.verification == .trusted)
        #expect(
            pair.client.peerCertificateSHA256 == (try TestCertificates.fingerprint(of: certificates.signedCertificate)))
    }

    @Test func aWrongHostNameIsUntrusted() throws {
        let certificates = try TestCertificates.get()
        let pair = try TLSPair(
            certificate: certificates.signedCertificate, key: certificates.signedKey,
            caFile: certificates.caCertificate, host: "chat.example.org")
        let result = handshake(pair.client, pair.server)
        #expect(result.client == .done)
        #expect(pair.client.verification == .untrusted(reason: "hostname mismatch"))
    }

    @Test func aCASignedCertificateIsUntrustedWithoutTheCA() throws {
        let certificates = try TestCertificates.get()
        let pair = try TLSPair(
            certificate: certificates.signedCertificate, key: certificates.signedKey,
            caFile: certificates.selfSignedCertificate)
        _ = handshake(pair.client, pair.server)
        #expect(pair.client.verification == .untrusted(reason: "unable to get local issuer certificate"))
    }

    @Test func aSelfSignedCertificateIsUntrustedAndShowsItsFingerprint() throws {
        let certificates = try TestCertificates.get()
        let pair = try TLSPair(
            certificate: certificates.selfSignedCertificate, key: certificates.selfSignedKey, caFile: nil)
        let result = handshake(pair.client, pair.server)
        #expect(result.client == .done && result.server == .done)
        #expect(pair.client.verification == .untrusted(reason: "self-signed certificate"))
        let expected = try #require(try TestCertificates.fingerprint(of: certificates.selfSignedCertificate))
        #expect(pair.client.peerCertificateSHA256 == expected)
        let printed = try TestCertificates.openssl(
            "x509", "-noout", "-fingerprint", "-sha256", "-in", certificates.selfSignedCertificate)
        #expect(printed.uppercased().contains(String(expected.description.dropFirst("SHA256:".count))))
    }

    @Test(arguments: [
        Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8),
        Array("{\"type\":\"hello\",\"nick\":\"pat\"}".utf8),
        (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 97) },
    ])
    func plaintextOrGarbageFailsTheServerHandshake(bytes: [UInt8]) throws {
        let certificates = try TestCertificates.get()
        let sockets = try LoopbackPair()
        let context = try TLSServerContext(
            certificateFile: certificates.selfSignedCertificate, keyFile: certificates.selfSignedKey)
        let server = try TLSConnection(context: context, fd: sockets.server.rawValue)
        _ = try bytes.withUnsafeBytes { try sockets.client.send($0) }
        var progress = server.handshake()
        for _ in 0..<100 where progress == .wantRead {
            wait(for: sockets.server, Int16(POLLIN), milliseconds: 100)
            progress = server.handshake()
        }
        guard case .failed(let error) = progress else {
            Issue.record("garbage did not fail the handshake: \(progress)")
            return
        }
        #expect(error.step == "handshake")
        #expect(!error.reason.isEmpty)
        #expect(server.shutdown() == .done)
    }

    @Test(arguments: [true, false])
    func aPeerThatGoesAwayMidHandshakeFailsIt(reset: Bool) throws {
        let certificates = try TestCertificates.get()
        let pair = try TLSPair(
            certificate: certificates.selfSignedCertificate, key: certificates.selfSignedKey, caFile: nil)
        #expect(pair.client.handshake() == .wantRead)
        #expect(wait(for: pair.sockets.server, Int16(POLLIN)))
        #expect(pair.server.handshake() == .wantRead)
        // A plain close would reset too, with the server's flight unread: end the stream with a FIN instead.
        if reset { try pair.sockets.reset(pair.sockets.client) } else { try pair.sockets.client.shutdown(.write) }
        #expect(wait(for: pair.sockets.server, Int16(POLLIN)))
        guard case .failed(let error) = pair.server.handshake() else {
            Issue.record("the handshake did not fail")
            return
        }
        #expect(error.step == "handshake")
        #expect(error.reason == (reset ? "Connection reset by peer" : "the peer closed the connection"))
    }
}
