import SystemPackage

/// A failure to set up a connection or listener, with the step and address it happened at, so that a
/// command line can print one clear line: `bind 127.0.0.1:9999: Address already in use`.
public struct SocketError: Error, Sendable, CustomStringConvertible {
    /// The step that failed: `resolve`, `socket`, `bind`, `listen`, `connect`.
    public let operation: String
    /// The address as the user gave it, `host:port`.
    public let address: String
    /// The errno, when the failure was a syscall's.
    public let errno: Errno?
    /// The text of the failure.
    public let reason: String

    public init(_ operation: String, _ address: String, errno: Errno) {
        self.operation = operation
        self.address = address
        self.errno = errno
        self.reason = errno.description
    }

    public init(_ operation: String, _ address: String, reason: String) {
        self.operation = operation
        self.address = address
        self.errno = nil
        self.reason = reason
    }

    public var description: String { "\(operation) \(address): \(reason)" }
}
