/// A payload parsed as far as its `type`: a JSON object with a string field `type`.
///
/// The server judges the connection state (`not_joined`, `already_joined`) on the envelope, before it looks at
/// the other fields, which is the order of precedence PROTOCOL.md gives for error codes.
public struct Envelope: Sendable {
    /// The wire `type`.
    public let type: String
    /// Every field of the object, `type` included.
    public let fields: [String: JSONValue]

    /// Parses a frame's payload: zero length, bad UTF-8, bad JSON, a non-object or a missing `type` all throw.
    public init(payload: some Collection<UInt8>) throws(ProtocolError) {
        let parsed: Result<JSONValue, ProtocolError> =
            payload.withContiguousStorageIfAvailable { bytes in
                Self.parse(bytes)
            } ?? Array(payload).withUnsafeBufferPointer { Self.parse($0) }
        guard case .object(let fields) = try parsed.get() else { throw .notAnObject }
        guard case .string(let type)? = fields["type"] else { throw .missingType }
        self.type = type
        self.fields = fields
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, ProtocolError> {
        guard !bytes.isEmpty else { return .failure(.emptyPayload) }
        guard String(validating: bytes, as: UTF8.self) != nil else { return .failure(.invalidUTF8) }
        return Result { () throws(ProtocolError) in try JSONParser.parse(bytes) }
    }

    /// The string field `name`.
    public func string(_ name: String) throws(ProtocolError) -> String {
        guard let value = fields[name] else { throw .missingField(name) }
        guard case .string(let text) = value else { throw .wrongFieldType(name) }
        return text
    }

    /// The string field `name`, or nil when it is absent.
    public func optionalString(_ name: String) throws(ProtocolError) -> String? {
        guard let value = fields[name], value != .null else { return nil }
        guard case .string(let text) = value else { throw .wrongFieldType(name) }
        return text
    }

    /// The array-of-strings field `name`, or nil when it is absent.
    public func optionalStrings(_ name: String) throws(ProtocolError) -> [String]? {
        guard let value = fields[name], value != .null else { return nil }
        guard case .array(let elements) = value else { throw .wrongFieldType(name) }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw .wrongFieldType(name) }
            strings.append(text)
        }
        return strings
    }

    /// The whole-number field `name`, or nil when it is absent. Message ids and limits are at least 0 and fit
    /// in 53 bits, so a JSON number carries them exactly.
    public func optionalCount(_ name: String) throws(ProtocolError) -> Int? {
        guard let value = fields[name], value != .null else { return nil }
        guard case .number(let number) = value, let whole = Int(exactly: number), whole >= 0 else {
            throw .wrongFieldType(name)
        }
        return whole
    }

    /// The whole-number field `name`.
    public func count(_ name: String) throws(ProtocolError) -> Int {
        guard let whole = try optionalCount(name) else { throw .missingField(name) }
        return whole
    }

    /// The boolean field `name`, or nil when it is absent.
    public func optionalBool(_ name: String) throws(ProtocolError) -> Bool? {
        guard let value = fields[name], value != .null else { return nil }
        guard case .bool(let flag) = value else { throw .wrongFieldType(name) }
        return flag
    }
}
