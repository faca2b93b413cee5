/// Splits a line into rows that fit a width in terminal columns.
enum LineWrapper {
    /// The rows of `characters` wrapped to `width` columns, as index ranges into `characters`.
    ///
    /// Rows break after the last space that fits, and that space is not shown (it ends the row). A word
    /// longer than a whole row is broken at the edge. A wide character never straddles the edge: it moves to
    /// the next row. An empty line is one empty row. A character wider than `width` gets a row of its own.
    static func wrap<Text: BidirectionalCollection<Character>>(_ characters: Text, width: Int) -> [Range<Text.Index>] {
        let width = max(1, width)
        var rows: [Range<Text.Index>] = []
        var start = characters.startIndex
        var column = 0
        var lastSpace: Text.Index? = nil
        var index = start
        while index < characters.endIndex {
            let character = characters[index]
            let characterWidth = DisplayWidth.of(character)
            guard column + characterWidth > width, index > start else {
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
            } else if let space = lastSpace, space > start {
                rows.append(start..<space)
                start = characters.index(after: space)
            } else {
                rows.append(start..<index)
                start = index
            }
            column = DisplayWidth.of(characters[start..<index])
            lastSpace = characters[start..<index].lastIndex(of: " ")
        }
        // A break that swallowed the last space leaves nothing for a final row.
        if start < characters.endIndex || rows.isEmpty { rows.append(start..<characters.endIndex) }
        return rows
    }

    /// The rows of a string wrapped to `width` columns, as strings.
    static func rows(of text: String, width: Int) -> [String] {
        let ranges: [Range<String.Index>] = wrap(text, width: width)
        return ranges.map { String(text[$0]) }
    }
}
