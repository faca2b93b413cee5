/// Turns display-safe text into the scalars handed to curses, so that curses lays it out exactly as
/// `DisplayWidth` measured it.
///
/// Curses places each scalar by libc `wcwidth(3)`. Where that disagrees with `DisplayWidth` (a character
/// newer than the C library's tables, or a non-UTF-8 locale), the character is drawn as a replacement
/// padded with spaces to its measured width, so the cursor and the wrapping stay right.
enum CellText {
    /// Curses keeps this many zero-width scalars with a spacing one (`CCHARW_MAX` is 5, the first spacing).
    static let maxCombiningPerCell = 4

    /// The scalars to draw for `text`. Zero-width characters on their own (a combining mark with no base)
    /// are left out: they take no column and curses would attach them to an unrelated cell.
    static func scalars(
        for text: some Sequence<Character>, replacement: Unicode.Scalar = "\u{FFFD}",
        libcWidth: (Unicode.Scalar) -> Int
    ) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        for character in text {
            let width = DisplayWidth.of(character)
            guard width > 0 else { continue }
            if character.unicodeScalars.allSatisfy({ libcWidth($0) == DisplayWidth.of($0) }) {
                appendCells(of: character, to: &result)
            } else {
                result.append(replacement)
                result.append(contentsOf: repeatElement(" ", count: width - 1))
            }
        }
        return result
    }

    private static func appendCells(of character: Character, to result: inout [Unicode.Scalar]) {
        var combining = 0
        for scalar in character.unicodeScalars {
            if DisplayWidth.of(scalar) > 0 {
                combining = 0
            } else {
                combining += 1
                if combining > maxCombiningPerCell { continue }
            }
            result.append(scalar)
        }
    }
}
