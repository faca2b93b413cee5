import ChatTLS
import ChatTestSupport
import Foundation
import Testing

@Suite struct KnownServersTests {
    let first = CertificateFingerprint(bytes: Array(0..<32))!
    let second = CertificateFingerprint(bytes: Array(repeating: 0xAB, count: 32))!

    @Test func firstUseThenRememberedThenChanged() throws {
        let certificates = try TestCertificates.get()
        let known = KnownServers(path: certificates.newPath("config") + "/swift-chat/known_servers")
        #expect(try known.lookup(host: "localhost", port: 7000) == nil)
        #expect(try known.decide(host: "localhost", port: 7000, presented: first, verified: false) == .firstUse(first))
        try known.remember(host: "localhost", port: 7000, fingerprint: first)
        #expect(try known.lookup(host: "LocalHost", port: 7000) == first)
        #expect(try known.lookup(host: "localhost", port: 7001) == nil)
        #expect(try known.decide(host: "localhost", port: 7000, presented: first, verified: false) == .trusted)
        #expect(
            try known.decide(host: "localhost", port: 7000, presented: second, verified: false)
                == .changed(known: first, presented: second))
        #expect(try known.decide(host: "localhost", port: 7000, presented: second, verified: true) == .trusted)
        let warning = known.changedWarning(host: "localhost", port: 7000, known: first, presented: second)
        #expect(warning.contains(first.description) && warning.contains(second.description))
        #expect(warning.contains(known.path))
    }

    @Test func theFileIsPrivateAndOneLinePerServer() throws {
        let certificates = try TestCertificates.get()
        let directory = certificates.newPath("config")
        let known = KnownServers(path: directory + "/known_servers")
        try known.remember(host: "localhost", port: 7000, fingerprint: first)
        try known.remember(host: "::1", port: 7000, fingerprint: second)
        try known.remember(host: "localhost", port: 7000, fingerprint: second)
        let text = try String(contentsOfFile: known.path, encoding: .utf8)
        #expect(text == "[::1]:7000 \(second)\nlocalhost:7000 \(second)\n")
        let fileMode = try FileManager.default.attributesOfItem(atPath: known.path)[.posixPermissions] as? Int
        let directoryMode = try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int
        #expect(fileMode == 0o600 && directoryMode == 0o700)
        try known.forget(host: "localhost", port: 7000)
        #expect(try known.lookup(host: "localhost", port: 7000) == nil)
        #expect(try known.lookup(host: "::1", port: 7000) == second)
    }

    @Test func commentsAndOddLinesAreKept() throws {
        let certificates = try TestCertificates.get()
        let known = KnownServers(path: certificates.newPath("known_servers"))
        let original = "# my servers\n\nnot a valid line\n"
        try Data(original.utf8).write(to: URL(fileURLWithPath: known.path))
        try known.remember(host: "chat.example.org", port: 6697, fingerprint: first)
        let text = try String(contentsOfFile: known.path, encoding: .utf8)
        #expect(text == "# my servers\nnot a valid line\nchat.example.org:6697 \(first)\n")
    }

    @Test func theDefaultPathFollowsXDG() {
        #expect(
            KnownServers.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"])
                == "/x/swift-chat/known_servers")
        #expect(
            KnownServers.defaultPath(environment: ["XDG_CONFIG_HOME": "", "HOME": "/h"])
                == "/h/.config/swift-chat/known_servers")
        #expect(KnownServers.defaultPath(environment: [:]) == nil)
    }

    @Test func fingerprintsReadAndWriteLikeOpenSSL() {
        #expect(first.description.hasPrefix("SHA256:00:01:02:"))
        #expect(first.description.hasSuffix(":1E:1F"))
        #expect(CertificateFingerprint(parsing: first.description) == first)
        #expect(CertificateFingerprint(parsing: first.description.dropFirst(7).lowercased()) == first)
        #expect(CertificateFingerprint(parsing: "SHA256:AB") == nil)
        #expect(CertificateFingerprint(parsing: first.description.replacingOccurrences(of: "1F", with: "+F")) == nil)
        #expect(CertificateFingerprint(bytes: [1, 2, 3]) == nil)
    }
}
