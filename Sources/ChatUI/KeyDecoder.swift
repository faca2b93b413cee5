import CNcurses

/// Turns the keys curses reports into editing events.
///
/// Alt (Meta) combinations arrive as Escape and then the key; escape sequences that curses does not know
/// for this `TERM` (Home as `ESC [ 1 ~` under some entries, Ctrl-Left as `ESC [ 1 ; 5 D`, a bracketed
/// paste's `ESC [ 200 ~`) arrive one byte at a time. Both become one event here, so no unbound key ever
/// types text. A bracketed paste (`ESC [ 200 ~` text `ESC [ 201 ~`), however many reads it spans, is one
/// `.paste` event. Pure state, fed one key at a time; `flush(now:)` after the last key curses has ready, and
/// `expire(now:)` once its `deadline` has passed.
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
        /// After `ESC [` or `ESC O`: the parameter and intermediate bytes so far.
        case sequence(introducer: UInt32, body: String)
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
        case (.escape, .character(Self.escape)):
            return nil  // Escape pressed twice: still one pending Escape
        case (.escape, .character(let code)) where code == 0x5B || code == 0x4F:  // [ O
            state = .sequence(introducer: code, body: "")
            return nil
        case (.escape, .character(let code)):
            state = .idle
            return .meta(code)
        case (.escape, .function(let code)):
            state = .idle
            return Self.metaFunction(code)
        case (.sequence(let introducer, let body), .character(let code)):
            return continueSequence(introducer: introducer, body: body, code: code)
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
        case .escape, .sequence: deadline = now + Self.sequenceTimeout
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

    private mutating func continueSequence(introducer: UInt32, body: String, code: UInt32) -> Event? {
        guard let scalar = Unicode.Scalar(code) else {
            state = .idle
            return nil
        }
        switch code {
        case 0x20...0x3F:  // parameter and intermediate bytes
            state = .sequence(introducer: introducer, body: body + String(scalar))
            return nil
        case 0x40...0x7E:  // the final byte
            state = .idle
            switch Self.sequence(body, final: Character(scalar)) {
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

    /// Alt with a function key: Alt-Left and Alt-Right move by words, Alt-Backspace deletes one.
    private static func metaFunction(_ code: Int32) -> Event {
        switch code {
        case KEY_LEFT: .named(.wordLeft)
        case KEY_RIGHT: .named(.wordRight)
        case KEY_BACKSPACE: .meta(127)
        default: .key(.function(code))
        }
    }

    /// The key a complete `CSI`/`SS3` sequence stands for; nil for one that means nothing here.
    static func sequence(_ body: String, final: Character) -> Named? {
        // The modifier parameter: `1;5D` is Ctrl-Left, `1;3D` Alt-Left.
        let parameters = body.split(separator: ";", omittingEmptySubsequences: false)
        let modified = parameters.count > 1 && parameters[1] != "1"
        switch final {
        case "A": return .up
        case "B": return .down
        case "C": return modified ? .wordRight : .right
        case "D": return modified ? .wordLeft : .left
        case "H": return .home
        case "F": return .end
        case "~":
            switch parameters.first ?? "" {
            case "1", "7": return .home
            case "4", "8": return .end
            case "2": return .insert
            case "3": return .delete
            case "5": return .pageUp
            case "6": return .pageDown
            case "200": return .pasteStart
            case "201": return .pasteEnd
            default: return nil
            }
        default: return nil
        }
    }
}
