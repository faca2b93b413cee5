import Testing

@testable import ChatUI

/// Issue 11, item 7: Home/End, line scrolling, the unread marker, `/clear`, older lines inserted above, and
/// the bound on the number of lines.
@Suite struct ScrollbackNavigationTests {
    private func filled(_ count: Int, width: Int = 20, height: Int = 5, capacity: Int = 10_000) -> Scrollback {
        Scrollback.filled(count, width: width, height: height, capacity: capacity)
    }

    private func visibleText(_ scrollback: Scrollback) -> [String] {
        scrollback.visibleText
    }

    private static func older(_ numbers: ClosedRange<Int>) -> [(text: String, style: MessageStyle)] {
        numbers.map { (text: "old \($0)", style: .plain) }
    }

    // MARK: - Top, bottom, rows

    @Test func topAndBottomJumpToTheOldestAndNewestRows() {
        var scrollback = filled(20)
        #expect(!scrollback.isAtTop)
        scrollback.scrollToTop()
        #expect(visibleText(scrollback) == ["line 1", "line 2", "line 3", "line 4", "line 5"])
        #expect(scrollback.isAtTop)
        #expect(scrollback.offset == 15)
        scrollback.scrollToBottom()
        #expect(visibleText(scrollback).last == "line 20")
        #expect(!scrollback.isScrolledBack)
    }

    @Test func everythingInViewIsAlreadyTheTop() {
        #expect(filled(3).isAtTop)
        #expect(Scrollback(width: 20, height: 5).isAtTop)
    }

    @Test func aRowAtATimeWithinTheLinesHeld() {
        var scrollback = filled(7)
        scrollback.scroll(by: 1)
        #expect(visibleText(scrollback) == ["line 2", "line 3", "line 4", "line 5", "line 6"])
        scrollback.scroll(by: 1)
        scrollback.scroll(by: 1)
        #expect(scrollback.offset == 2)
        #expect(scrollback.isAtTop)
        scrollback.scroll(by: -1)
        #expect(visibleText(scrollback).last == "line 6")
        scrollback.scroll(by: -5)
        #expect(scrollback.offset == 0)
    }

    @Test func aRowScrollMovesThroughAWrappedLineRowByRow() {
        var scrollback = Scrollback(width: 10, height: 2)
        scrollback.append(text: "one two three four five", style: .plain)
        scrollback.scroll(by: 1)
        #expect(visibleText(scrollback) == ["one two", "three four"])
    }

    // MARK: - The unread marker

    @Test func aLineArrivingScrolledBackGetsTheMarkerAboveIt() {
        var scrollback = filled(20)
        scrollback.pageUp()
        let before = visibleText(scrollback)
        scrollback.append(text: "new 1", style: .plain)
        scrollback.append(text: "new 2", style: .plain)
        #expect(visibleText(scrollback) == before)
        #expect(scrollback.unseenLines == 2)
        #expect(scrollback.lines.suffix(3).map(\.text) == [Scrollback.unreadMarker, "new 1", "new 2"])
        scrollback.scrollToBottom()
        #expect(visibleText(scrollback).suffix(3) == [Scrollback.unreadMarker, "new 1", "new 2"])
    }

    @Test func noMarkerWhileFollowingTheEnd() {
        let scrollback = filled(20)
        #expect(scrollback.markerIndex == nil)
        #expect(!scrollback.lines.contains { $0.text == Scrollback.unreadMarker })
    }

