import ChatText

/// The input line being typed: its characters, the cursor, and which part is in view.
///
/// Pure state with one method per editing key; the UI maps keys to these and draws `layout(columns:)`.
struct LineEditor: Equatable {
    /// The characters typed, as grapheme clusters.
    private(set) var characters: [Character] = []
    /// The cursor, as an index into `characters` (`characters.count` is after the last one).
    private(set) var cursor = 0
    /// The first character in view when the line is wider than the space for it.
    private(set) var scrollStart = 0
    /// The text the last kill (Ctrl-U, Ctrl-K, Ctrl-W, Alt-d, Alt-Backspace) removed, for Ctrl-Y.
    private(set) var killed: [Character] = []

    /// Which characters are in view and where the cursor is, in columns from the start of the view (a `<`
    /// marker included).
    struct Layout: Equatable {
        let visible: Range<Int>
        let cursorColumn: Int
        /// Text is scrolled out of view on the left: the view's first column shows `<`, the text follows.
        var scrolledLeft = false
        /// Text is scrolled out of view on the right: the view's last column shows `>`.
        var scrolledRight = false
    }

    /// Markers take a column each only in a view at least this wide; a narrower one shows text alone.
    static let minimumColumnsForMarkers = 4

    /// An editor holding `text`, with the cursor at its end.
    init(text: String = "") {
        replace(with: text)
    }

    /// The text typed.
    var text: String { String(characters) }

    /// Whether nothing is typed.
    var isEmpty: Bool { characters.isEmpty }

    // MARK: - Typing

    /// Types or pastes `text` at the cursor. Control, format and separator characters are dropped. A
    /// combining mark joins the character before the cursor, as it does on screen.
    mutating func insert(_ text: String) {
        let kept = String(String.UnicodeScalarView(text.unicodeScalars.filter(DisplaySanitizer.isAllowedInInput)))
        guard !kept.isEmpty else { return }
        let replaced = cursor > 0 ? cursor - 1 : cursor
        let merged = Array(String(characters[replaced..<cursor]) + kept)
        characters.replaceSubrange(replaced..<cursor, with: merged)
        cursor = replaced + merged.count
    }

    /// Replaces everything with `text` (a line from the history), cursor at the end.
    mutating func replace(with text: String) {
        characters = Array(text)
        cursor = characters.count
        scrollStart = 0
    }

    /// Replaces everything with `characters`, the cursor at `cursor` (a Tab completion).
    mutating func replace(with characters: [Character], cursor: Int) {
        self.characters = characters
        self.cursor = min(max(0, cursor), characters.count)
    }

    // MARK: - Moving

    /// Left arrow, Ctrl-B.
    mutating func moveLeft() { cursor = max(0, cursor - 1) }
    /// Right arrow, Ctrl-F.
    mutating func moveRight() { cursor = min(characters.count, cursor + 1) }
    /// Home, Ctrl-A.
    mutating func moveToStart() { cursor = 0 }
    /// End, Ctrl-E.
    mutating func moveToEnd() { cursor = characters.count }

    /// Alt-b, Ctrl-Left: to the start of the word before the cursor (words are letters and digits).
    mutating func moveWordLeft() { cursor = wordStart(before: cursor) }

    /// Alt-f, Ctrl-Right: to the end of the word after the cursor.
    mutating func moveWordRight() { cursor = wordEnd(after: cursor) }

    private func wordStart(before index: Int) -> Int {
        var start = index
        while start > 0, !Self.isWordCharacter(characters[start - 1]) { start -= 1 }
        while start > 0, Self.isWordCharacter(characters[start - 1]) { start -= 1 }
        return start
    }

