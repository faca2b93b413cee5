import ChatProtocol

/// What one received payload turned out to be.
enum ScannedPacket: Equatable {
    /// A bench chat line `b SENDER SEQUENCE NANOSECONDS`.
    case bench(sender: Int, sequence: UInt64, sentAt: UInt64)
    /// A bench chat line as a `history` client gets it: with its `id`, and `replay` when sent from history.
    case stampedBench(sender: Int, sequence: UInt64, sentAt: UInt64, id: Int, replay: Bool)
    /// A `join`; `nick` is the byte range of the nick within the payload.
    case join(nick: Range<Int>)
    /// A `join` found by the slow path, with the nick as text.
    case joinNamed(String)
    /// A `leave`.
    case leave
    /// A `welcome`: whether the hello took a session back, and the token for the next resume.
    case welcome(resumed: Bool, token: String?)
    /// The `history` end marker of a replay; `truncated` when older messages were left out.
    case historyEnd(truncated: Bool)
    /// Anything else (a `leave`, an `info`, a chat that is not ours).
    case other
}

/// Reads bench messages out of payloads without building JSON values.
///
/// The fast path knows the server's exact encoding, `{"type":"chat","nick":"…","message":"b 3 17 123"}`, and
/// reads the three numbers backwards from the closing `"}`; for a `history` client the same with
/// `,"id":9,"time":"…"` and maybe `,"replay":true` after the message. Anything it does not recognise goes
/// through `ServerPacket(payload:)`, so another valid encoding is still understood, only more slowly.
enum MessageScanner {
    private static let chatPrefix = Array(#"{"type":"chat","nick":""#.utf8)
    private static let joinPrefix = Array(#"{"type":"join","nick":""#.utf8)
    private static let messageKey = Array(#""message":"b "#.utf8)
    private static let idKey = Array(#"","id":"#.utf8)
    private static let timeKey = Array(#","time":""#.utf8)
    private static let replaySuffix = Array(#","replay":true}"#.utf8)

    /// Classifies one payload.
    static func scan(_ payload: UnsafeBufferPointer<UInt8>) -> ScannedPacket {
        if hasPrefix(payload, chatPrefix) {
            if let fast = fastBench(payload) { return fast }
            if let fast = fastStampedBench(payload) { return fast }
        }
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
        let last = payload.count - 1
        guard payload[last] == UInt8(ascii: "}"), let (sender, sequence, sentAt) = benchText(payload, quote: last - 1)
        else { return nil }
        return .bench(sender: sender, sequence: sequence, sentAt: sentAt)
    }

    /// `…"message":"b S Q T","id":I,"time":"…"}`, maybe with `,"replay":true` before the `}`, parsed from the end.
    private static func fastStampedBench(_ payload: UnsafeBufferPointer<UInt8>) -> ScannedPacket? {
        let replay = hasSuffix(payload, replaySuffix)
        // The quote that closes the time.
        var index = replay ? payload.count - replaySuffix.count - 1 : payload.count - 2
        guard index > chatPrefix.count, replay || payload[index + 1] == UInt8(ascii: "}"),
            payload[index] == UInt8(ascii: "\"")
        else { return nil }
        index -= 1
        while index > chatPrefix.count && payload[index] != UInt8(ascii: "\"") { index -= 1 }
        index -= timeKey.count - 1
        guard index > chatPrefix.count, matches(payload, timeKey, at: index) else { return nil }
        index -= 1
        guard let id = number(endingAt: &index, in: payload), index > chatPrefix.count + idKey.count,
            matches(payload, idKey, at: index - (idKey.count - 1)),
            let (sender, sequence, sentAt) = benchText(payload, quote: index - (idKey.count - 1))
        else { return nil }
        return .stampedBench(sender: sender, sequence: sequence, sentAt: sentAt, id: Int(id), replay: replay)
    }

    private static func hasSuffix(_ payload: UnsafeBufferPointer<UInt8>, _ suffix: [UInt8]) -> Bool {
        payload.count > suffix.count && matches(payload, suffix, at: payload.count - suffix.count)
    }

    private static func matches(_ payload: UnsafeBufferPointer<UInt8>, _ bytes: [UInt8], at start: Int) -> Bool {
        guard start >= 0, start + bytes.count <= payload.count else { return false }
        for offset in bytes.indices where payload[start + offset] != bytes[offset] { return false }
        return true
    }

    /// `"message":"b S Q T` ending just before the quote at `quote`, parsed from the end.
    private static func benchText(
        _ payload: UnsafeBufferPointer<UInt8>, quote: Int
    ) -> (sender: Int, sequence: UInt64, sentAt: UInt64)? {
        var index = quote
        guard index > chatPrefix.count + messageKey.count, payload[index] == UInt8(ascii: "\"") else { return nil }
        index -= 1
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
        guard matches(payload, messageKey, at: index - (messageKey.count - 1)) else { return nil }
        return (Int(sender), sequence, sentAt)
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
        case .chat(_, let message, let stamp):
            let parts = message.split(separator: " ")
            guard parts.count == 4, parts[0] == "b", let sender = Int(parts[1]), let sequence = UInt64(parts[2]),
                let sentAt = UInt64(parts[3])
            else { return .other }
            guard let stamp else { return .bench(sender: sender, sequence: sequence, sentAt: sentAt) }
            return .stampedBench(sender: sender, sequence: sequence, sentAt: sentAt, id: stamp.id, replay: stamp.replay)
        case .leave:
            return .leave
        case .welcome(let welcome):
            return .welcome(resumed: welcome.resumed, token: welcome.resume)
        case .history(let end):
            return .historyEnd(truncated: end.truncated)
        default:
            return .other
        }
    }
}
