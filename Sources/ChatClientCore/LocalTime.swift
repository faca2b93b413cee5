import ChatProtocol
import Foundation

/// A moment as the user's clock shows it, from milliseconds since the epoch and a time zone.
///
/// The zone is a parameter (tests fix it; the client passes `TimeZone.current`, which follows `TZ`); the
/// arithmetic is `WireTime`'s, on the zone's wall clock. Names of days and months are English, as the rest of
/// the client's text is, whatever the locale.
public struct LocalTime: Equatable, Sendable {
    /// Days since 1970-01-01 on the zone's calendar: two moments are on the same day when this is equal.
    public let day: Int64
    /// The wall clock in `WireTime`'s form, `2026-12-02T12:04:05.123Z`, from which the fields are cut.
    private let wall: [UInt8]

    /// WireTime writes four-digit years; times past year 9999 (a hostile server's) are shown as its end.
    private static let range: ClosedRange<Int64> = 0...253_402_300_799_999

    public init(millisecondsSinceEpoch milliseconds: Int64, zone: TimeZone) {
        let instant = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        let offset = Int64(zone.secondsFromGMT(for: instant)) * 1000
        let local = (milliseconds.clamped(to: Self.range) + offset).clamped(to: Self.range)
        day = local / 86_400_000
        wall = Array(WireTime.format(millisecondsSinceEpoch: local).utf8)
    }

    /// The line's own time: the server's `time` (RFC 3339 UTC) when it has one that parses, else `received`
    /// (milliseconds since the epoch, when the line arrived).
    public init(of line: DisplayLine, received: Int64, zone: TimeZone) {
        self.init(millisecondsSinceEpoch: line.time.flatMap(WireTime.parse) ?? received, zone: zone)
    }

    /// `12:04`: 24-hour hours and minutes.
    public var clock: String { text(11..<16) }

    /// `2026-12-02 12:04:05`, the transcript's stamp.
    public var full: String { text(0..<10) + " " + text(11..<19) }

    /// `--- Wednesday 2 December 2026 ---`, shown when the day changes.
    public var dateLine: String {
        let weekday = Self.weekdays[Int((day % 7 + 7 + 4) % 7)]  // 1970-01-01 was a Thursday (4).
        let month = Self.months[number(5..<7) - 1]
        return "--- \(weekday) \(number(8..<10)) \(month) \(text(0..<4)) ---"
    }

    static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    private func text(_ range: Range<Int>) -> String {
        String(decoding: wall[range], as: UTF8.self)
    }

    private func number(_ range: Range<Int>) -> Int {
        wall[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}

extension Comparable {
    fileprivate func clamped(to range: ClosedRange<Self>) -> Self {
        min(max(self, range.lowerBound), range.upperBound)
    }
}
