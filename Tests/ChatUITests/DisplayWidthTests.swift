import Testing

@testable import ChatUI

@Suite struct DisplayWidthTests {
    @Test(
        arguments: [
            ("a", 1), ("~", 1), ("é", 1), ("ß", 1), ("Ж", 1),
            ("中", 2), ("あ", 2), ("한", 2), ("Ａ", 2), ("😀", 2), ("🎉", 2),
            ("\u{0301}", 0), ("\u{200B}", 0), ("\u{200D}", 0), ("\u{FE0F}", 0), ("\u{1160}", 0),
            ("\u{00AD}", 1), ("\u{1F1FA}", 1), ("\u{2764}", 1), ("\u{FFFD}", 1), ("\u{0007}", 0), ("\u{009B}", 0),
        ] as [(Character, Int)])
    func scalarWidth(character: Character, expected: Int) throws {
        let scalar = try #require(character.unicodeScalars.first)
        #expect(DisplayWidth.of(scalar) == expected)
    }

    @Test func asciiStringIsItsLength() {
        #expect(DisplayWidth.of("hello, world") == 12)
        #expect(DisplayWidth.of("") == 0)
    }

    @Test func cjkAndEmojiTakeTwoColumnsEach() {
        #expect(DisplayWidth.of("日本語") == 6)
        #expect(DisplayWidth.of("hi 😀!") == 6)
    }

    @Test func combiningMarksTakeNoColumn() {
        let decomposed = "e\u{0301}te\u{0301}"  // "été" with combining acute accents
        #expect(decomposed.count == 3)
        #expect(DisplayWidth.of(decomposed) == 3)
        #expect(DisplayWidth.of(Character("e\u{0301}")) == 1)
        #expect(DisplayWidth.of(Character("a\u{0301}\u{0302}\u{0303}")) == 1)
    }

    @Test func decomposedHangulSyllableTakesTwoColumns() {
        #expect(DisplayWidth.of(Character("\u{1100}\u{1161}\u{11A8}")) == 2)
    }

    @Test func characterWidthIsTheSumOfItsScalars() {
        // Two regional indicators make one flag character; curses gives each scalar its own cell.
        #expect(DisplayWidth.of(Character("\u{1F1FA}\u{1F1F8}")) == 2)
    }
}
