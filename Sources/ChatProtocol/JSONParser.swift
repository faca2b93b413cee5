/// A strict RFC 8259 parser over UTF-8 bytes that the caller has already validated.
///
/// It is ours rather than Foundation's so that every rejection the protocol names is exact: lone surrogate
/// escapes, raw control characters in strings, trailing bytes and hostile nesting all fail with
/// `ProtocolError.malformedJSON` or `.nestingTooDeep`, and nothing recurses without a bound.
struct JSONParser {
    /// Deeper input is refused before it can exhaust the stack; no packet needs more than three levels.
    static let maximumDepth = 32

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var scratch: [UInt8] = []

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses one JSON document that must span all of `bytes`.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(ProtocolError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw .malformedJSON }
        return value
    }

    // MARK: - Values

    private mutating func parseValue(depth: Int) throws(ProtocolError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw .nestingTooDeep }
        skipWhitespace()
        guard let byte = peek() else { throw .malformedJSON }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        default: return .number(try parseNumber())
        }
    }

    private mutating func parseObject(depth: Int) throws(ProtocolError) -> JSONValue {
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw .malformedJSON }
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            members[key] = try parseValue(depth: depth + 1)
            skipWhitespace()
            if try takeSeparator(closing: UInt8(ascii: "}")) { return .object(members) }
        }
    }

    private mutating func parseArray(depth: Int) throws(ProtocolError) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            if try takeSeparator(closing: UInt8(ascii: "]")) { return .array(elements) }
        }
    }

    /// Consumes `,` (returning false) or the closing bracket (returning true).
    private mutating func takeSeparator(closing: UInt8) throws(ProtocolError) -> Bool {
        guard let byte = peek() else { throw .malformedJSON }
        index += 1
        if byte == UInt8(ascii: ",") { return false }
        if byte == closing { return true }
        throw .malformedJSON
    }

    // MARK: - Strings

    private mutating func parseString() throws(ProtocolError) -> String {
        index += 1
        let start = index
        // Fast path: most strings hold no escapes and can be taken as they are.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw .malformedJSON }
            index += 1
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape()
            case 0..<0x20:
                throw .malformedJSON
            default:
                scratch.append(byte)
            }
        }
        throw .malformedJSON
    }

    private mutating func parseEscape() throws(ProtocolError) {
        guard let byte = peek() else { throw .malformedJSON }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(byte)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"): try parseUnicodeEscape()
        default: throw .malformedJSON
        }
    }

    /// `\uXXXX`, where a UTF-16 surrogate must pair with a second escape (as Python's `json.dumps` writes them).
    private mutating func parseUnicodeEscape() throws(ProtocolError) {
        let first = try parseHex4()
        var scalarValue = first
        if (0xD800...0xDBFF).contains(first) {
            guard peek() == UInt8(ascii: "\\"), peek(offset: 1) == UInt8(ascii: "u") else { throw .malformedJSON }
            index += 2
            let second = try parseHex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw .malformedJSON }
            scalarValue = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw .malformedJSON }
        scratch.append(contentsOf: String(Character(scalar)).utf8)
    }

    private mutating func parseHex4() throws(ProtocolError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw .malformedJSON }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            index += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .malformedJSON
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    // MARK: - Numbers and literals

    private mutating func parseNumber() throws(ProtocolError) -> Double {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        if peek() == UInt8(ascii: "0") {
            index += 1
        } else {
            guard try skipDigits() > 0 else { throw .malformedJSON }
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard try skipDigits() > 0 else { throw .malformedJSON }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard try skipDigits() > 0 else { throw .malformedJSON }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw .malformedJSON }
        return value
    }

    private mutating func skipDigits() throws(ProtocolError) -> Int {
        let start = index
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        return index - start
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(ProtocolError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw .malformedJSON }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != expected[offset] { throw .malformedJSON }
        index += count
    }

    private mutating func expect(_ byte: UInt8) throws(ProtocolError) {
        guard peek() == byte else { throw .malformedJSON }
        index += 1
    }

    private func peek(offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(),
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\t")
        {
            index += 1
        }
    }
}
