import Testing

@testable import ChatUI

@Suite struct ScrollbackTests {
    private func filled(_ count: Int, width: Int = 20, height: Int = 5, capacity: Int = 10_000) -> Scrollback {
        Scrollback.filled(count, width: width, height: height, capacity: capacity)
    }

    private func visibleText(_ scrollback: Scrollback) -> [String] {
        scrollback.visibleText
    }

    @Test func fewLinesFillFromTheTop() {
        let scrollback = filled(2)
        #expect(visibleText(scrollback) == ["line 1", "line 2"])
        #expect(!scrollback.isScrolledBack)
    }

    @Test func followsTheNewestLines() {
        let scrollback = filled(12)
        #expect(visibleText(scrollback) == ["line 8", "line 9", "line 10", "line 11", "line 12"])
    }

    @Test func keepsAtLeastTenThousandLinesAndDropsTheOldest() {
        var scrollback = filled(10_005)
        #expect(scrollback.count == 10_000)
        #expect(scrollback.lines.first?.text == "line 6")
        #expect(scrollback.lines.last?.text == "line 10005")
        #expect(scrollback.totalRows == 10_000)
        for _ in 0..<3_000 { scrollback.pageUp() }
        #expect(visibleText(scrollback).first == "line 6")
    }

    @Test func smallCapacityDropsExactly() {
        var scrollback = filled(7, capacity: 3)
        #expect(scrollback.lines.map(\.text) == ["line 5", "line 6", "line 7"])
        scrollback.append(text: "line 8", style: .plain)
        #expect(scrollback.lines.map(\.text) == ["line 6", "line 7", "line 8"])
    }

    @Test func pageUpAndDownMoveByAPageLessOneAndClamp() {
        var scrollback = filled(20)
        scrollback.pageUp()
        #expect(scrollback.offset == 4)
        #expect(visibleText(scrollback) == ["line 12", "line 13", "line 14", "line 15", "line 16"])
        #expect(scrollback.isScrolledBack)
        for _ in 0..<10 { scrollback.pageUp() }
        #expect(scrollback.offset == 15)
        #expect(visibleText(scrollback).first == "line 1")
        for _ in 0..<10 { scrollback.pageDown() }
        #expect(scrollback.offset == 0)
        #expect(!scrollback.isScrolledBack)
        #expect(visibleText(scrollback).last == "line 20")
    }

    @Test func pageUpDoesNothingWhenEverythingFits() {
        var scrollback = filled(3)
        scrollback.pageUp()
        #expect(scrollback.offset == 0)
    }

    @Test func viewStaysStillWhileNewLinesArriveScrolledBack() {
        var scrollback = filled(20)
        scrollback.pageUp()
        let before = visibleText(scrollback)
        for number in 21...23 { scrollback.append(text: "line \(number)", style: .plain) }
        #expect(visibleText(scrollback) == before)
        #expect(scrollback.unseenLines == 3)
        #expect(scrollback.isScrolledBack)
        scrollback.scrollToBottom()
        #expect(visibleText(scrollback).last == "line 23")
        #expect(scrollback.unseenLines == 0)
    }

    @Test func newLinesAtTheBottomAreNotUnseen() {
        var scrollback = filled(20)
        scrollback.append(text: "line 21", style: .plain)
        #expect(scrollback.unseenLines == 0)
        #expect(!scrollback.isScrolledBack)
    }

    @Test func pagingBackDownClearsMoreBelow() {
        var scrollback = filled(20)
        scrollback.pageUp()
        scrollback.append(text: "new", style: .plain)
        scrollback.pageDown()
        #expect(scrollback.isScrolledBack)
        #expect(scrollback.unseenLines == 1)
        scrollback.pageDown()
        #expect(!scrollback.isScrolledBack)
        #expect(scrollback.unseenLines == 0)
    }

    @Test func longLinesTakeSeveralRows() {
        var scrollback = Scrollback(width: 10, height: 4)
        scrollback.append(text: "one two three four five", style: .plain)
        #expect(scrollback.totalRows == 3)
        #expect(visibleText(scrollback) == ["one two", "three four", "five"])
    }

    @Test func resizeRewrapsEverything() {
        var scrollback = Scrollback(width: 10, height: 4)
        scrollback.append(text: "one two three four five", style: .plain)
        scrollback.resize(width: 40, height: 4)
        #expect(scrollback.totalRows == 1)
        #expect(visibleText(scrollback) == ["one two three four five"])
        scrollback.resize(width: 5, height: 2)
        #expect(scrollback.totalRows == 5)
        #expect(visibleText(scrollback) == ["four", "five"])
    }

    @Test func resizeKeepsTheBottomLineOfAScrolledBackView() {
        var scrollback = filled(30, width: 20, height: 5)
        scrollback.pageUp()
        scrollback.pageUp()
        #expect(visibleText(scrollback).last == "line 22")
        scrollback.resize(width: 4, height: 6)
        #expect(visibleText(scrollback).last == "22")
        #expect(scrollback.isScrolledBack)
    }

    @Test func nickPrefixIsFoundOnlyWhenTheLineStartsWithIt() {
        let line = OutputLine(text: "pat: hi", style: MessageStyle(nick: "pat"), width: 20)
        #expect(line.nickEnd.map { line.text[..<$0] } == "pat")
        let other = OutputLine(text: "*** pat joined", style: MessageStyle(nick: "pat"), width: 20)
        #expect(other.nickEnd == nil)
    }

    /// Issue 11: wrapped rows of a message line up under its text, not under the nick.
    @Test func continuationRowsAreIndentedUnderTheMessage() {
        var scrollback = Scrollback(capacity: 10, width: 16, height: 6)
        scrollback.append(text: "leslie: the quick brown fox", style: MessageStyle(nick: "leslie"))
        scrollback.append(text: "pat -> leslie: a b", style: MessageStyle(nick: "pat"))
        let rows = scrollback.visibleRows()
        #expect(rows.map(\.text) == ["leslie: the", "quick", "brown", "fox", "pat -> leslie: a", "b"])
        // The direct message's indent (15) would leave under half the row: none.
        #expect(rows.map(\.indent) == [0, 8, 8, 8, 0, 0])
        #expect(OutputLine(text: "*** a notice", style: .notice, width: 40).indent == 4)
    }
}

@Suite struct NickColorTests {
    @Test func sameNickSameSlotWhateverTheCase() {
        #expect(NickColor.slot(for: "pat") == NickColor.slot(for: "pat"))
        #expect(NickColor.slot(for: "Pat") == NickColor.slot(for: "pat"))
    }

    @Test func slotsAreInRangeAndSpread() {
        let nicks = (0..<200).map { "user\($0)" }
        let slots = Set(nicks.map(NickColor.slot(for:)))
        #expect(slots.allSatisfy { (0..<NickColor.paletteSize).contains($0) })
        #expect(slots.count == NickColor.paletteSize)
    }

    @Test func slotIsStableAcrossRuns() {
        // FNV-1a of "pat" is fixed, unlike Hasher which is seeded per process.
        #expect(NickColor.slot(for: "a") == Int(UInt32(0xE40C_292C) % 6))
    }
}
