import ChatProtocol

/// What one received payload turned out to be.
enum ScannedPacket: Equatable {
    /// A bench chat line `b SENDER SEQUENCE NANOSECONDS`.
    case bench(sender: Int, sequence: UInt64, sentAt: UInt64)
    /// A `join`; `nick` is the byte range of the nick within the payload.
    case join(nick: Range<Int>)
    /// A `join` found by the slow path, with the nick as text.
    case joinNamed(String)
    /// Anything else (a `leave`, an `info`, a chat that is not ours).
    case other
}

/// Reads bench messages out of payloads without building JSON values.
///
/// The fast path knows the server's exact encoding, `{"type":"chat","nick":"…","message":"b 3 17 123"}`, and
/// reads the three numbers backwards from the closing `"}`. Anything it does not recognise goes through
/// `ServerPacket(payload:)`, so another valid encoding is still understood, only more slowly.
enum MessageScanner {
    private static let chatPrefix = Array(#"{"type":"chat","nick":""#.utf8)
    private static let joinPrefix = Array(#"{"type":"join","nick":""#.utf8)
    private static let messageKey = Array(#""message":"b "#.utf8)

    /// Classifies one payload.
    static func scan(_ payload: UnsafeBufferPointer<UInt8>) -> ScannedPacket {
        if hasPrefix(payload, chatPrefix), let fast = fastBench(payload) { return fast }
        if hasPrefix(payload, joinPrefix) {
            let start = joinPrefix.count
            var end = start
            while end < payload.count && payload[end] != UInt8(ascii: "\"") { end += 1 }
            if end < payload.count && end > start { return .join(nick: start..<end) }
        }
        return slow(payload)
    }

    private static func hasPrefix(_ payload: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8]) -> Bool {
        guard payload.count > prefix.count else { return false }
        for index in prefix.indices where payload[index] != prefix[index] { return false }
        return true
    }

    /// `…"message":"b S Q T"}`, parsed from the end.
    private static func fastBench(_ payload: UnsafeBufferPointer<UInt8>) -> ScannedPacket? {
        var index = payload.count - 1
        guard index > chatPrefix.count + messageKey.count, payload[index] == UInt8(ascii: "}"),
            payload[index - 1] == UInt8(ascii: "\"")
        else { return nil }
        index -= 2
        guard let sentAt = number(endingAt: &index, in: payload), payload[index] == UInt8(ascii: " ") else {
            return nil
        }
        index -= 1
        guard let sequence = number(endingAt: &index, in: payload), payload[index] == UInt8(ascii: " ") else {
            return nil
        }
        index -= 1
        guard let sender = number(endingAt: &index, in: payload), index >= messageKey.count - 1 else { return nil }
        // `index` is at the space after `b`; the key and `"b ` end there.
        let keyStart = index - (messageKey.count - 1)
        for offset in messageKey.indices where payload[keyStart + offset] != messageKey[offset] { return nil }
        return .bench(sender: Int(sender), sequence: sequence, sentAt: sentAt)
    }

    /// Reads decimal digits backwards from `index`, leaving `index` on the byte before them.
    private static func number(endingAt index: inout Int, in payload: UnsafeBufferPointer<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        var scale: UInt64 = 1
        var digits = 0
        while index > 0, payload[index] &- UInt8(ascii: "0") < 10, digits < 19 {
            value &+= UInt64(payload[index] &- UInt8(ascii: "0")) &* scale
            scale &*= 10
            digits += 1
            index -= 1
        }
        return digits > 0 ? value : nil
    }

    /// The full decoder, for whatever the fast path did not recognise.
    static func slow(_ payload: UnsafeBufferPointer<UInt8>) -> ScannedPacket {
        guard let packet = try? ServerPacket(payload: payload) else { return .other }
        switch packet {
        case .join(let nick, _):
            return .joinNamed(nick)
        case .chat(_, let message, _):
            let parts = message.split(separator: " ")
            guard parts.count == 4, parts[0] == "b", let sender = Int(parts[1]), let sequence = UInt64(parts[2]),
                let sentAt = UInt64(parts[3])
            else { return .other }
            return .bench(sender: sender, sequence: sequence, sentAt: sentAt)
        default:
            return .other
        }
    }
}
