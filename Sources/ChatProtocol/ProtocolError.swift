/// Why bytes could not become a packet, or a packet could not become bytes.
public enum ProtocolError: Error, Equatable, Sendable {
    /// The encoded payload would exceed 65,535 bytes, the most a 2-byte length can frame.
    case frameTooLarge
    /// A frame whose length field is 0.
    case emptyPayload
    /// The payload is not valid UTF-8.
    case invalidUTF8
    /// The payload is not JSON, or has bytes after the JSON value.
    case malformedJSON
    /// The JSON nests deeper than any packet could.
    case nestingTooDeep
    /// The JSON value is not an object.
    case notAnObject
    /// The object has no string field `type`.
    case missingType
    /// The `type` names no packet of the protocol.
    case unknownType(String)
    /// A field the packet needs is absent.
    case missingField(String)
    /// A field has the wrong JSON type.
    case wrongFieldType(String)

    /// The wire error code the server answers with.
    public var code: ErrorCode {
        switch self {
        case .frameTooLarge: .tooLong
        case .unknownType: .unknownType
        default: .badPacket
        }
    }

    /// Human text for the `error` packet's `message`.
    public var explanation: String {
        switch self {
        case .frameTooLarge: "packet would exceed 65535 bytes"
        case .emptyPayload: "empty payload"
        case .invalidUTF8: "payload is not valid UTF-8"
        case .malformedJSON: "payload is not valid JSON"
        case .nestingTooDeep: "JSON nests too deeply"
        case .notAnObject: "payload is not a JSON object"
        case .missingType: "packet has no string field \"type\""
        case .unknownType(let type): "unknown packet type \"\(Sanitizer.excerpt(type))\""
        case .missingField(let field): "missing field \"\(field)\""
        case .wrongFieldType(let field): "field \"\(field)\" has the wrong type"
        }
    }
}
