/// A parsed JSON value: the payload of every packet is a JSON object built from these.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The string, when this value is one.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
