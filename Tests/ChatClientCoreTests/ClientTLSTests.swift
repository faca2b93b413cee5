import ChatProtocol
import ChatServerCore
import ChatTLS
import ChatTestSupport
import Foundation
import Testing

@testable import ChatClientCore

/// The client over real TLS on loopback, with certificates made for the run: trust on first use, a CA file,
/// a changed certificate, and the password.
@Suite(.timeLimit(.minutes(2))) struct ClientTLSTests {
    static let fast = LinkStateMachine.Timing.forTests(backoff: 200, attempts: 20)

    /// A server with a plain listener (for observers) and a TLS one with `certificate` (self-signed by default).
    static func server(
        certificate: String? = nil, key: String? = nil, tlsPort: UInt16 = 0, password: String? = nil
    ) throws -> TestServer {
        let certificates = try TestCertificates.get()
        return try TestServer { configuration in
            configuration.tls = TLSSettings(
                certificateFile: certificate ?? certificates.selfSignedCertificate,
                keyFile: key ?? certificates.selfSignedKey, port: tlsPort)
            configuration.plainListener = true
            configuration.password = password
        }
    }

    /// TLS with the system store (which knows none of the test certificates) or `caFile`, remembering in a
    /// fresh known-servers file unless given one.
    static func access(
        caFile: String? = nil, known: String? = nil, trust: CertificateFingerprint? = nil, password: String? = nil
    ) throws -> ClientAccess {
        let path = try known ?? TestCertificates.get().newPath("known_servers")
        let tls = ClientTLS(
            context: try TLSClientContext(caFile: caFile), knownServers: KnownServers(path: path),
            trustedFingerprint: trust)
        return ClientAccess(tls: tls, password: password)
    }

    /// A plain client in the lobby, to see who joins (with the server's `password`, if it has one).
    static func observer(_ server: TestServer, password: String? = nil) throws -> RawClient {
        let client = try RawClient(plainPort: try #require(server.plainPort), name: "leslie")
        try client.send(.hello(nick: "leslie", features: [], options: .init(password: password)))
        #expect(try client.receive() == .join(nick: "leslie", room: "lobby"))
        return client
    }

    static func run(_ access: ClientAccess, _ server: TestServer, _ frontEnd: ScriptedFrontEnd) throws
        -> ChatSession.Outcome
    {
        let port = try #require(server.tlsPort)
        return ChatSession(nick: "pat", host: "localhost", port: port, timing: fast, access: access).run(
            frontEnd: frontEnd)
    }

    static func selfSignedFingerprint() throws -> CertificateFingerprint {
        try #require(try TestCertificates.fingerprint(of: TestCertificates.get().selfSignedCertificate))
    }

    @Test func aFirstUseShowsTheFingerprintAsksAndIsRememberedForNextTime() throws {
        let server = try Self.server()
        defer { server.stop() }
        let leslie = try Self.observer(server)
        let fingerprint = try Self.selfSignedFingerprint()
        let access = try Self.access()
        let pat = ScriptedFrontEnd(["hello over TLS", "/q"], waitingFor: ["/q": "pat: hello over TLS"], answers: ["y"])
        #expect(try Self.run(access, server, pat) == .quit)
        #expect(pat.questions.map(\.question) == [ChatSession.trustQuestion(fingerprint)])
        #expect(pat.questions.first?.hidden == false)
        #expect(pat.lines.contains("*** its SHA-256 fingerprint is \(fingerprint)"))
        #expect(pat.lines.contains("pat: hello over TLS"))
        let port = try #require(server.tlsPort)
        let known = try #require(access.tls?.knownServers)
        #expect(try known.lookup(host: "localhost", port: port) == fingerprint)
        // Next time: trusted through the file, nobody asked, even in plain mode.
        let again = ScriptedFrontEnd(["again", "/q"], waitingFor: ["/q": "pat: again"])
        #expect(try Self.run(access, server, again) == .quit)
        #expect(again.questions.isEmpty)
        let seen = try leslie.receive(6)
        #expect(seen.contains(.chat(nick: "pat", message: "hello over TLS")))
        #expect(seen.contains(.chat(nick: "pat", message: "again")))
    }

    @Test func noToTheQuestionDoesNotConnect() throws {
        let server = try Self.server()
        defer { server.stop() }
        let leslie = try Self.observer(server)
        let access = try Self.access()
        let pat = ScriptedFrontEnd(["/q"], answers: ["n"])
        #expect(
            try Self.run(access, server, pat)
                == .connectFailed("certificate of localhost:\(server.tlsPort!) not accepted"))
        #expect(try access.tls?.knownServers?.lookup(host: "localhost", port: server.tlsPort!) == nil)
        try leslie.expectNothing()
    }

    @Test func plainModeRefusesAnUnknownCertificateWithInstructionsUnlessTrustMatches() throws {
        let server = try Self.server()
        defer { server.stop() }
        let leslie = try Self.observer(server)
        let fingerprint = try Self.selfSignedFingerprint()
        let refused = try Self.run(try Self.access(), server, ScriptedFrontEnd(["/q"]))
        guard case .connectFailed(let text) = refused else {
            Issue.record("expected a refusal, got \(refused)")
            return
        }
        #expect(text.contains("is not trusted (self-signed certificate)"))
        #expect(text.contains("--trust \(fingerprint)"))
        let other = try #require(CertificateFingerprint(bytes: Array(repeating: 7, count: 32)))
        let mismatch = try Self.run(try Self.access(trust: other), server, ScriptedFrontEnd(["/q"]))
        #expect(
            mismatch
                == .connectFailed(
                    "the certificate of localhost:\(server.tlsPort!) is \(fingerprint), not the one given with --trust "
                        + "(\(other)); not connecting"))
        try leslie.expectNothing()
        let access = try Self.access(trust: fingerprint)
        let pat = ScriptedFrontEnd(["trusted", "/q"], waitingFor: ["/q": "pat: trusted"])
        #expect(try Self.run(access, server, pat) == .quit)
        #expect(try access.tls?.knownServers?.lookup(host: "localhost", port: server.tlsPort!) == fingerprint)
    }

    @Test func aChangedCertificateIsRefusedLoudlyAndNothingIsSent() throws {
        let server = try Self.server()
        defer { server.stop() }
        let leslie = try Self.observer(server)
        let fingerprint = try Self.selfSignedFingerprint()
        let remembered = try #require(CertificateFingerprint(bytes: Array(repeating: 0xAB, count: 32)))
        let path = try TestCertificates.get().newPath("known_servers")
        try KnownServers(path: path).remember(host: "localhost", port: server.tlsPort!, fingerprint: remembered)
        for frontEnd in [ScriptedFrontEnd(["/q"]), ScriptedFrontEnd(["/q"], answers: ["y"])] {
            let outcome = try Self.run(try Self.access(known: path), server, frontEnd)
            guard case .connectFailed(let text) = outcome else {
                Issue.record("expected a refusal, got \(outcome)")
                continue
            }
            #expect(text.contains("has changed"))
            #expect(text.contains("remembered: \(remembered)"))
            #expect(text.contains("presented:  \(fingerprint)"))
            #expect(frontEnd.questions.isEmpty)
        }
        try leslie.expectNothing()
        #expect(try KnownServers(path: path).lookup(host: "localhost", port: server.tlsPort!) == remembered)
    }

    @Test func aCAFileVerifiesTheChainAndTheNameWithoutAskingOrRemembering() throws {
        let certificates = try TestCertificates.get()
        let server = try Self.server(certificate: certificates.signedCertificate, key: certificates.signedKey)
        defer { server.stop() }
        let access = try Self.access(caFile: certificates.caCertificate)
        let pat = ScriptedFrontEnd(["verified", "/q"], waitingFor: ["/q": "pat: verified"], answers: [])
        #expect(try Self.run(access, server, pat) == .quit)
        #expect(pat.questions.isEmpty)
        #expect(try access.tls?.knownServers?.lookup(host: "localhost", port: server.tlsPort!) == nil)
    }

    @Test func aMissingOrWrongPasswordEndsTheRunWithTheServersReason() throws {
        let certificates = try TestCertificates.get()
        let server = try Self.server(
            certificate: certificates.signedCertificate, key: certificates.signedKey, password: "open sesame")
        defer { server.stop() }
        let ca = certificates.caCertificate
        #expect(
            try Self.run(Self.access(caFile: ca), server, ScriptedFrontEnd(["/q"]))
                == .rejected("this server needs a password"))
        #expect(
            try Self.run(Self.access(caFile: ca, password: "guess"), server, ScriptedFrontEnd(["/q"]))
                == .rejected("wrong password"))
        let pat = ScriptedFrontEnd(["in", "/q"], waitingFor: ["/q": "pat: in"])
        #expect(try Self.run(Self.access(caFile: ca, password: "open sesame"), server, pat) == .quit)
    }

    @Test func theCursesFrontEndAsksForAMissingPasswordOnceHidden() throws {
        let certificates = try TestCertificates.get()
        let server = try Self.server(
            certificate: certificates.signedCertificate, key: certificates.signedKey, password: "open sesame")
        defer { server.stop() }
        let ca = certificates.caCertificate
        let pat = ScriptedFrontEnd(["in", "/q"], waitingFor: ["/q": "pat: in"], answers: ["open sesame"])
        #expect(try Self.run(Self.access(caFile: ca), server, pat) == .quit)
        #expect(pat.questions.count == 1)
        #expect(pat.questions.first?.hidden == true)
        // A wrong answer is asked once only, then the run ends with the server's reason.
        let wrong = ScriptedFrontEnd(["/q"], answers: ["guess", "again"])
        #expect(try Self.run(Self.access(caFile: ca), server, wrong) == .rejected("wrong password"))
        #expect(wrong.questions.count == 1)
    }

    /// A reconnect uses TLS again with the same decision; a certificate that changed meanwhile stops the run.
    @Test func aReconnectKeepsTheTrustDecisionAndRefusesAChangedCertificate() throws {
        let certificates = try TestCertificates.get()
        let fingerprint = try Self.selfSignedFingerprint()
        let first = try Self.server(password: "pw")
        let port = try #require(first.tlsPort)
        let access = try Self.access(trust: fingerprint, password: "pw")
        let pat = ScriptedFrontEnd(["/q"], waitingFor: ["/q": "*** reconnecting in"])
        let session = ChatSession(nick: "pat", host: "localhost", port: port, timing: Self.fast, access: access)
        let running = SessionThread(session, frontEnd: pat)
        pat.waitUntilShown("*** pat has joined the chat")
        first.stop()
        // The same certificate again (a restart): trusted through the pin and the file, with the password.
        let second = try Self.server(tlsPort: port, password: "pw")
        pat.waitUntilShown("--- reconnected")
        // The join comes after the replay's marker: wait for it (with a deadline), a sanitizer makes it late.
        let deadline = ContinuousClock.now + .seconds(20)
        while pat.lines.filter({ $0 == "*** pat has joined the chat" }).count < 2 && ContinuousClock.now < deadline {
            usleep(10_000)
        }
        #expect(pat.lines.filter { $0 == "*** pat has joined the chat" }.count == 2)
        second.stop()
        // Another certificate on the same port: refused, the run ends.
        let third = try Self.server(
            certificate: certificates.signedCertificate, key: certificates.signedKey, tlsPort: port, password: "pw")
        defer { third.stop() }
        let outcome = running.outcome()
        guard case .connectFailed(let text)? = outcome else {
            Issue.record("expected a refusal, got \(String(describing: outcome))")
            return
        }
        #expect(text.contains("has changed"))
        let presented = try #require(try TestCertificates.fingerprint(of: certificates.signedCertificate))
        #expect(pat.lines.contains("*** presented:  \(presented)"))
    }
}
