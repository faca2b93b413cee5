import Testing

@testable import ChatUI

@Suite struct LineEditorTests {
    @Test func typingAppendsAtTheCursor() {
        var editor = LineEditor()
        editor.insert("helo")
        editor.moveLeft()
        editor.insert("l")
        #expect(editor.text == "hello")
        #expect(editor.cursor == 4)
    }

    @Test func homeEndLeftRightStopAtTheEdges() {
        var editor = LineEditor(text: "abc")
        #expect(editor.cursor == 3)
        editor.moveRight()
        #expect(editor.cursor == 3)
        editor.moveToStart()
        #expect(editor.cursor == 0)
        editor.moveLeft()
        #expect(editor.cursor == 0)
        editor.moveRight()
        #expect(editor.cursor == 1)
        editor.moveToEnd()
        #expect(editor.cursor == 3)
    }

    @Test func backspaceAndDelete() {
        var editor = LineEditor(text: "abcd")
        editor.deleteBackward()
        #expect(editor.text == "abc")
        editor.moveToStart()
        editor.deleteBackward()
        #expect(editor.text == "abc")
        editor.deleteForward()
        #expect(editor.text == "bc")
        #expect(editor.cursor == 0)
        editor.moveToEnd()
        editor.deleteForward()
        #expect(editor.text == "bc")
    }

    @Test func killToStartAndToEnd() {
        var editor = LineEditor(text: "hello world")
        for _ in 0..<5 { editor.moveLeft() }
        editor.deleteToEnd()
        #expect(editor.text == "hello ")
        #expect(editor.cursor == 6)
        editor.moveLeft()
        editor.deleteToStart()
        #expect(editor.text == " ")
        #expect(editor.cursor == 0)
    }

    @Test func deleteWordBeforeTheCursor() {
        var editor = LineEditor(text: "say hello  world  ")
        editor.deleteWordBackward()
        #expect(editor.text == "say hello  ")
        editor.deleteWordBackward()
        #expect(editor.text == "say ")
        editor.moveLeft()
        editor.deleteWordBackward()
        #expect(editor.text == " ")
        #expect(editor.cursor == 0)
        editor.deleteWordBackward()
        #expect(editor.text == " ")
    }

    @Test func cursorMovesOverWholeWideAndCombinedCharacters() {
        var editor = LineEditor(text: "a日e\u{0301}😀")
        #expect(editor.characters.count == 4)
        editor.moveLeft()
        editor.deleteBackward()
        #expect(editor.text == "a日😀")
        #expect(editor.layout(columns: 20).cursorColumn == 3)
        editor.moveToEnd()
        #expect(editor.layout(columns: 20).cursorColumn == 5)
    }

    @Test func combiningMarkTypedAfterALetterJoinsIt() {
        var editor = LineEditor()
        editor.insert("e")
        editor.insert("\u{0301}")
        #expect(editor.characters == ["e\u{0301}"])
        #expect(editor.cursor == 1)
        editor.insert("x")
        #expect(editor.characters == ["e\u{0301}", "x"])
    }

    @Test func pastedTextLosesControlAndFormatCharacters() {
        var editor = LineEditor()
        editor.insert("a\u{1B}[31mb\u{202E}c\td\u{2028}")
        #expect(editor.text == "a[31mbcd")
    }

    @Test func pastedEmojiAndCJKCountAsCharacters() {
        var editor = LineEditor()
        editor.insert("你好😀")
        #expect(editor.characters.count == 3)
        #expect(editor.layout(columns: 80) == .init(visible: 0..<3, cursorColumn: 6))
    }

    @Test func shortLineIsFullyVisible() {
        var editor = LineEditor(text: "hello")
        #expect(editor.layout(columns: 10) == .init(visible: 0..<5, cursorColumn: 5))
    }

