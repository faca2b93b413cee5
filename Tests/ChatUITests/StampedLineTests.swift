import Testing

@testable import ChatUI

/// Issue 11, item 1: a line with a time before it still colours its nick and indents under its text.
@Suite struct StampedLineTests {
    @Test func theNickIsFoundAfterTheStamp() {
        let line = OutputLine(text: "12:04 pat: hi", style: MessageStyle(nick: "pat", stamp: "12:04"), width: 40)
        #expect(line.text[..<line.bodyStart] == "12:04 ")
        #expect(line.nickEnd.map { line.text[line.bodyStart..<$0] } == "pat")
        #expect(line.indent == 11)
        let unstamped = OutputLine(text: "pat: hi", style: MessageStyle(nick: "pat"), width: 40)
        #expect(unstamped.bodyStart == unstamped.text.startIndex)
        #expect(unstamped.indent == 5)
    }

    @Test func aStampedNoticeOrEmoteIndentsPastTheStamp() {
        #expect(
            OutputLine(text: "12:04 *** a notice", style: MessageStyle(isNotice: true, stamp: "12:04"), width: 40)
                .indent == 10)
        let emote = OutputLine(text: "12:04 [pat waves]", style: MessageStyle(nick: "pat", stamp: "12:04"), width: 40)
        #expect(emote.nickEnd == nil)
        #expect(emote.indent == 6)
    }

    @Test func wrappedRowsOfAStampedLineLineUpUnderTheText() {
        var scrollback = Scrollback(capacity: 10, width: 30, height: 6)
        scrollback.append(
            text: "12:04 leslie: the quick brown fox", style: MessageStyle(nick: "leslie", stamp: "12:04"))
        let rows = scrollback.visibleRows()
        #expect(rows.map(\.text) == ["12:04 leslie: the quick brown", "fox"])
        #expect(rows.map(\.indent) == [0, 14])
    }
}