    @Test func theMarkerStaysUntilTheBottomWasReachedThenMovesOnTheNextArrival() {
        var scrollback = filled(20)
        scrollback.pageUp()
        scrollback.append(text: "new 1", style: .plain)
        scrollback.pageDown()  // still scrolled back: the marker stays where it is
        scrollback.append(text: "new 2", style: .plain)
        #expect(scrollback.lines.suffix(3).map(\.text) == [Scrollback.unreadMarker, "new 1", "new 2"])
        scrollback.scrollToBottom()
        scrollback.append(text: "new 3", style: .plain)  // following the end: seen at once, no move
        scrollback.scroll(by: 2)
        let bottom = visibleText(scrollback).last
        scrollback.append(text: "new 4", style: .plain)
        #expect(visibleText(scrollback).last == bottom)
        #expect(
            scrollback.lines.suffix(6).map(\.text) == [
                "line 20", "new 1", "new 2", "new 3", Scrollback.unreadMarker, "new 4",
            ])
        #expect(scrollback.lines.filter { $0.text == Scrollback.unreadMarker }.count == 1)
    }

    @Test func removingTheMarkerLeavesAScrolledBackViewStill() {
        var scrollback = filled(20)
        scrollback.pageUp()
        for number in 1...6 { scrollback.append(text: "new \(number)", style: .plain) }
        let before = visibleText(scrollback)
        scrollback.removeUnreadMarker()
        #expect(visibleText(scrollback) == before)
        #expect(scrollback.markerIndex == nil)
        #expect(!scrollback.lines.contains { $0.text == Scrollback.unreadMarker })
        scrollback.scrollToBottom()
        #expect(visibleText(scrollback) == ["new 2", "new 3", "new 4", "new 5", "new 6"])
    }

    @Test func theMarkerIsDroppedWithTheOldestLines() {
        var scrollback = filled(4, capacity: 5)
        scrollback.resize(width: 20, height: 2)
        scrollback.scroll(by: 1)
        scrollback.append(text: "new 1", style: .plain)
        #expect(scrollback.markerIndex != nil)
        for number in 2...6 { scrollback.append(text: "new \(number)", style: .plain) }
        #expect(scrollback.count == 5)
        #expect(scrollback.markerIndex == nil)
        #expect(scrollback.lines.map(\.text) == ["new 2", "new 3", "new 4", "new 5", "new 6"])
    }

    @Test func theMarkerSurvivesCompaction() throws {
        var scrollback = filled(6, capacity: 3)
        scrollback.resize(width: 20, height: 1)
        scrollback.scroll(by: 1)
        scrollback.append(text: "new 1", style: .plain)
        scrollback.append(text: "new 2", style: .plain)
        // Past the capacity the storage was compacted: the marker's index still finds it.
        let index = try #require(scrollback.markerIndex)
        #expect(scrollback.lines[index].text == Scrollback.unreadMarker)
        #expect(scrollback.lines.map(\.text) == [Scrollback.unreadMarker, "new 1", "new 2"])
        scrollback.removeUnreadMarker()
        #expect(scrollback.lines.map(\.text) == ["new 1", "new 2"])
    }

    // MARK: - Clear

    @Test func clearForgetsEverything() {
        var scrollback = filled(20)
        scrollback.pageUp()
        scrollback.append(text: "new", style: .plain)
        scrollback.clear()
        #expect(scrollback.count == 0)
        #expect(scrollback.totalRows == 0)
        #expect(!scrollback.isScrolledBack)
        #expect(scrollback.markerIndex == nil)
        #expect(visibleText(scrollback) == [])
        scrollback.append(text: "after", style: .plain)
        #expect(visibleText(scrollback) == ["after"])
    }

    // MARK: - Older lines above

    @Test func olderLinesGoAboveAndAViewAtTheTopStaysStill() {
        var scrollback = filled(20)
        scrollback.scrollToTop()
        let before = visibleText(scrollback)
        #expect(scrollback.insertAbove(Self.older(1...3)) == 3)
        #expect(visibleText(scrollback) == before)
        #expect(scrollback.lines.prefix(4).map(\.text) == ["old 1", "old 2", "old 3", "line 1"])
        #expect(!scrollback.isAtTop)
        scrollback.pageUp()
        #expect(visibleText(scrollback).first == "old 1")
    }

    @Test func olderLinesUnderAFollowingViewLeaveTheBottomInView() {
        var scrollback = filled(3)
        scrollback.insertAbove(Self.older(1...4))
        #expect(visibleText(scrollback) == ["old 3", "old 4", "line 1", "line 2", "line 3"])
        #expect(!scrollback.isScrolledBack)
        #expect(scrollback.unseenLines == 0)
        #expect(scrollback.markerIndex == nil)
    }

    @Test func olderLinesKeepTheMarkerOnItsLine() throws {
        var scrollback = filled(20)
        scrollback.pageUp()
        scrollback.append(text: "new", style: .plain)
        scrollback.insertAbove(Self.older(1...2))
        let index = try #require(scrollback.markerIndex)
        #expect(scrollback.lines[index].text == Scrollback.unreadMarker)
        #expect(scrollback.unseenLines == 1)
    }

    @Test func olderLinesFillOnlyTheRoomLeftAndNeverPushOutNewerOnes() {
        var scrollback = filled(8, capacity: 10)
        #expect(scrollback.insertAbove(Self.older(1...5)) == 2)
        #expect(scrollback.lines.map(\.text).prefix(3) == ["old 4", "old 5", "line 1"])
        #expect(scrollback.count == 10)
        #expect(scrollback.insertAbove(Self.older(1...5)) == 0)
        #expect(scrollback.lines.last?.text == "line 8")
    }

    @Test func olderLinesReuseTheRoomOfDroppedOnes() {
        var scrollback = filled(10, height: 3, capacity: 10)
        scrollback.pageUp()
        scrollback.append(text: "new", style: .plain)  // the marker and "new": lines 1 and 2 dropped
        scrollback.removeUnreadMarker()  // room for one
        #expect(scrollback.count == 9)
        #expect(scrollback.insertAbove(Self.older(1...3)) == 1)
        #expect(scrollback.lines.map(\.text) == ["old 3"] + (3...10).map { "line \($0)" } + ["new"])
        #expect(scrollback.totalRows == 10)
    }

    // MARK: - The bound

    /// Issue 11: scrollback memory stays bounded. 100,000 lines in, with the view scrolled back (so markers
    /// and unseen counts are at work) and older lines pushed in above: never more than the capacity.
    @Test func neverMoreThanTheCapacity() {
        var scrollback = Scrollback(capacity: 10_000, width: 80, height: 22)
        for number in 1...100_000 {
            scrollback.append(text: "line \(number) with some text to wrap at eighty columns", style: .plain)
            if number % 10_000 == 0 {
                // Scrolled back, a line brings the marker; without it there is room for one older line.
                scrollback.pageUp()
                scrollback.append(text: "line \(number) again", style: .plain)
                scrollback.removeUnreadMarker()
                #expect(scrollback.insertAbove(Self.older(1...50)) == 1)
                scrollback.scrollToBottom()
            }
            if number % 1_000 == 0 { #expect(scrollback.count <= 10_000) }
        }
        #expect(scrollback.count == 10_000)
        #expect(scrollback.lines.last?.text == "line 100000 again")
        #expect(scrollback.totalRows == scrollback.lines.reduce(0) { $0 + $1.rows.count })
    }
}

/// `/clear` and older lines through the mailbox: a clear drops what was queued before it, not after, and
/// keeps the status and flags.
@Suite struct MailboxScrollbackTests {
    @Test func aClearDropsEarlierLinesAndBatchesButKeepsTheStatus() {
        var mailbox = Mailbox(capacity: 100)
        _ = mailbox.post("before", style: .plain)
        _ = mailbox.postOlder([(text: "old", style: .plain)])
        mailbox.pending.status = "in lobby"
        mailbox.pending.inputClosed = true
        _ = mailbox.postClear()
        _ = mailbox.post("after", style: .plain)
        _ = mailbox.postOlder([(text: "older", style: .plain)])
        let delivery = mailbox.collect()
        #expect(delivery.cleared)
        #expect(delivery.lines.map(\.text) == ["after"])
        #expect(delivery.older.map { $0.map(\.text) } == [["older"]])
        #expect(delivery.status == "in lobby")
        #expect(delivery.inputClosed)
        #expect(!mailbox.collect().cleared)
    }
}
