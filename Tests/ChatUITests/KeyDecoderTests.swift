import CNcurses
import Testing

@testable import ChatUI

/// Issue 11: Alt keys typed their letter, and Home and End typed `[1~` and `[4~` under some TERM values.
@Suite struct KeyDecoderTests {
    private func decode(_ text: String) -> [KeyDecoder.Event] {
        var decoder = KeyDecoder()
        let events = text.unicodeScalars.compactMap { decoder.feed(.character($0.value)) }
        decoder.flush(now: .now)
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
    ])
    func sequencesCursesDidNotKnowAreNamedKeys(sequence: String, named: KeyDecoder.Named) {
        #expect(decode(sequence) == [.named(named)])
    }

    @Test func unknownSequencesTypeNothing() {
        #expect(decode("\u{1B}[99~\u{1B}[1;2Q\u{1B}[?5x") == [])
        #expect(decode("\u{1B}[99~a") == [.key(.character(0x61))])
    }

    @Test func aLoneEscapeOrACutSequenceIsDroppedWhenNoKeyFollowsInTime() {
        let now = ContinuousClock.now
        var decoder = KeyDecoder()
        #expect(decoder.feed(.character(27)) == nil)
        decoder.flush(now: now)
        #expect(decoder.deadline == now + KeyDecoder.sequenceTimeout)
        #expect(decoder.expire(now: now + KeyDecoder.sequenceTimeout) == nil)
        #expect(decoder.feed(.character(0x62)) == .key(.character(0x62)))
        #expect(decoder.feed(.character(27)) == nil)
        #expect(decoder.feed(.character(0x5B)) == nil)
        #expect(decoder.feed(.character(0x31)) == nil)
        decoder.flush(now: now)
        #expect(decoder.expire(now: now + .milliseconds(10)) == nil)
        #expect(decoder.expire(now: now + KeyDecoder.sequenceTimeout) == nil)
        #expect(decoder.deadline == nil)
        #expect(decoder.feed(.character(0x7E)) == .key(.character(0x7E)))
    }

    @Test func aSequenceSplitBetweenReadsIsOneKey() {
        var decoder = KeyDecoder()
        for code: UInt32 in [27, 0x5B, 0x31] { #expect(decoder.feed(.character(code)) == nil) }
        decoder.flush(now: .now)
        #expect(decoder.feed(.character(0x7E)) == .named(.home))
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

/// Issue 11 item 4: a bracketed paste is one event with its text, however the terminal's reads split it.
@Suite struct PasteDecodingTests {
    private static let start = "\u{1B}[200~"
    private static let end = "\u{1B}[201~"

    /// Feeds `reads` one after another, flushing after each as the UI does when no key is ready.
    private func decode(_ reads: [String], at now: ContinuousClock.Instant = .now) -> [KeyDecoder.Event] {
        var decoder = KeyDecoder()
        var events: [KeyDecoder.Event] = []
        for read in reads {
            events += read.unicodeScalars.compactMap { decoder.feed(.character($0.value)) }
            decoder.flush(now: now)
        }
        return events
    }

    @Test func aPasteIsOneEventWithItsText() {
        #expect(
            decode(["\(Self.start)one\rtwo\(Self.end)x"]) == [
                .paste("one\rtwo", truncated: false), .key(.character(0x78)),
            ])
    }

    @Test func aPasteSplitAtEveryOffsetIsTheSameEvent() {
        let whole = "a\(Self.start)line 1\r\u{1B}[31mred\u{1B}[2\tend\(Self.end)b"
        let expected = decode([whole])
        #expect(
            expected == [
                .key(.character(0x61)), .paste("line 1\r\u{1B}[31mred\u{1B}[2\tend", truncated: false),
                .key(.character(0x62)),
            ])
        let scalars = Array(whole.unicodeScalars)
        for cut in 1..<scalars.count {
            let reads = [
                String(String.UnicodeScalarView(scalars[..<cut])), String(String.UnicodeScalarView(scalars[cut...])),
            ]
            #expect(decode(reads) == expected, "cut at \(cut)")
        }
    }

    @Test func aPasteOverManyReadsIsOneEvent() {
        let text = (1...500).map { "line \($0)" }.joined(separator: "\r")
        let scalars = Array("\(Self.start)\(text)\(Self.end)".unicodeScalars)
        let reads = stride(from: 0, to: scalars.count, by: 7).map {
            String(String.UnicodeScalarView(scalars[$0..<min($0 + 7, scalars.count)]))
        }
        #expect(decode(reads) == [.paste(text, truncated: false)])
    }

    @Test func keysInsideAPasteAreText() {
        // Alt-x, Ctrl-C, an arrow's sequence: text while pasting, not keys.
        let text = "\u{1B}x\u{03}\u{1B}[A\u{1B}[200~"
        #expect(decode(["\(Self.start)\(text)\(Self.end)"]) == [.paste(text, truncated: false)])
    }

    @Test func anEndMarkerWithoutAStartTypesNothing() {
        #expect(decode(["\(Self.end)a"]) == [.key(.character(0x61))])
    }

    @Test func anUnterminatedPasteEndsAfterTheTimeout() {
        let now = ContinuousClock.now
        var decoder = KeyDecoder()
        for scalar in "\(Self.start)half a paste\u{1B}[20".unicodeScalars {
            #expect(decoder.feed(.character(scalar.value)) == nil)
        }
        decoder.flush(now: now)
        #expect(decoder.isPasting)
        #expect(decoder.deadline == now + KeyDecoder.pasteTimeout)
        #expect(decoder.expire(now: now + .milliseconds(999)) == nil)
        // A later read pushes the deadline on.
        #expect(decoder.feed(.character(0x21)) == nil)
        decoder.flush(now: now + .milliseconds(900))
        #expect(decoder.expire(now: now + .milliseconds(1_500)) == nil)
        #expect(decoder.expire(now: now + .milliseconds(1_900)) == .paste("half a paste\u{1B}[20!", truncated: false))
        #expect(!decoder.isPasting)
        #expect(decoder.feed(.character(0x61)) == .key(.character(0x61)))
    }

    @Test func anEndMarkerCutShortByTheTimeoutIsText() {
        let now = ContinuousClock.now
        var decoder = KeyDecoder()
        for scalar in "\(Self.start)x\u{1B}[20".unicodeScalars { _ = decoder.feed(.character(scalar.value)) }
        decoder.flush(now: now)
        #expect(decoder.expire(now: now + KeyDecoder.pasteTimeout) == .paste("x\u{1B}[20", truncated: false))
    }

    @Test func aHugePasteIsBoundedInMemory() {
        var decoder = KeyDecoder()
        for scalar in Self.start.unicodeScalars { _ = decoder.feed(.character(scalar.value)) }
        // 600 KB of pasted text, two bytes a character: the decoder keeps the first 256 KiB.
        let character = UInt32(("é" as Unicode.Scalar).value)
        var events = 0
        for _ in 0..<300_000 where decoder.feed(.character(character)) != nil { events += 1 }
        #expect(events == 0)
        var last: KeyDecoder.Event?
        for scalar in Self.end.unicodeScalars { last = decoder.feed(.character(scalar.value)) }
        guard case .paste(let text, let truncated)? = last else {
            Issue.record("no paste event")
            return
        }
        #expect(truncated)
        #expect(text.utf8.count == KeyDecoder.pasteCapacity)
    }
}

/// Issue 11, item 7: the scrollback keys under xterm, tmux/screen and rxvt, sent as sequences curses did not
/// know (tmux's `screen` entry names none of them) or as the codes xterm's entry gives curses.
@Suite struct ScrollKeyDecodingTests {
    private func decode(_ text: String) -> [KeyDecoder.Event] {
        var decoder = KeyDecoder()
        let events = text.unicodeScalars.compactMap { decoder.feed(.character($0.value)) }
        decoder.flush(now: .now)
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
