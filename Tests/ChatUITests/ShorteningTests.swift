import Testing

@testable import ChatUI

/// Issue 11: the status bar cut at narrow widths showed a wrong port (`:4710` for 47101) with no ellipsis,
/// and at 10 columns the prompt ran into the text.
@Suite struct ShorteningTests {
    @Test(arguments: [
        (" pat@localhost:47101 in lobby", 40, " pat@localhost:47101 in lobby"),
        (" pat@localhost:47101 in lobby", 29, " pat@localhost:47101 in lobby"),
        (" pat@localhost:47101 in lobby", 28, " pat@localhost:47101 in lob…"),
        (" pat@localhost:47101 in lobby", 20, " pat@localhost:…"),
        (" pat@localhost:47101 in lobby", 17, " pat@localhost:…"),
        (" pat@localhost:47101 in lobby", 2, " …"),
        (" pat@localhost:47101 in lobby", 1, "…"),
        (" pat@localhost:47101 in lobby", 0, ""),
        (" 日本語", 4, " 日…"),
    ])
    func statusIsCutWithAnEllipsisAndNeverMidNumber(text: String, columns: Int, expected: String) {
        let shown = Shortening.fitted(text, columns: columns)
        #expect(shown == expected)
        #expect(DisplayWidth.of(shown) <= columns)
    }

    @Test(arguments: [
        ("leslie> ", 20, "leslie> "),
        ("leslie> ", 8, "leslie> "),
        ("leslie> ", 7, "lesl…> "),
        ("leslie> ", 5, "le…> "),
        ("leslie> ", 4, "l…> "),
        ("leslie> ", 3, "> "),
        ("leslie> ", 1, ">"),
        ("leslie> ", 0, ""),
    ])
    func promptKeepsItsSeparator(prompt: String, columns: Int, expected: String) {
        let shown = Shortening.prompt(prompt, columns: columns)
        #expect(shown == expected)
        #expect(DisplayWidth.of(shown) <= columns)
    }
}