    private func wordEnd(after index: Int) -> Int {
        var end = index
        while end < characters.count, !Self.isWordCharacter(characters[end]) { end += 1 }
        while end < characters.count, Self.isWordCharacter(characters[end]) { end += 1 }
        return end
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    // MARK: - Deleting

    /// Backspace: deletes the character before the cursor.
    mutating func deleteBackward() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    /// Delete (and Ctrl-D on a non-empty line): deletes the character under the cursor.
    mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    /// Ctrl-U: deletes from the start of the line to the cursor.
    mutating func deleteToStart() {
        kill(0..<cursor)
    }

    /// Ctrl-K: deletes from the cursor to the end of the line.
    mutating func deleteToEnd() {
        kill(cursor..<characters.count)
    }

    /// Ctrl-W: deletes the word before the cursor and the blanks between it and the cursor (a word here runs
    /// to the previous blank, as in a shell).
    mutating func deleteWordBackward() {
        var start = cursor
        while start > 0, characters[start - 1].isWhitespace { start -= 1 }
        while start > 0, !characters[start - 1].isWhitespace { start -= 1 }
        kill(start..<cursor)
    }

    /// Alt-Backspace: deletes to the start of the word before the cursor (letters and digits).
    mutating func deleteAlphanumericWordBackward() {
        kill(wordStart(before: cursor)..<cursor)
    }

    /// Alt-d: deletes to the end of the word after the cursor.
    mutating func deleteWordForward() {
        kill(cursor..<wordEnd(after: cursor))
    }

    /// Ctrl-Y: types the text the last kill removed.
    mutating func yank() {
        insert(String(killed))
    }

    /// Ctrl-T: swaps the characters before and under the cursor (the last two at the end of the line), and
    /// moves past them.
    mutating func transpose() {
        guard characters.count >= 2, cursor > 0 else { return }
        let right = min(cursor, characters.count - 1)
        characters.swapAt(right - 1, right)
        cursor = right + 1
    }

    private mutating func kill(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        killed = Array(characters[range])
        characters.removeSubrange(range)
        cursor = range.lowerBound
    }

    // MARK: - Layout

    /// Scrolls the line sideways so the cursor stays in view within `columns`, then says what is in view.
    ///
    /// The cursor needs a cell of its own (a wide character under it needs two). When the line is shorter
    /// than the view again, as much of it as fits comes back into view from the left. A line wider than the
    /// view gets a `<` and a `>` marker on the sides where text is out of view, each taking a column.
    mutating func layout(columns: Int) -> Layout {
        let columns = max(1, columns)
        var (left, right) = (false, false)
        var view = scrolledView(from: scrollStart, columns: columns)
        // A marker narrows the view, and a narrower view never scrolls back to the left, so a marker once
        // needed is kept: the loop ends within two more rounds. (A `>` found needless after all is a blank.)
        while columns >= Self.minimumColumnsForMarkers {
            let wantsLeft = left || view.lowerBound > 0
            let wantsRight = right || view.upperBound < characters.count
            guard wantsLeft != left || wantsRight != right else { break }
            (left, right) = (wantsLeft, wantsRight)
            view = scrolledView(from: scrollStart, columns: columns - (left ? 1 : 0) - (right ? 1 : 0))
        }
        scrollStart = view.lowerBound
        let markerColumn = left ? 1 : 0
        return Layout(
            visible: view, cursorColumn: markerColumn + DisplayWidth.of(characters[scrollStart..<cursor]),
            scrolledLeft: left, scrolledRight: right && view.upperBound < characters.count)
    }

    /// The characters in view in `columns`, scrolled from `start` just enough to show the cursor.
    private func scrolledView(from start: Int, columns: Int) -> Range<Int> {
        let columns = max(1, columns)
        var scrollStart = start
        let cursorCell = cursor < characters.count ? max(1, DisplayWidth.of(characters[cursor])) : 1
        scrollStart = min(scrollStart, cursor)
        var used = DisplayWidth.of(characters[scrollStart..<cursor])
        while used + cursorCell > columns, scrollStart < cursor {
            used -= DisplayWidth.of(characters[scrollStart])
            scrollStart += 1
        }
        var spare = columns - DisplayWidth.of(characters[scrollStart...]) - 1
        while scrollStart > 0, DisplayWidth.of(characters[scrollStart - 1]) <= spare {
            scrollStart -= 1
            spare -= DisplayWidth.of(characters[scrollStart])
        }
        var end = scrollStart
        var width = 0
        while end < characters.count, width + DisplayWidth.of(characters[end]) <= columns {
            width += DisplayWidth.of(characters[end])
            end += 1
        }
        return scrollStart..<end
    }
}
