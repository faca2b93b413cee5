import Testing

@testable import ChatUI

/// Issue 11 item 4: what a paste does. One line is typed, a few are sent, more ask first; never a command.
@Suite struct PastePolicyTests {
    @Test func lineBreaksOfEveryKindSplitLines() {
        #expect(PastePolicy.lines(of: "a\rb\nc\r\nd") == ["a", "b", "c", "d"])
        #expect(PastePolicy.lines(of: "a\r\n\r\nb") == ["a", "b"])
    }

    @Test func blankLinesAreSkipped() {
        #expect(PastePolicy.lines(of: "\r\none\r   \r\t\rtwo\r\r") == ["one", "two"])
    }

    @Test func tabsBecomeSpacesAndControlsGo() {
        #expect(PastePolicy.lines(of: "a\tb") == ["a    b"])
        #expect(PastePolicy.lines(of: "\u{1B}[31mred\u{07}\u{200B}\u{7F}") == ["[31mred"])
    }

    @Test func oneLineGoesOntoTheInputLine() {
        #expect(PastePolicy.action(for: "hello\tworld", truncated: false) == .insert("hello    world"))
        // A copied line usually ends in a line break: still one line, still not sent.
        #expect(PastePolicy.action(for: "hello\r", truncated: false) == .insert("hello"))
        #expect(PastePolicy.action(for: "\r\n  \r", truncated: false) == .nothing)
    }

    @Test func aFewLinesAreSentInOrder() {
        #expect(PastePolicy.action(for: "one\rtwo", truncated: false) == .send(["one", "two"]))
        #expect(PastePolicy.action(for: "one\r\rtwo\rthree\r", truncated: false) == .send(["one", "two", "three"]))
    }

    @Test func moreLinesAsk() {
        let lines = (1...12).map { "line \($0)" }
        let action = PastePolicy.action(for: lines.joined(separator: "\n"), truncated: false)
        #expect(action == .ask(lines, truncated: false))
        #expect(PastePolicy.question(lines: 12, truncated: false) == "paste 12 lines? (y/n) ")
    }

    @Test func aCutPasteAlwaysAsks() {
        #expect(PastePolicy.action(for: "one", truncated: true) == .ask(["one"], truncated: true))
        #expect(PastePolicy.question(lines: 1, truncated: true) == "paste 1 lines (the rest cut)? (y/n) ")
    }

    @Test func slashLinesStayText() {
        // The policy keeps them as they are; the front end sends them with `//` (see CursesFrontEnd).
        #expect(PastePolicy.action(for: "hi\r/q", truncated: false) == .send(["hi", "/q"]))
        #expect(InputLine.pasted("/q").text == "/q")
    }

    @Test func pastesPilingUpUnderOneQuestionStayBounded() {
        let line = String(repeating: "x", count: 1_023)
        var lines: [String] = []
        var cut = false
        for _ in 0..<300 { (lines, cut) = PastePolicy.joining(lines, [line, line]) }
        #expect(cut)
        #expect(lines.count == KeyDecoder.pasteCapacity / 1_024)
        #expect(PastePolicy.joining(["a"], ["b", "c"]) == (["a", "b", "c"], false))
    }
}