    @Test func longLineScrollsSoTheCursorStaysVisible() {
        var editor = LineEditor(text: "0123456789abcdef")
        let layout = editor.layout(columns: 10)
        // The cursor after the last character needs a cell: 9 characters and the cursor fit.
        // 8 characters, the cursor, and `<` for the 8 out of view on the left.
        #expect(layout == .init(visible: 8..<16, cursorColumn: 9, scrolledLeft: true))
        editor.moveToStart()
        #expect(editor.layout(columns: 10) == .init(visible: 0..<9, cursorColumn: 0, scrolledRight: true))
        for _ in 0..<12 { editor.moveRight() }
        let middle = editor.layout(columns: 10)
        #expect(middle == .init(visible: 5..<13, cursorColumn: 8, scrolledLeft: true, scrolledRight: true))
    }

    @Test func scrolledLineComesBackIntoViewWhenItShrinks() {
        var editor = LineEditor(text: "0123456789abcdef")
        _ = editor.layout(columns: 10)
        for _ in 0..<10 { editor.deleteBackward() }
        #expect(editor.layout(columns: 10) == .init(visible: 0..<6, cursorColumn: 6))
    }

    @Test func wideCharacterUnderTheCursorIsWhollyVisible() {
        var editor = LineEditor(text: "abcd日")
        editor.moveLeft()
        let layout = editor.layout(columns: 5)
        // The cursor on 日 needs two cells and `<` one, so two characters scroll off the left.
        #expect(layout == .init(visible: 2..<5, cursorColumn: 3, scrolledLeft: true))
    }

    @Test func wideCharactersScrollWithoutSplitting() {
        var editor = LineEditor(text: "日本語中文字")
        let layout = editor.layout(columns: 7)
        #expect(layout == .init(visible: 4..<6, cursorColumn: 5, scrolledLeft: true))
    }
}

@Suite struct InputHistoryTests {
    @Test func upWalksOlderAndStopsAtTheOldest() {
        var history = InputHistory()
        history.record("one")
        history.record("two")
        #expect(history.previous(current: "") == "two")
        #expect(history.previous(current: "two") == "one")
        #expect(history.previous(current: "one") == nil)
        #expect(history.next(current: "one") == "two")
    }

    @Test func downAfterTheNewestRestoresTheDraft() {
        var history = InputHistory()
        history.record("sent")
        #expect(history.previous(current: "half typed") == "sent")
        #expect(history.next(current: "sent") == "half typed")
        #expect(history.next(current: "half typed") == nil)
    }

    @Test func emptyHistoryHasNothing() {
        var history = InputHistory()
        #expect(history.previous(current: "x") == nil)
        #expect(history.next(current: "x") == nil)
    }

    /// Issue 11: Up then Down lost an edit made to a recalled line.
    @Test func anEditToARecalledLineSurvivesWalkingAway() {
        var history = InputHistory()
        history.record("one")
        history.record("two")
        #expect(history.previous(current: "draft") == "two")
        #expect(history.previous(current: "two edited") == "one")
        #expect(history.next(current: "one") == "two edited")
        #expect(history.next(current: "two edited") == "draft")
        #expect(history.previous(current: "draft") == "two edited")
        history.record("two edited")
        #expect(history.previous(current: "") == "two edited")
        #expect(history.previous(current: "two edited") == "two")
    }

    @Test func skipsEmptyLinesAndRepeats() {
        var history = InputHistory()
        history.record("a")
        history.record("a")
        history.record("")
        history.record("b")
        history.record("a")
        #expect(history.entries == ["a", "b", "a"])
    }

    @Test func recordingEndsTheWalk() {
        var history = InputHistory()
        history.record("one")
        history.record("two")
        _ = history.previous(current: "")
        _ = history.previous(current: "")
        history.record("three")
        #expect(history.previous(current: "") == "three")
    }

    @Test func dropsTheOldestBeyondTheCapacity() {
        var history = InputHistory(capacity: 3)
        for line in ["1", "2", "3", "4", "5"] { history.record(line) }
        #expect(history.entries == ["3", "4", "5"])
    }
}
