/// The SHA-256 digest of a certificate's DER encoding (`X509_digest` with `EVP_sha256`).
///
/// Written `SHA256:` then 32 uppercase hex pairs joined by colons, `SHA256:AB:12:...`: the same pairs that
/// `openssl x509 -noout -fingerprint -sha256 -in cert.pem` prints after `sha256 Fingerprint=`, so an operator
/// can compare what a client shows with the server's file.
public struct CertificateFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// A fingerprint of 32 digest bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Parses `SHA256:AB:12:...`; also accepts the pairs without the prefix, as `openssl` prints them after
    /// `=`, in either case.
    public init?(parsing text: some StringProtocol) {
        let string = String(text)
        let body = string.hasPrefix("SHA256:") ? string.dropFirst(7) : string[...]
        let pairs = body.split(separator: ":", omittingEmptySubsequences: false)
        guard pairs.count == 32 else { return nil }
        var bytes: [UInt8] = []
        for pair in pairs {
            guard pair.count == 2, pair.allSatisfy(\.isHexDigit), let byte = UInt8(pair, radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        self.bytes = bytes
    }

    /// `SHA256:` and uppercase hex pairs joined by colons.
    public var description: String {
        "SHA256:"
            + bytes.map { byte in
                let hex = String(byte, radix: 16, uppercase: true)
                return byte < 16 ? "0" + hex : hex
            }.joined(separator: ":")
    }
}
