import ChatProtocol
import Foundation
import Testing

@testable import ChatClientCore

/// Issue 11, item 1: local times and date lines, each in a time zone fixed here (never the machine's).
@Suite struct TimestampTests {
    static let utc = TimeZone(secondsFromGMT: 0)!
    static let plusOne = TimeZone(secondsFromGMT: 3600)!
    static let minusEight = TimeZone(secondsFromGMT: -8 * 3600)!

    static func at(_ wire: String, _ zone: TimeZone) throws -> LocalTime {
        LocalTime(millisecondsSinceEpoch: try #require(WireTime.parse(wire)), zone: zone)
    }

    @Test func theClockIsTwentyFourHourLocalTime() throws {
        #expect(try Self.at("2026-12-02T11:04:05.123Z", Self.utc).clock == "11:04")
        #expect(try Self.at("2026-12-02T11:04:05.123Z", Self.plusOne).clock == "12:04")
        #expect(try Self.at("2026-12-02T11:04:05.123Z", Self.minusEight).clock == "03:04")
        #expect(try Self.at("2026-12-02T23:59:59.999Z", Self.utc).clock == "23:59")
        #expect(try Self.at("2026-12-02T00:00:00.000Z", Self.utc).clock == "00:00")
    }

    @Test func theTranscriptStampHasDateAndSeconds() throws {
        #expect(try Self.at("2026-12-02T11:04:05.123Z", Self.plusOne).full == "2026-12-02 12:04:05")
        #expect(try Self.at("2026-12-02T02:00:00.000Z", Self.minusEight).full == "2026-12-01 18:00:00")
    }

    @Test func theDateLineNamesTheLocalDay() throws {
        #expect(try Self.at("2026-12-02T11:04:05.123Z", Self.utc).dateLine == "--- Wednesday 2 December 2026 ---")
        // Late on Wednesday in UTC is already Thursday east of it, and still Tuesday far west of it.
        #expect(try Self.at("2026-12-02T23:30:00.000Z", Self.plusOne).dateLine == "--- Thursday 3 December 2026 ---")
        #expect(try Self.at("2026-12-02T07:00:00.000Z", Self.minusEight).dateLine == "--- Tuesday 1 December 2026 ---")
        #expect(try Self.at("2024-02-29T12:00:00.000Z", Self.utc).dateLine == "--- Thursday 29 February 2024 ---")
        #expect(try Self.at("1970-01-01T00:00:00.000Z", Self.utc).dateLine == "--- Thursday 1 January 1970 ---")
        #expect(try Self.at("2027-01-03T12:00:00.000Z", Self.utc).dateLine == "--- Sunday 3 January 2027 ---")
    }

    @Test func theDayChangesAtLocalMidnight() throws {
        let before = try Self.at("2026-12-02T22:59:59.999Z", Self.plusOne)
        let after = try Self.at("2026-12-02T23:00:00.000Z", Self.plusOne)
        #expect(before.day + 1 == after.day)
        #expect(try Self.at("2026-12-02T23:00:00.000Z", Self.utc).day == before.day)
    }

    @Test(.enabled(if: TimeZone(identifier: "Europe/Berlin") != nil, "needs the system's time zone data"))
    func aZoneWithSummerTimeUsesTheOffsetOfThatDay() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        #expect(try Self.at("2026-07-01T10:00:00.000Z", berlin).clock == "12:00")
        #expect(try Self.at("2026-12-01T10:00:00.000Z", berlin).clock == "11:00")
    }

    @Test func aLineWithoutAUsableServerTimeTakesTheTimeItArrived() throws {
        let received = try #require(WireTime.parse("2026-12-02T08:15:00.000Z"))
        let notice = DisplayLine.notice("*** leslie has joined the chat")
        #expect(LocalTime(of: notice, received: received, zone: Self.utc).clock == "08:15")
        var chat = DisplayLine(text: "leslie: hi", kind: .chat, nick: "leslie", time: "2026-12-01T20:45:14.123Z")
        #expect(LocalTime(of: chat, received: received, zone: Self.utc).clock == "20:45")
        chat.time = "yesterday at noon"
        #expect(LocalTime(of: chat, received: received, zone: Self.utc).clock == "08:15")
    }

    @Test func stampsOffChangeNothing() throws {
        var stamper = Timestamper(isOn: false)
        let line = DisplayLine(text: "pat: hi", kind: .chat, nick: "pat")
        #expect(stamper.lines(for: line, at: try Self.at("2026-12-02T11:04:05.123Z", Self.utc)) == [line])
    }

    @Test func aDateLineComesFirstAndWhenTheDayChanges() throws {
        var stamper = Timestamper(isOn: true)
        let line = DisplayLine(text: "pat: hi", kind: .chat, nick: "pat")
        func shown(_ wire: String) throws -> [String] {
            stamper.lines(for: line, at: try Self.at(wire, Self.utc)).map(\.shownText)
        }
        #expect(try shown("2026-12-01T23:58:00.000Z") == ["--- Tuesday 1 December 2026 ---", "23:58 pat: hi"])
        #expect(try shown("2026-12-01T23:59:00.000Z") == ["23:59 pat: hi"])
        #expect(try shown("2026-12-02T00:01:00.000Z") == ["--- Wednesday 2 December 2026 ---", "00:01 pat: hi"])
        // A replayed older line goes back a day: its date is shown, and today's again after it.
        #expect(try shown("2026-12-01T12:00:00.000Z") == ["--- Tuesday 1 December 2026 ---", "12:00 pat: hi"])
        #expect(try shown("2026-12-02T00:02:00.000Z") == ["--- Wednesday 2 December 2026 ---", "00:02 pat: hi"])
        // Off, then on again: lines in between are plain, and the date comes back before the next stamp.
        stamper.set(false)
        #expect(try shown("2026-12-02T00:03:00.000Z") == ["pat: hi"])
        stamper.set(true)
        #expect(try shown("2026-12-02T00:04:00.000Z") == ["--- Wednesday 2 December 2026 ---", "00:04 pat: hi"])
        stamper.set(true)
        #expect(try shown("2026-12-02T00:05:00.000Z") == ["00:05 pat: hi"])
    }
}
