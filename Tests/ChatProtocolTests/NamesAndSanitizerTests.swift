import Testing

@testable import ChatProtocol

@Suite struct NamesTests {
    @Test(arguments: [
        "pat", "Pat_99", "[x]", "a.b-c", "{|^}", "é", "e\u{301}", "日本語", "Ωμέγα",
        String(repeating: "a", count: 32), "٣",
    ])
    func validNames(_ name: String) {
        #expect(Names.isValid(name))
    }

    @Test(arguments: [
        "", "pat smith", "a\tb", "pat!", "\u{301}e", String(repeating: "a", count: 33), "a\u{200B}b",
        "a\u{202E}b", "😀", "a/b", "a@b", "a\u{0}",
    ])
    func invalidNames(_ name: String) {
        #expect(!Names.isValid(name))
    }

    @Test func thirtyTwoScalarsNotGraphemes() {
        // 16 letters with a combining mark each: 32 scalars, 16 graphemes, valid; one more mark is not.
        let name = String(repeating: "e\u{301}", count: 16)
        #expect(Names.isValid(name))
        #expect(!Names.isValid(name + "\u{301}"))
    }

    @Test func keysFoldCaseAndNormalization() {
        #expect(Names.key("Pat") == Names.key("pat"))
        #expect(Names.key("\u{E9}") == Names.key("e\u{301}"))
        #expect(Names.key("\u{C9}") == Names.key("e\u{301}"))
        #expect(Names.key("pat") != Names.key("pet"))
        #expect(Array(Names.key("E\u{301}").unicodeScalars) == ["\u{E9}"])
    }

    @Test func everyPunctuationCharacterIsAllowed() {
        #expect(Names.punctuation.count == 9)
        for character in Names.punctuation {
            #expect(Names.isValid("a\(character)b"))
            #expect(Names.allows(character.unicodeScalars.first!, atStart: true))
        }
        #expect(Names.ruleDescription == "1-32 letters, digits, or _-.[]{}|^")
    }

    @Test func marksAreAllowedOnlyAfterTheStart() {
        #expect(Names.allows("\u{301}", atStart: false))
        #expect(!Names.allows("\u{301}", atStart: true))
        #expect(!Names.allows("!", atStart: false))
    }

    @Test func listOrder() {
        let sorted = ["pat", "Chris", "leslie", "chris", "Bob"].sorted(by: Names.areInOrder)
        #expect(sorted == ["Bob", "Chris", "chris", "leslie", "pat"])
    }
}

@Suite struct SanitizerTests {
    @Test func relayReplacesControlCharacters() {
        #expect(Sanitizer.forRelay("plain text") == "plain text")
        #expect(Sanitizer.forRelay("a\tb") == "a b")
        #expect(
            Sanitizer.forRelay("bell\u{7}esc\u{1B}[2Jnul\u{0}del\u{7F}c1\u{9B}")
                == "bell\u{FFFD}esc\u{FFFD}[2Jnul\u{FFFD}del\u{FFFD}c1\u{FFFD}")
        #expect(Sanitizer.forRelay("line\nbreak\r") == "line\u{FFFD}break\u{FFFD}")
        #expect(Sanitizer.forRelay("é 😀 \u{202E}") == "é 😀 \u{202E}")
    }

    @Test func excerptIsDisplaySafeAndShort() {
        #expect(Sanitizer.excerpt("\u{1B}[31mred") == "\u{FFFD}[31mred")
        #expect(Sanitizer.excerpt("a\u{202E}b\u{2028}c") == "ab c")
        #expect(
            Sanitizer.excerpt(String(repeating: "x", count: 50), limit: 40) == String(repeating: "x", count: 40) + "…")
    }

    /// IC-20: at most 40 Unicode scalars (not graphemes, not bytes), then `…`; sanitized for display first.
    @Test func excerptCutsAtFortyScalarsAndMarksTheCut() {
        let forty = String(repeating: "a", count: 40)
        #expect(Sanitizer.excerpt(forty) == forty)
        #expect(Sanitizer.excerpt(forty + "b") == forty + "\u{2026}")
        #expect(Sanitizer.excerpt(String(repeating: "a", count: 60_000)) == forty + "\u{2026}")
        #expect(Sanitizer.excerpt("") == "")
        // 41 scalars in 21 graphemes: the cut falls between a letter and its combining mark.
        let combining = "x" + String(repeating: "e\u{301}", count: 20)
        #expect(Sanitizer.excerpt(combining).unicodeScalars.count == 41)
        #expect(Sanitizer.excerpt(combining) == "x" + String(repeating: "e\u{301}", count: 19) + "e\u{2026}")
        // Four-byte scalars count once each.
        #expect(Sanitizer.excerpt(String(repeating: "😀", count: 41)) == String(repeating: "😀", count: 40) + "\u{2026}")
        #expect(Sanitizer.excerpt("abcdef", limit: 3) == "abc\u{2026}")
    }

    @Test func excerptIsSanitizedBeforeItIsCut() {
        // Controls become U+FFFD, a tab a space, and count as one scalar each.
        #expect(Sanitizer.excerpt("a\u{1B}[2J\tb\n") == "a\u{FFFD}[2J b\u{FFFD}")
        let controls = String(repeating: "\u{7}", count: 50)
        #expect(Sanitizer.excerpt(controls) == String(repeating: "\u{FFFD}", count: 40) + "\u{2026}")
        // Format characters (bidi overrides, zero-width) are dropped before counting: 40 letters remain, no cut.
        let hidden = String(repeating: "a\u{202E}\u{200B}", count: 40)
        #expect(Sanitizer.excerpt(hidden) == String(repeating: "a", count: 40))
        #expect(Sanitizer.excerpt(hidden + "z") == String(repeating: "a", count: 40) + "\u{2026}")
    }
}
