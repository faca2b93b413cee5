/// Why a TLS step failed, as one line for a log or for stderr.
///
/// `description` reads `TLS <step> <file>: <reason>` when a file is involved
/// (`TLS key /etc/chat/key.pem: does not match certificate /etc/chat/cert.pem (key values mismatch)`),
/// and `TLS <step>: <reason>` otherwise (`TLS handshake: wrong version number`). The reason is OpenSSL's own
/// reason string (`ERR_reason_error_string`) or `strerror(3)`, unless this module knows better.
public struct TLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done: `certificate`, `key`, `CA file`, `context`, `connection`, `handshake`, `read`,
    /// `write`.
    public let step: String
    /// The file the step was reading, if any.
    public let file: String?
    /// Why it failed.
    public let reason: String

    /// A failure of `step` (on `file`, when there is one) for `reason`.
    public init(step: String, file: String? = nil, reason: String) {
        self.step = step
        self.file = file
        self.reason = reason
    }

    /// One line, no trailing newline.
    public var description: String {
        if let file { return "TLS \(step) \(file): \(reason)" }
        return "TLS \(step): \(reason)"
    }
}
