import Testing

@testable import ChatUI

@Suite struct LineWrapperTests {
    @Test func shortLineIsOneRow() {
        #expect(LineWrapper.rows(of: "hello", width: 10) == ["hello"])
        #expect(LineWrapper.rows(of: "0123456789", width: 10) == ["0123456789"])
    }

    @Test func emptyLineIsOneEmptyRow() {
        #expect(LineWrapper.rows(of: "", width: 10) == [""])
    }

    @Test func wrapsAtTheLastSpaceThatFits() {
        #expect(LineWrapper.rows(of: "the quick brown fox jumps", width: 10) == ["the quick", "brown fox", "jumps"])
    }

    @Test func spaceAtTheEdgeIsSwallowed() {
        #expect(LineWrapper.rows(of: "abcde fghij", width: 5) == ["abcde", "fghij"])
        #expect(LineWrapper.rows(of: "abcde ", width: 5) == ["abcde"])
    }

    @Test func longWordIsBrokenAtTheEdge() {
        #expect(LineWrapper.rows(of: "abcdefghijkl", width: 5) == ["abcde", "fghij", "kl"])
        #expect(LineWrapper.rows(of: "hi abcdefghijkl", width: 5) == ["hi ab", "cdefg", "hijkl"])
    }

    /// Issue 11: a long unbroken word or CJK run left `nick:` alone on its row.
    @Test func aWordLongerThanARowDoesNotLeaveTheNickAlone() {
        #expect(LineWrapper.rows(of: "leslie: abcdefghijklmnop", width: 12) == ["leslie: abcd", "efghijklmnop"])
        #expect(LineWrapper.rows(of: "leslie: 日本語日本語日本語", width: 12) == ["leslie: 日本", "語日本語日本", "語"])
        // A word that fits a row still moves there whole.
        #expect(LineWrapper.rows(of: "leslie: hi abcdefgh", width: 12) == ["leslie: hi", "abcdefgh"])
    }

    /// Issue 11: continuation rows are narrower by the hanging indent, so they line up under the text.
    @Test func continuationRowsLeaveRoomForTheIndent() {
        let rows = LineWrapper.rows(of: "pat: the quick brown fox jumps over", width: 14, indent: 5)
        #expect(rows == ["pat: the quick", "brown fox", "jumps", "over"])
        #expect(rows.dropFirst().allSatisfy { DisplayWidth.of($0) <= 9 })
        #expect(
            LineWrapper.rows(of: "pat: abcdefghijklmnopqr", width: 10, indent: 5) == [
                "pat: abcde", "fghij", "klmno", "pqr",
            ])
        // An indent over half the width is not used.
        #expect(LineWrapper.effectiveIndent(8, width: 10) == 0)
        #expect(LineWrapper.effectiveIndent(5, width: 10) == 5)
    }

    @Test func everyRowFitsAndNothingButBreakSpacesIsLost() {
        let text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt"
        for width in 1...30 {
            let rows = LineWrapper.rows(of: text, width: width)
            #expect(rows.allSatisfy { DisplayWidth.of($0) <= width })
            #expect(rows.joined().filter { $0 != " " } == text.filter { $0 != " " })
        }
    }

    @Test func wideCharacterNeverStraddlesTheEdge() {
        // "ab" then four 2-column characters at width 5: the third character would end in column 6.
        #expect(LineWrapper.rows(of: "ab日本語中", width: 5) == ["ab日", "本語", "中"])
        #expect(LineWrapper.rows(of: "😀😀😀", width: 3) == ["😀", "😀", "😀"])
    }

    @Test func wideCharacterWiderThanTheRowGetsItsOwnRow() {
        #expect(LineWrapper.rows(of: "a日b", width: 1) == ["a", "日", "b"])
    }

    @Test func combiningMarksStayWithTheirBase() {
        let rows = LineWrapper.rows(of: "e\u{0301}e\u{0301}e\u{0301}", width: 2)
        #expect(rows == ["e\u{0301}e\u{0301}", "e\u{0301}"])
    }

    @Test(arguments: [1, 2, 3, 7, 40])
    func wrappedCJKTextFitsEveryWidth(width: Int) {
        let text = "日本語のテキストと English words 混在 😀 emoji"
        let rows = LineWrapper.rows(of: text, width: width)
        #expect(rows.allSatisfy { DisplayWidth.of($0) <= max(width, 2) })
        #expect(rows.joined().filter { $0 != " " } == text.filter { $0 != " " })
    }
}
