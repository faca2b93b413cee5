/// Why a command got no reply, or why a connection ended. A Redis error reply (`-ERR …`) is not one of these: it
/// arrives as `RedisReply.error`.
public enum RedisError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The TCP connect failed (refused, unreachable), at once or when the non-blocking connect completed.
    case connectFailed(String)
    /// The connection dropped after it was established (the server went away, a protocol error). Every command
    /// still waiting for its reply fails with this.
    case connectionLost(String)
    /// The caller closed the connection, or a command was given to a connection that is closed or closing.
    case closed
    /// A command the connection sends by itself after connecting (`SELECT db`) was refused; the connection was
    /// closed.
    case setupFailed(String)

    public var description: String {
        switch self {
        case .connectFailed(let reason): "connect to Redis failed: \(reason)"
        case .connectionLost(let reason): "connection to Redis lost: \(reason)"
        case .closed: "the Redis connection is closed"
        case .setupFailed(let reason): "Redis refused the connection's setup: \(reason)"
        }
    }
}
