import Testing

@testable import ChatUI

/// Issue 11 item 12: a marker when input text is scrolled out of view, `<` on the left, `>` on the right.
@Suite struct InputMarkerTests {
    @Test func aLineThatFitsHasNoMarkers() {
        var editor = LineEditor(text: "123456789")
        // 9 characters and the cursor's cell fill 10 columns exactly.
        #expect(editor.layout(columns: 10) == .init(visible: 0..<9, cursorColumn: 9))
        editor.moveToStart()
        #expect(editor.layout(columns: 10) == .init(visible: 0..<9, cursorColumn: 0))
    }

    @Test func textOutOfViewOnTheRightShowsTheRightMarker() {
        var editor = LineEditor(text: String(repeating: "x", count: 30))
        editor.moveToStart()
        let layout = editor.layout(columns: 10)
        #expect(layout == .init(visible: 0..<9, cursorColumn: 0, scrolledRight: true))
    }

    @Test func bothMarkersInTheMiddleOfALongLine() {
        var editor = LineEditor(text: String(repeating: "x", count: 30))
        editor.moveToStart()
        _ = editor.layout(columns: 10)
        for _ in 0..<15 { editor.moveRight() }
        let layout = editor.layout(columns: 10)
        #expect(layout.scrolledLeft && layout.scrolledRight)
        // Between the markers: 8 columns of text, the cursor in them.
        #expect(layout.visible.count == 8)
        #expect(layout.visible.contains(15))
        #expect((1...8).contains(layout.cursorColumn))
    }

    @Test func movingBackToTheStartDropsTheLeftMarker() {
        var editor = LineEditor(text: String(repeating: "x", count: 30))
        #expect(editor.layout(columns: 10).scrolledLeft)
        editor.moveToStart()
        let layout = editor.layout(columns: 10)
        #expect(!layout.scrolledLeft)
        #expect(layout.scrolledRight)
    }

    @Test func aWideCharacterIsNeverSplitByTheRightMarker() {
        var editor = LineEditor(text: "abcdefg日本")
        editor.moveToStart()
        // 9 columns for text before `>`: a..g take 7 and 日 the next 2; 本 is out of view.
        #expect(editor.layout(columns: 10) == .init(visible: 0..<8, cursorColumn: 0, scrolledRight: true))
        var other = LineEditor(text: "abcdefgh日x")
        other.moveToStart()
        // a..h take 8 of the 9 columns; 日 would need a 10th: out of view, and one blank column before `>`.
        #expect(other.layout(columns: 10) == .init(visible: 0..<8, cursorColumn: 0, scrolledRight: true))
    }

    @Test func aVeryNarrowViewShowsTextWithoutMarkers() {
        var editor = LineEditor(text: "0123456789")
        let layout = editor.layout(columns: LineEditor.minimumColumnsForMarkers - 1)
        #expect(!layout.scrolledLeft && !layout.scrolledRight)
        #expect(layout.cursorColumn == 2)
    }

    @Test func everyCursorPositionStaysInViewBetweenTheMarkers() {
        let text = "日本語 and some latin text, 😀 and more 中文 to scroll"
        var editor = LineEditor(text: text)
        for columns in 4...20 {
            editor.moveToStart()
            for _ in 0...editor.characters.count {
                let layout = editor.layout(columns: columns)
                let used = (layout.scrolledLeft ? 1 : 0) + (layout.scrolledRight ? 1 : 0)
                let width = DisplayWidth.of(editor.characters[layout.visible])
                #expect(width + used <= columns)
                #expect(layout.cursorColumn < columns - (layout.scrolledRight ? 1 : 0))
                #expect(layout.visible.contains(editor.cursor) || editor.cursor == layout.visible.upperBound)
                #expect(layout.scrolledLeft == (layout.visible.lowerBound > 0))
                #expect(layout.scrolledRight == (layout.visible.upperBound < editor.characters.count))
                editor.moveRight()
            }
        }
    }
}
