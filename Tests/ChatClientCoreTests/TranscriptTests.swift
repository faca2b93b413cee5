import ChatProtocol
import ChatTestSupport
import Foundation
import Testing

@testable import ChatClientCore

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 11, items 1 and 11: `StampedFrontEnd` puts stamps on lines and writes the `--log` transcript.
@Suite(.timeLimit(.minutes(2))) struct TranscriptTests {
    static let zone = TimeZone(secondsFromGMT: 3600)!
    /// 2026-12-02T11:04:05Z: 12:04:05 in `zone`.
    static let clock: @Sendable () -> Int64 = { 1_796_209_445_000 }

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("transcript-\(UUID().uuidString).log").path
    }

    /// With `read(2)`: Foundation's readers leak a buffer on an empty file, which LeakSanitizer reports.
    static func contents(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while case let count = read(fd, &chunk, chunk.count), count > 0 { bytes += chunk[0..<count] }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func theFixedClockIsWhatTheTestsSayItIs() {
        #expect(WireTime.format(millisecondsSinceEpoch: Self.clock()) == "2026-12-02T11:04:05.000Z")
    }

    @Test func withStampsOffAndNoTranscriptLinesPassUntouched() {
        let screen = ScriptedFrontEnd([])
        let front = StampedFrontEnd(screen, timestamps: false, zone: Self.zone, now: Self.clock)
        front.show(DisplayLine(text: "pat: hi", kind: .chat, nick: "pat", time: "2026-12-02T11:04:05.000Z"))
        front.show(.notice("*** leslie has joined the chat"))
        #expect(screen.lines == ["pat: hi", "*** leslie has joined the chat"])
    }

    @Test func stampsAndTheToggleChangeLinesShownAfterwards() {
        let screen = ScriptedFrontEnd([])
        let front = StampedFrontEnd(screen, timestamps: true, zone: Self.zone, now: Self.clock)
        front.show(DisplayLine(text: "leslie: hi", kind: .chat, nick: "leslie", time: "2026-12-01T20:45:14.123Z"))
        front.show(.notice("*** chris has joined the chat"))
        front.setTimestamps(nil)
        front.show(.notice("*** chris has left the chat"))
        front.setTimestamps(true)
        #expect(
            screen.lines == [
                "--- Tuesday 1 December 2026 ---", "21:45 leslie: hi", "--- Wednesday 2 December 2026 ---",
                "12:04 *** chris has joined the chat", "*** timestamps off", "*** chris has left the chat",
                "--- Wednesday 2 December 2026 ---", "12:04 *** timestamps on",
            ])
    }

    @Test func theTranscriptHasEveryShownLineWithDateAndTimeAndIsAppended() throws {
        let path = Self.temporaryPath()
        defer { unlink(path) }
        for round in 1...2 {
            let screen = ScriptedFrontEnd([])
            let front = StampedFrontEnd(
                screen, timestamps: false, transcript: try Transcript(path: path), zone: Self.zone, now: Self.clock)
            front.show(
                DisplayLine(text: "leslie: hi \(round)", kind: .chat, nick: "leslie", time: "2026-12-01T20:45:14.123Z"))
            front.show(.notice("*** round \(round)"))
            // Stamps on the screen do not change the transcript's lines, and date lines stay off it.
            front.setTimestamps(true)
            #expect(screen.lines.first == "leslie: hi \(round)")
        }
        #expect(
            try Self.contents(path) == """
                2026-12-01 21:45:14 leslie: hi 1
                2026-12-02 12:04:05 *** round 1
                2026-12-02 12:04:05 *** timestamps on
                2026-12-01 21:45:14 leslie: hi 2
                2026-12-02 12:04:05 *** round 2
                2026-12-02 12:04:05 *** timestamps on

                """)
        var status = stat()
        #expect(stat(path, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o600)
    }

    @Test func nothingRawReachesTheFile() throws {
        let path = Self.temporaryPath()
        defer { unlink(path) }
        let front = StampedFrontEnd(
            ScriptedFrontEnd([]), timestamps: false, transcript: try Transcript(path: path), zone: Self.zone,
            now: Self.clock)
        // DisplayFormatter sanitizes received text; a line that somehow was not is sanitized again here.
        front.show(DisplayLine(text: "evil\n2026-01-01 00:00:00 forged\u{1B}[2J\u{202E}", kind: .chat))
        #expect(try Self.contents(path) == "2026-12-02 12:04:05 evil\u{FFFD}2026-01-01 00:00:00 forged\u{FFFD}[2J\n")
    }

    @Test func aFileThatCannotBeOpenedIsOneClearLine() {
        #expect(throws: TranscriptError.self) { try Transcript(path: "/nonexistent-dir/chat.log") }
        do {
            _ = try Transcript(path: "/nonexistent-dir/chat.log")
        } catch {
            #expect(error.description == "--log /nonexistent-dir/chat.log: cannot open it (No such file or directory)")
        }
    }

    /// A real session against a real server: the server's `time` reaches the screen and the transcript.
    @Test func aSessionStampsAndRecordsWhatTheServerSends() throws {
        let server = try TestServer()
        defer { server.stop() }
        let path = Self.temporaryPath()
        defer { unlink(path) }
        let pat = ScriptedFrontEnd(
            ["/timestamps", "hi", "/timestamps off", "bye", "/q"],
            waitingFor: ["/timestamps": "has joined", "/timestamps off": "pat: hi", "/q": "pat: bye"])
        let front = StampedFrontEnd(pat, timestamps: false, transcript: try Transcript(path: path))
        #expect(ChatSession(nick: "pat", host: "localhost", port: server.port).run(frontEnd: front) == .quit)
        let stamp = #/^\d\d:\d\d /#
        #expect(pat.lines.first == "*** pat has joined the chat")
        #expect(pat.lines.contains { $0.hasPrefix("--- ") && $0.hasSuffix(" ---") })
        #expect(pat.lines.contains { (try? stamp.prefixMatch(in: $0)) != nil && $0.hasSuffix(" pat: hi") })
        #expect(pat.lines.contains("pat: bye"))
        let logged = try Self.contents(path).split(separator: "\n")
        let full = #/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (.*)$/#
        let texts = logged.compactMap { try? full.wholeMatch(in: $0).map { String($0.output.1) } }
        #expect(texts.count == logged.count)
        #expect(texts.starts(with: ["*** pat has joined the chat"]))
        #expect(texts.contains("pat: hi") && texts.contains("pat: bye") && texts.contains("*** timestamps on"))
    }
}
