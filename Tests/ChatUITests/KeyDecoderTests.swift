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

/// Issue 11, item 7: the scrollback keys under xterm, tmux/screen and rxvt, sent as sequences curses did not
/// know (tmux's `screen` entry names none of them) or as the codes xterm's entry gives curses.
@Suite struct ScrollKeyDecodingTests {
    private func decode(_ text: String) -> [KeyDecoder.Event] {
        var decoder = KeyDecoder()
        let events = text.unicodeScalars.compactMap { decoder.feed(.character($0.value)) }
        decoder.flush()
        return events
    }

    @Test(arguments: [
        // xterm and tmux: Shift-, Alt- and Ctrl-Up/Down.
        ("\u{1B}[1;2A", KeyDecoder.Named.lineUp), ("\u{1B}[1;2B", .lineDown), ("\u{1B}[1;3A", .lineUp),
        ("\u{1B}[1;3B", .lineDown), ("\u{1B}[1;5A", .lineUp), ("\u{1B}[1;5B", .lineDown),
        // xterm: Ctrl-, Alt- and Shift-Home/End; vt220 forms with a modifier.
        ("\u{1B}[1;5H", .scrollTop), ("\u{1B}[1;5F", .scrollBottom), ("\u{1B}[1;3H", .scrollTop),
        ("\u{1B}[1;3F", .scrollBottom), ("\u{1B}[1;2H", .scrollTop), ("\u{1B}[1;2F", .scrollBottom),
        ("\u{1B}[1;5~", .scrollTop), ("\u{1B}[4;5~", .scrollBottom), ("\u{1B}[7;3~", .scrollTop),
        // rxvt: Shift-Up/Down, Ctrl-Up/Down, Ctrl-Home/End, Shift-Home/End; Alt is an Escape before.
        ("\u{1B}[a", .lineUp), ("\u{1B}[b", .lineDown), ("\u{1B}Oa", .lineUp), ("\u{1B}Ob", .lineDown),
        ("\u{1B}[7^", .scrollTop), ("\u{1B}[8^", .scrollBottom), ("\u{1B}[7$", .scrollTop),
        ("\u{1B}[8$", .scrollBottom), ("\u{1B}\u{1B}[A", .lineUp), ("\u{1B}\u{1B}[B", .lineDown),
        ("\u{1B}\u{1B}[7~", .scrollTop), ("\u{1B}\u{1B}[8~", .scrollBottom), ("\u{1B}\u{1B}[D", .wordLeft),
        ("\u{1B}Od", .wordLeft), ("\u{1B}Oc", .wordRight),
        // Unmodified, they stay what they were: Home and End for the input line (or the pane when it is empty).
        ("\u{1B}[1;1H", .home), ("\u{1B}[7~", .home), ("\u{1B}[8~", .end), ("\u{1B}OA", .up),
        ("\u{1B}[5;5~", .pageUp), ("\u{1B}[6^", .pageDown),
    ])
    func scrollSequences(sequence: String, named: KeyDecoder.Named) {
        #expect(decode(sequence) == [.named(named)])
    }

    @Test func nothingTypesTextAndTheNextKeyIsItself() {
        #expect(
            decode("\u{1B}[1;2A\u{1B}[7$x\u{1B}[9^y") == [
                .named(.lineUp), .named(.scrollTop), .key(.character(0x78)), .key(.character(0x79)),
            ])
        #expect(decode("\u{1B}\u{1B}x") == [.meta(0x78)])
    }

    @Test func altWithTheCursesCodesOfArrowsAndHomeEndScrolls() {
        var decoder = KeyDecoder()
        for (code, named) in [
            (KEY_UP, KeyDecoder.Named.lineUp), (KEY_DOWN, .lineDown), (KEY_HOME, .scrollTop), (KEY_END, .scrollBottom),
        ] {
            #expect(decoder.feed(.character(27)) == nil)
            #expect(decoder.feed(.function(code)) == .named(named))
        }
        #expect(decoder.feed(.function(KEY_UP)) == .key(.function(KEY_UP)))
    }

    @Test func theCodesXtermsEntryGivesCursesAreNamed() {
        #expect(KeyDecoder.named(function: KEY_SR) == .lineUp)
        #expect(KeyDecoder.named(function: KEY_SF) == .lineDown)
        #expect(KeyDecoder.named(function: KEY_SHOME) == .scrollTop)
        #expect(KeyDecoder.named(function: KEY_SEND) == .scrollBottom)
        #expect(KeyDecoder.named(function: KEY_HOME) == .home)
        #expect(KeyDecoder.named(function: KEY_PPAGE) == .pageUp)
        #expect(KeyDecoder.named(function: KEY_UP) == nil)
    }
}
