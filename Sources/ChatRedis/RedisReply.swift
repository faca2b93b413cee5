import CHiredis

/// One reply from Redis, copied out of hiredis's `redisReply` (which hiredis frees as soon as the callback
/// returns). Bulk strings stay bytes: values are binary-safe.
public enum RedisReply: Equatable, Sendable {
    /// A simple string (`REDIS_REPLY_STATUS`): `+OK`, `+PONG`.
    case status(String)
    /// An error reply (`REDIS_REPLY_ERROR`): `-ERR …`, `-NOSCRIPT …`. A reply, not a failure of the connection.
    case error(String)
    /// An integer (`REDIS_REPLY_INTEGER`).
    case integer(Int64)
    /// A bulk string (`REDIS_REPLY_STRING`), or nil for the null bulk string and the null array
    /// (`REDIS_REPLY_NIL`): `GET` of a missing key, `XREAD BLOCK` that timed out.
    case bulk([UInt8]?)
    /// An array (`REDIS_REPLY_ARRAY`), possibly nested.
    case array([RedisReply])

    /// The null reply (`REDIS_REPLY_NIL`).
    public static let null = RedisReply.bulk(nil)

    /// Copies a hiredis reply, recursively.
    init(copying reply: UnsafePointer<redisReply>) {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_STATUS:
            self = .status(Self.text(value.str, value.len))
        case REDIS_REPLY_ERROR:
            self = .error(Self.text(value.str, value.len))
        case REDIS_REPLY_INTEGER:
            self = .integer(Int64(value.integer))
        case REDIS_REPLY_STRING:
            self = .bulk(Self.bytes(value.str, value.len))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(value.elements)
            for index in 0..<value.elements {
                if let element = value.element[index] { elements.append(RedisReply(copying: element)) }
            }
            self = .array(elements)
        default:
            // REDIS_REPLY_NIL, and any type a later hiredis may add: nothing we could read.
            self = .null
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ length: Int) -> [UInt8] {
        guard let pointer, length > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    private static func text(_ pointer: UnsafeMutablePointer<CChar>?, _ length: Int) -> String {
        String(decoding: bytes(pointer, length), as: UTF8.self)
    }
}

// MARK: - Reading replies

extension RedisReply {
    /// The reply as text: a status, an error's message, a bulk string (decoded as UTF-8) or an integer.
    public var string: String? {
        switch self {
        case .status(let text), .error(let text): text
        case .bulk(let bytes?): String(decoding: bytes, as: UTF8.self)
        case .integer(let value): String(value)
        case .bulk(nil), .array: nil
        }
    }

    /// The integer of an integer reply, or of a bulk string holding one (`EVAL` results, stream IDs' parts).
    public var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .bulk(let bytes?): Int64(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }

    /// The bytes of a bulk string.
    public var bytes: [UInt8]? {
        if case .bulk(let bytes) = self { return bytes }
        return nil
    }

    /// The elements of an array reply.
    public var elements: [RedisReply]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Whether this is the null reply.
    public var isNull: Bool { self == .null }

    /// A published message, as a `SUBSCRIBE` handler receives it: `["message", channel, payload]`, or
    /// `["pmessage", pattern, channel, payload]` for `PSUBSCRIBE`. Nil for the subscription confirmations.
    public var publishedMessage: (channel: String, payload: [UInt8])? {
        guard let parts = elements, let kind = parts.first?.string else { return nil }
        switch (kind, parts.count) {
        case ("message", 3):
            guard let channel = parts[1].string, let payload = parts[2].bytes else { return nil }
            return (channel, payload)
        case ("pmessage", 4):
            guard let channel = parts[2].string, let payload = parts[3].bytes else { return nil }
            return (channel, payload)
        default:
            return nil
        }
    }
}
