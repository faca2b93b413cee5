/// Splits a line into rows that fit a width in terminal columns.
enum LineWrapper {
    /// The rows of `characters` wrapped to `width` columns, as index ranges into `characters`; rows after
    /// the first are `indent` columns narrower (a hanging indent under the message text, drawn by the
    /// caller), see `effectiveIndent(_:width:)`.
    ///
    /// Rows break after the last space that fits, and that space is not shown (it ends the row). A word
    /// longer than a whole row (a URL, a run of CJK) fills the row and is broken at the edge, so `nick:` is
    /// never left alone on its row. A wide character never straddles the edge: it moves to the next row. An
    /// empty line is one empty row. A character wider than `width` gets a row of its own.
    static func wrap<Text: BidirectionalCollection<Character>>(
        _ characters: Text, width: Int, indent: Int = 0
    ) -> [Range<Text.Index>] {
        let width = max(1, width)
        let continuationWidth = width - effectiveIndent(indent, width: width)
        var rowWidth = width
        var rows: [Range<Text.Index>] = []
        var start = characters.startIndex
        var column = 0
        var lastSpace: Text.Index? = nil
        var index = start
        while index < characters.endIndex {
            let character = characters[index]
            let characterWidth = DisplayWidth.of(character)
            guard column + characterWidth > rowWidth, index > start else {
                if character == " " { lastSpace = index }
                column += characterWidth
                characters.formIndex(after: &index)
                continue
            }
            if character == " " {
                // The space that overflows ends the row and is swallowed by the break.
                rows.append(start..<index)
                start = characters.index(after: index)
                index = start
            } else if let space = lastSpace, space > start,
                wordWidth(characters, after: space, limit: continuationWidth) <= continuationWidth
            {
                rows.append(start..<space)
                start = characters.index(after: space)
            } else {
                rows.append(start..<index)
                start = index
            }
            rowWidth = continuationWidth
            column = DisplayWidth.of(characters[start..<index])
            lastSpace = characters[start..<index].lastIndex(of: " ")
        }
        // A break that swallowed the last space leaves nothing for a final row.
        if start < characters.endIndex || rows.isEmpty { rows.append(start..<characters.endIndex) }
        return rows
    }

    /// The indent continuation rows get: `indent`, unless it would leave them less than half the width.
    static func effectiveIndent(_ indent: Int, width: Int) -> Int {
        indent > 0 && indent <= width / 2 ? indent : 0
    }

    /// The width of the word after `space`, counted only up to just past `limit`.
    private static func wordWidth<Text: BidirectionalCollection<Character>>(
        _ characters: Text, after space: Text.Index, limit: Int
    ) -> Int {
        var width = 0
        var index = characters.index(after: space)
        while index < characters.endIndex, characters[index] != " ", width <= limit {
            width += DisplayWidth.of(characters[index])
            characters.formIndex(after: &index)
        }
        return width
    }

    /// The rows of a string wrapped to `width` columns, as strings.
    static func rows(of text: String, width: Int, indent: Int = 0) -> [String] {
        let ranges: [Range<String.Index>] = wrap(text, width: width, indent: indent)
        return ranges.map { String(text[$0]) }
    }
}
