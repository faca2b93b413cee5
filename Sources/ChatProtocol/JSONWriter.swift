/// Writes the compact JSON of one packet object straight into a frame buffer.
///
/// Non-ASCII text is written as raw UTF-8 (valid JSON, and shorter than `\u` escapes, which matters against
/// the 65,535-byte limit); only `"`, `\` and control characters are escaped.
struct JSONWriter {
    var bytes: [UInt8]
    private var needsComma = false

    init(reservingHeader header: Int) {
        bytes = []
        bytes.reserveCapacity(64)
        bytes.append(contentsOf: repeatElement(0, count: header))
    }

    /// Goes on writing fields into an object whose closing brace was dropped.
    init(continuing bytes: ArraySlice<UInt8>) {
        self.bytes = Array(bytes)
        needsComma = true
    }

    mutating func begin(type: StaticString) {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        key("type")
        type.withUTF8Buffer {
            bytes.append(UInt8(ascii: "\"")); bytes.append(contentsOf: $0); bytes.append(UInt8(ascii: "\""))
        }
    }

    mutating func end() {
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ values: [String]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (offset, value) in values.enumerated() {
            if offset > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func field(_ name: StaticString, _ counts: [ServerPacket.RoomCount]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (offset, row) in counts.enumerated() {
            if offset > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: #"{"name":"#.utf8)
            string(row.name)
            bytes.append(contentsOf: #","count":"#.utf8)
            bytes.append(contentsOf: String(row.count).utf8)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    private mutating func key(_ name: StaticString) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: "\":".utf8)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
