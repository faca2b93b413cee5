import ChatText
import Testing

@Suite struct DisplaySanitizerTests {
    @Test func printableTextIsUnchanged() {
        let text = "pat: hows it going? 日本 😀 e\u{0301}"
        #expect(DisplaySanitizer.sanitized(text) == text)
    }

    @Test func controlCharactersBecomeReplacementCharacters() {
        #expect(DisplaySanitizer.sanitized("a\u{1B}[2Jb") == "a\u{FFFD}[2Jb")
        #expect(DisplaySanitizer.sanitized("one\ntwo\r") == "one\u{FFFD}two\u{FFFD}")
        #expect(DisplaySanitizer.sanitized("\u{9B}31m\u{7F}") == "\u{FFFD}31m\u{FFFD}")
        #expect(DisplaySanitizer.sanitized("\u{0}") == "\u{FFFD}")
    }

    @Test func tabBecomesSpace() {
        #expect(DisplaySanitizer.sanitized("a\tb") == "a b")
    }

    @Test func formatCharactersAreDropped() {
        #expect(DisplaySanitizer.sanitized("abc\u{202E}def\u{200B}g\u{2066}h\u{FEFF}") == "abcdefgh")
    }

    @Test func lineAndParagraphSeparatorsBecomeSpaces() {
        #expect(DisplaySanitizer.sanitized("a\u{2028}b\u{2029}c") == "a b c")
    }

    @Test func sanitizedTextHoldsNothingThatMovesTheCursor() {
        let all = String(String.UnicodeScalarView((0..<0x300).compactMap(Unicode.Scalar.init)))
        let result = DisplaySanitizer.sanitized(all + "\u{2028}\u{202A}\u{200F}")
        for scalar in result.unicodeScalars {
            let category = scalar.properties.generalCategory
            #expect(category != .control && category != .format && category != .lineSeparator)
            #expect(category != .paragraphSeparator)
        }
    }

    @Test func inputKeepsOnlyPrintableScalars() {
        #expect(DisplaySanitizer.isAllowedInInput("a"))
        #expect(DisplaySanitizer.isAllowedInInput("中"))
        #expect(DisplaySanitizer.isAllowedInInput("\u{0301}"))
        #expect(!DisplaySanitizer.isAllowedInInput("\t"))
        #expect(!DisplaySanitizer.isAllowedInInput("\u{1B}"))
        #expect(!DisplaySanitizer.isAllowedInInput("\u{202E}"))
        #expect(!DisplaySanitizer.isAllowedInInput("\u{2028}"))
    }

    @Test func displayRemovesEverythingThatMovesTheCursor() {
        #expect(DisplaySanitizer.sanitized("\u{1B}[31mred") == "\u{FFFD}[31mred")
        #expect(DisplaySanitizer.sanitized("a\u{202E}b\u{200B}c\u{2066}d") == "abcd")
        #expect(DisplaySanitizer.sanitized("a\u{2028}b\u{2029}c") == "a b c")
        #expect(DisplaySanitizer.sanitized("tab\there") == "tab here")
        #expect(DisplaySanitizer.sanitized("日本 é 😀") == "日本 é 😀")
    }

    @Test func sanitizingTwiceChangesNothing() {
        let once = DisplaySanitizer.sanitized("a\u{1B}b\u{202E}c\u{2028}d\te\u{85}")
        #expect(DisplaySanitizer.sanitized(once) == once)
    }
}
