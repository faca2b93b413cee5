import CNcurses
import Testing

@testable import ChatUI

/// Issue 11: Alt keys typed their letter, and Home and End typed `[1~` and `[4~` under some TERM values.
@Suite struct KeyDecoderTests {
    private func decode(_ text: String) -> [KeyDecoder.Event] {
        var decoder = KeyDecoder()
        let events = text.unicodeScalars.compactMap { decoder.feed(.character($0.value)) }
        decoder.flush()
        return events
    }

    @Test func plainKeysPassThrough() {
        #expect(decode("ab") == [.key(.character(0x61)), .key(.character(0x62))])
    }

    @Test func altWithALetterIsOneMetaEvent() {
        #expect(decode("\u{1B}b\u{1B}d\u{1B}x") == [.meta(0x62), .meta(0x64), .meta(0x78)])
        #expect(decode("\u{1B}\r") == [.meta(13)])
        #expect(decode("\u{1B}\u{7F}") == [.meta(127)])
    }

    @Test(arguments: [
        ("\u{1B}[1~", KeyDecoder.Named.home), ("\u{1B}[4~", .end), ("\u{1B}[7~", .home), ("\u{1B}[8~", .end),
        ("\u{1B}[H", .home), ("\u{1B}[F", .end), ("\u{1B}OH", .home), ("\u{1B}OF", .end),
        ("\u{1B}[3~", .delete), ("\u{1B}[5~", .pageUp), ("\u{1B}[6~", .pageDown), ("\u{1B}[A", .up),
        ("\u{1B}OD", .left), ("\u{1B}[1;5D", .wordLeft), ("\u{1B}[1;5C", .wordRight), ("\u{1B}[1;3D", .wordLeft),
        ("\u{1B}[200~", .pasteStart), ("\u{1B}[201~", .pasteEnd),
    ])
    func sequencesCursesDidNotKnowAreNamedKeys(sequence: String, named: KeyDecoder.Named) {
        #expect(decode(sequence) == [.named(named)])
    }

    @Test func unknownSequencesTypeNothing() {
        #expect(decode("\u{1B}[99~\u{1B}[1;2Q\u{1B}[?5x") == [])
        #expect(decode("\u{1B}[99~a") == [.key(.character(0x61))])
    }

    @Test func aLoneEscapeOrACutSequenceIsDroppedAtTheFlush() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(.character(27)) == nil)
        decoder.flush()
        #expect(decoder.feed(.character(0x62)) == .key(.character(0x62)))
        #expect(decoder.feed(.character(27)) == nil)
        #expect(decoder.feed(.character(0x5B)) == nil)
        #expect(decoder.feed(.character(0x31)) == nil)
        decoder.flush()
        #expect(decoder.feed(.character(0x7E)) == .key(.character(0x7E)))
    }

    @Test func altWithAnArrowMovesByWords() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(.character(27)) == nil)
        #expect(decoder.feed(.function(KEY_LEFT)) == .named(.wordLeft))
        #expect(decoder.feed(.function(KEY_LEFT)) == .key(.function(KEY_LEFT)))
    }
}

@Suite struct WordEditingTests {
    @Test func altBAndAltFMoveByWords() {
        var editor = LineEditor(text: "hello, big world")
        editor.moveWordLeft()
        #expect(editor.cursor == 11)
        editor.moveWordLeft()
        #expect(editor.cursor == 7)
        editor.moveWordLeft()
        editor.moveWordLeft()
        #expect(editor.cursor == 0)
        editor.moveWordRight()
        #expect(editor.cursor == 5)
        editor.moveWordRight()
        #expect(editor.cursor == 10)
    }

    @Test func altDAndAltBackspaceDeleteWordsAndCtrlYYanksThem() {
        var editor = LineEditor(text: "one two three")
        editor.moveToStart()
        editor.deleteWordForward()
        #expect(editor.text == " two three")
        editor.moveToEnd()
        editor.deleteAlphanumericWordBackward()
        #expect(editor.text == " two ")
        editor.moveToStart()
        editor.yank()
        #expect(editor.text == "three two ")
        #expect(editor.cursor == 5)
    }

    @Test func ctrlWAndCtrlUAndCtrlKFillTheKillBuffer() {
        var editor = LineEditor(text: "say hi there")
        editor.deleteWordBackward()
        #expect(editor.killed == Array("there"))
        editor.deleteToStart()
        #expect(editor.killed == Array("say hi "))
        #expect(editor.isEmpty)
        editor.yank()
        #expect(editor.text == "say hi ")
    }

    @Test func ctrlTSwapsTheTwoCharactersAroundTheCursor() {
        var editor = LineEditor(text: "abdc")
        editor.transpose()
        #expect(editor.text == "abcd")
        editor.moveToStart()
        editor.moveRight()
        editor.transpose()
        #expect(editor.text == "bacd")
        #expect(editor.cursor == 2)
        var single = LineEditor(text: "a")
        single.transpose()
        #expect(single.text == "a")
    }
}
