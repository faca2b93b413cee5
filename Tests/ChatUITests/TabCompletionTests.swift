import Testing

@testable import ChatUI

@Suite struct TabCompletionTests {
    static let candidates = TabCompletion.Candidates(
        nicks: ["chris", "leslie", "Lee", "東京", "Re\u{301}my"],
        commands: ["help", "join", "leave", "me", "msg", "nick", "q", "quit"])

    /// One Tab on `line` with the cursor at `|`; the line after it with the cursor at `|`.
    static func tab(_ marked: String, times: Int = 1) -> String? {
        var line = Array(marked)
        let cursor = line.firstIndex(of: "|") ?? line.count
        line.removeAll { $0 == "|" }
        guard var completion = TabCompletion(line: line, cursor: cursor, candidates: candidates) else { return nil }
        for _ in 1..<times { completion.advance() }
        var result = completion.line
        result.insert("|", at: completion.cursor)
        return String(result)
    }

    @Test func aNickAtTheLineStartGetsAColon() {
        #expect(Self.tab("ch") == "chris: |")
    }

    @Test func aNickElsewhereGetsABlank() {
        #expect(Self.tab("ask ch") == "ask chris |")
        #expect(Self.tab("/msg les") == "/msg leslie |")
        #expect(Self.tab("/msg le hi") == nil)  // the word before the cursor is "hi": no nick starts so
        #expect(Self.tab("/msg le| hi") == "/msg leslie |hi")
    }

    @Test func aCommandAfterTheLeadingSlash() {
        #expect(Self.tab("/jo") == "/join |")
        #expect(Self.tab("/JO") == "/join |")
        #expect(Self.tab("/q", times: 2) == "/quit |")
        #expect(Self.tab("say /jo") == nil)
        #expect(Self.tab("//jo") == nil)
    }

    /// Repeated Tabs go through the matches in the candidates' order, then back to the first.
    @Test func repeatedTabsCycleThroughTheMatches() {
        #expect(Self.tab("le", times: 1) == "leslie: |")
        #expect(Self.tab("le", times: 2) == "Lee: |")
        #expect(Self.tab("le", times: 3) == "leslie: |")
        #expect(Self.tab("/m", times: 2) == "/msg |")
    }

    @Test func nothingToCompleteIsNil() {
        #expect(Self.tab("") == nil)
        #expect(Self.tab("hi ") == nil)
        #expect(Self.tab("zz") == nil)
    }

    /// Text after the cursor stays; a blank already there is not doubled.
    @Test func textAfterTheCursorStays() {
        #expect(Self.tab("ch|how are you") == "chris: |how are you")
        #expect(Self.tab("ch| how are you") == "chris: |how are you")
    }

    /// Case is ignored, characters compare canonically (é typed precomposed matches e + U+0301), and the
    /// registered spelling replaces what was typed.
    @Test func caseAndCanonicalEquivalence() {
        #expect(Self.tab("LES") == "leslie: |")
        #expect(Self.tab("ré") == "Re\u{301}my: |")
        #expect(Self.tab("東") == "東京: |")
        #expect(Self.tab("re") == nil)  // e is not é
    }

    /// Through the editor: the cursor lands after the completion, in columns as wide as the text.
    @Test func theEditorShowsTheCompletionWithWideCharacters() throws {
        var editor = LineEditor(text: "hi 東")
        let completion = try #require(
            TabCompletion(line: editor.characters, cursor: editor.cursor, candidates: Self.candidates))
        editor.replace(with: completion.line, cursor: completion.cursor)
        #expect(editor.text == "hi 東京 ")
        #expect(editor.cursor == 6)
        #expect(editor.layout(columns: 40) == LineEditor.Layout(visible: 0..<6, cursorColumn: 8))
        // A combining mark stays in its character: the cursor counts characters, the layout columns.
        var accented = LineEditor(text: "rÉ")
        let second = try #require(
            TabCompletion(line: accented.characters, cursor: accented.cursor, candidates: Self.candidates))
        accented.replace(with: second.line, cursor: second.cursor)
        #expect(accented.text == "Re\u{301}my: ")
        #expect(accented.cursor == 6)
        #expect(accented.layout(columns: 40).cursorColumn == 6)
    }
}
