import CNcurses

/// Turns the keys curses reports into editing events.
///
/// Alt (Meta) combinations arrive as Escape and then the key; escape sequences that curses does not know
/// for this `TERM` (Home as `ESC [ 1 ~` under some entries, Ctrl-Left as `ESC [ 1 ; 5 D`, a bracketed
/// paste's `ESC [ 200 ~`) arrive one byte at a time. Both become one event here, so no unbound key ever
/// types text. A bracketed paste (`ESC [ 200 ~` text `ESC [ 201 ~`), however many reads it spans, is one
/// `.paste` event. Pure state, fed one key at a time; `flush(now:)` after the last key curses has ready, and
/// `expire(now:)` once its `deadline` has passed.
///
/// Modified keys follow xterm (`ESC [ 1 ; 2 A` is Shift-Up: any modifier parameter but 1 counts), rxvt
/// (`ESC [ a` Shift-Up, `ESC O a` Ctrl-Up, `ESC [ 7 ^` Ctrl-Home, `ESC [ 7 $` Shift-Home) and an Escape
/// before a sequence (`ESC ESC [ A`, Alt-Up in rxvt and screen).
struct KeyDecoder {
    /// What a key or a sequence of keys means.
    enum Event: Equatable {
        /// A key on its own.
        case key(TerminalSession.Key)
        /// Alt with a character (`Alt-b` is `.meta(0x62)`, Alt-Backspace `.meta(127)`, Alt-Enter `.meta(13)`).
        case meta(UInt32)
        /// A key that came as an escape sequence, or Alt with a function key.
        case named(Named)
        /// A bracketed paste's text, as it came (line breaks, tabs, controls and all; see `PastePolicy`).
        /// `truncated`: it was longer than `pasteCapacity` and the rest was dropped.
        case paste(String, truncated: Bool)
    }

    /// Keys known by name.
    enum Named: Equatable {
        case home, end, insert, delete, pageUp, pageDown, up, down, left, right
        /// A modified Up (Shift, Alt or Ctrl): the output pane one row up.
        case lineUp
        /// A modified Down: the output pane one row down.
        case lineDown
        /// A modified Home (Ctrl-Home, Alt-Home, Shift-Home): the oldest line of the output pane.
        case scrollTop
        /// A modified End: the newest line of the output pane.
        case scrollBottom
        /// Ctrl-Left, Alt-Left.
        case wordLeft
        /// Ctrl-Right, Alt-Right.
        case wordRight
        /// `ESC [ 200 ~`: a bracketed paste begins.
        case pasteStart
        /// `ESC [ 201 ~`: a bracketed paste ends.
        case pasteEnd
    }

    private enum State: Equatable {
        case idle
        case escape
        /// Escape twice: Alt with whatever follows.
        case doubleEscape
        /// After `ESC [` or `ESC O`: the parameter and intermediate bytes so far; `alt` after a second Escape.
        case sequence(introducer: UInt32, body: String, alt: Bool)
        /// Inside a bracketed paste.
        case paste
    }

    /// A paste keeps at most this many bytes of text (UTF-8): a runaway paste (a log file, a binary) costs
    /// bounded memory. 256 KiB is thousands of chat lines, more than anyone means to send at once.
    static let pasteCapacity = 256 * 1024
    /// A paste whose end marker never comes (a terminal that lost it) ends after this long without a key.
    static let pasteTimeout = Duration.seconds(1)
    /// A sequence cut short by the end of a read waits this long for its rest (curses' own `ESCDELAY` is
    /// 25 ms), then means nothing: a lone Escape pressed on its own types nothing.
    static let sequenceTimeout = Duration.milliseconds(50)

    private static let escape: UInt32 = 27
    /// `ESC [ 201 ~`, which ends a paste.
    private static let pasteEndMarker: [UInt32] = [27, 0x5B, 0x32, 0x30, 0x31, 0x7E]

    private var state = State.idle
    /// The paste under way: its text so far, how many bytes that is, whether some was dropped, and how
    /// much of the end marker has been seen.
    private var pasted = String.UnicodeScalarView()
    private var pastedBytes = 0
    private var pasteTruncated = false
    private var markerMatched = 0
    /// When what is pending (a sequence cut short, a paste under way) ends if no key comes before: set by
    /// `flush(now:)`, acted on by `expire(now:)`.
    private(set) var deadline: ContinuousClock.Instant?

