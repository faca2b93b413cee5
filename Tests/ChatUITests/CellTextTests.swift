import Testing

@testable import ChatUI

@Suite struct CellTextTests {
    /// A C library that agrees with `DisplayWidth` on everything.
    private static func agreeing(_ scalar: Unicode.Scalar) -> Int { DisplayWidth.of(scalar) }

    @Test func agreedTextPassesThrough() {
        let text = "pat: 日本 😀 e\u{0301}"
        #expect(CellText.scalars(for: text, libcWidth: Self.agreeing) == Array(text.unicodeScalars))
    }

    @Test func disagreementBecomesAReplacementPaddedToTheMeasuredWidth() {
        // A C library too old to know the emoji (wcwidth -1) must not make curses shift the row.
        let scalars = CellText.scalars(for: "a😀b") { $0 == "😀" ? -1 : DisplayWidth.of($0) }
        #expect(scalars == ["a", "\u{FFFD}", " ", "b"])
        let narrow = CellText.scalars(for: "中", replacement: "?") { _ in -1 }
        #expect(narrow == ["?", " "])
    }

    @Test func loneCombiningMarkIsLeftOut() {
        #expect(CellText.scalars(for: "\u{0301}x", libcWidth: Self.agreeing) == ["x"])
    }

    @Test func combiningMarksBeyondWhatACellHoldsAreDropped() {
        let zalgo = Character("a" + String(repeating: "\u{0301}", count: 9))
        let scalars = CellText.scalars(for: [zalgo], libcWidth: Self.agreeing)
        #expect(scalars.count == 1 + CellText.maxCombiningPerCell)
        #expect(scalars.first == "a")
    }

    @Test func widthOfTheOutputMatchesTheMeasuredWidth() {
        let text = "mixed 中文 text 😀 with é and \u{1F1FA}\u{1F1F8}"
        let scalars = CellText.scalars(for: text) { $0.value > 0x1F000 ? 1 : DisplayWidth.of($0) }
        let drawn = scalars.reduce(0) { $0 + DisplayWidth.of($1) }
        #expect(drawn == DisplayWidth.of(text))
    }
}

@Suite struct PrefixFittingTests {
    @Test(arguments: [
        ("hello", 3, "hel"), ("hello", 10, "hello"), ("hello", 0, ""),
        ("日本語", 3, "日"), ("日本語", 4, "日本"), ("a日", 2, "a"), ("e\u{0301}x", 1, "e\u{0301}"),
    ])
    func prefixFits(text: String, columns: Int, expected: String) {
        #expect(DisplayWidth.prefix(text[...], fitting: columns) == expected[...])
    }
}