    /// Whether a bracketed paste has begun and not ended.
    var isPasting: Bool { state == .paste }

    /// The event `key` completes, or nil while a sequence or a paste is under way (or a sequence meant
    /// nothing).
    mutating func feed(_ key: TerminalSession.Key) -> Event? {
        deadline = nil
        switch (state, key) {
        case (.paste, _):
            return continuePaste(key)
        case (.idle, .character(Self.escape)):
            state = .escape
            return nil
        case (.idle, _):
            return .key(key)
        case (.escape, .character(Self.escape)), (.doubleEscape, .character(Self.escape)):
            state = .doubleEscape  // Escape pressed twice, or Alt with a sequence: see what follows
            return nil
        case (.escape, .character(let code)) where code == 0x5B || code == 0x4F:  // [ O
            state = .sequence(introducer: code, body: "", alt: false)
            return nil
        case (.doubleEscape, .character(let code)) where code == 0x5B || code == 0x4F:
            state = .sequence(introducer: code, body: "", alt: true)
            return nil
        case (.escape, .character(let code)), (.doubleEscape, .character(let code)):
            state = .idle
            return .meta(code)
        case (.escape, .function(let code)), (.doubleEscape, .function(let code)):
            state = .idle
            return Self.metaFunction(code)
        case (.sequence(let introducer, let body, let alt), .character(let code)):
            return continueSequence(introducer: introducer, body: body, alt: alt, code: code)
        case (.sequence, .function):
            state = .idle  // a broken sequence: drop it, and the key with it
            return nil
        }
    }

    /// Notes that no more keys are ready at `now`. What is pending may go on in the next read (a sequence
    /// split between two reads, a paste over many): it waits until `deadline`.
    mutating func flush(now: ContinuousClock.Instant) {
        switch state {
        case .idle: deadline = nil
        case .escape, .doubleEscape, .sequence: deadline = now + Self.sequenceTimeout
        case .paste: deadline = now + Self.pasteTimeout
        }
    }

    /// Once `now` is past the deadline: a lone Escape or a sequence cut short means nothing, and a paste
    /// whose end marker never came ends as it is.
    mutating func expire(now: ContinuousClock.Instant) -> Event? {
        guard let deadline, now >= deadline else { return nil }
        self.deadline = nil
        guard state == .paste else {
            state = .idle
            return nil
        }
        // A marker cut short is text after all.
        for code in Self.pasteEndMarker.prefix(markerMatched) { appendToPaste(code) }
        return finishPaste()
    }

    // MARK: - Paste

    private mutating func startPaste() {
        state = .paste
        pasted = String.UnicodeScalarView()
        pastedBytes = 0
        pasteTruncated = false
        markerMatched = 0
    }

    private mutating func continuePaste(_ key: TerminalSession.Key) -> Event? {
        // Keys curses decoded inside a paste (an arrow's sequence in pasted text) are not text.
        guard case .character(let code) = key else { return nil }
        if code == Self.pasteEndMarker[markerMatched] {
            markerMatched += 1
            return markerMatched == Self.pasteEndMarker.count ? finishPaste() : nil
        }
        // Not the marker after all: what matched so far is text (only its first byte is an Escape, so the
        // key itself can only begin a new match).
        for matched in Self.pasteEndMarker.prefix(markerMatched) { appendToPaste(matched) }
        markerMatched = 0
        if code == Self.escape {
            markerMatched = 1
        } else {
            appendToPaste(code)
        }
        return nil
    }

    private mutating func appendToPaste(_ code: UInt32) {
        guard let scalar = Unicode.Scalar(code) else { return }
        let size = UTF8.width(scalar)
        guard pastedBytes + size <= Self.pasteCapacity else {
            pasteTruncated = true
            return
        }
        pasted.append(scalar)
        pastedBytes += size
    }

    private mutating func finishPaste() -> Event {
        let event = Event.paste(String(pasted), truncated: pasteTruncated)
        state = .idle
        pasted = String.UnicodeScalarView()
        pastedBytes = 0
        markerMatched = 0
        return event
    }

    private mutating func continueSequence(introducer: UInt32, body: String, alt: Bool, code: UInt32) -> Event? {
        guard let scalar = Unicode.Scalar(code) else {
            state = .idle
            return nil
        }
        switch code {
        // rxvt ends Shift-Home and friends with `$`, elsewhere an intermediate byte; after digits it ends them.
        case 0x24 where introducer == 0x5B && !body.isEmpty && body.allSatisfy { ("0"..."9").contains($0) }:
            state = .idle
            return Self.sequence(body, final: "$", alt: alt).map(Event.named)
        case 0x20...0x3F:  // parameter and intermediate bytes
            state = .sequence(introducer: introducer, body: body + String(scalar), alt: alt)
            return nil
        case 0x40...0x7E:  // the final byte
            state = .idle
            switch Self.sequence(body, final: Character(scalar), alt: alt) {
            case .pasteStart?:
                startPaste()
                return nil
            case .pasteEnd?: return nil  // an end without a start: nothing was pasted
            case let named?: return .named(named)
            case nil: return nil
            }
        default:
            state = .idle
            return nil
        }
    }

    /// Alt with a function key: Alt-Left and Alt-Right move by words, Alt-Backspace deletes one, Alt-Up and
    /// Alt-Down scroll a row, Alt-Home and Alt-End jump to the oldest and newest line.
    private static func metaFunction(_ code: Int32) -> Event {
        switch code {
        case KEY_LEFT: .named(.wordLeft)
        case KEY_RIGHT: .named(.wordRight)
        case KEY_UP: .named(.lineUp)
        case KEY_DOWN: .named(.lineDown)
        case KEY_HOME: .named(.scrollTop)
        case KEY_END: .named(.scrollBottom)
        case KEY_BACKSPACE: .meta(127)
        default: .key(.function(code))
        }
    }

    /// The key a complete `CSI`/`SS3` sequence stands for; nil for one that means nothing here. `alt`: an
    /// Escape came before the sequence.
    static func sequence(_ body: String, final: Character, alt: Bool = false) -> Named? {
        // The modifier parameter: `1;5D` is Ctrl-Left, `1;3D` Alt-Left, `1;2A` Shift-Up.
        let parameters = body.split(separator: ";", omittingEmptySubsequences: false)
        let modified = alt || (parameters.count > 1 && parameters[1] != "1")
        switch final {
        case "A": return modified ? .lineUp : .up
        case "B": return modified ? .lineDown : .down
        case "C": return modified ? .wordRight : .right
        case "D": return modified ? .wordLeft : .left
        case "H": return modified ? .scrollTop : .home
        case "F": return modified ? .scrollBottom : .end
        // rxvt: `ESC [ a` is Shift-Up, `ESC O a` Ctrl-Up; c and d, Right and Left.
        case "a": return .lineUp
        case "b": return .lineDown
        case "c": return .wordRight
        case "d": return .wordLeft
        case "~": return editingKey(parameters.first ?? "", modified: modified)
        // rxvt: `^` ends a Ctrl- and `$` a Shift- editing key (`ESC [ 7 ^` is Ctrl-Home).
        case "^", "$": return editingKey(parameters.first ?? "", modified: true)
        default: return nil
        }
    }

    /// The key a curses function key code stands for, where it is one of the named keys: the keypad keys and
    /// those xterm's entry names for Shift-Up (`KEY_SR`), Shift-Down (`KEY_SF`), Shift-Home and Shift-End.
    static func named(function code: Int32) -> Named? {
        switch code {
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_SR: .lineUp
        case KEY_SF: .lineDown
        case KEY_SHOME: .scrollTop
        case KEY_SEND: .scrollBottom
        default: nil
        }
    }

    /// The vt220 editing keys, `ESC [ n ~`.
    private static func editingKey(_ number: Substring, modified: Bool) -> Named? {
        switch number {
        case "1", "7": modified ? .scrollTop : .home
        case "4", "8": modified ? .scrollBottom : .end
        case "2": .insert
        case "3": .delete
        case "5": .pageUp
        case "6": .pageDown
        case "200": .pasteStart
        case "201": .pasteEnd
        default: nil
        }
    }
}
