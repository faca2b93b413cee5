import CNcurses

/// Turns the keys curses reports into editing events.
///
/// Alt (Meta) combinations arrive as Escape and then the key; escape sequences that curses does not know
/// for this `TERM` (Home as `ESC [ 1 ~` under some entries, Ctrl-Left as `ESC [ 1 ; 5 D`, a bracketed
/// paste's `ESC [ 200 ~`) arrive one byte at a time. Both become one event here, so no unbound key ever
/// types text. Pure state, fed one key at a time; `flush()` after the last key curses has ready.
struct KeyDecoder {
    /// What a key or a sequence of keys means.
    enum Event: Equatable {
        /// A key on its own.
        case key(TerminalSession.Key)
        /// Alt with a character (`Alt-b` is `.meta(0x62)`, Alt-Backspace `.meta(127)`, Alt-Enter `.meta(13)`).
        case meta(UInt32)
        /// A key that came as an escape sequence, or Alt with a function key.
        case named(Named)
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
    }

    private static let escape: UInt32 = 27

    private var state = State.idle

    /// The event `key` completes, or nil while a sequence is under way (or a sequence meant nothing).
    mutating func feed(_ key: TerminalSession.Key) -> Event? {
        switch (state, key) {
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

    /// Ends what is pending when no more keys are ready: a lone Escape, or a sequence cut short, means nothing.
    mutating func flush() {
        state = .idle
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
            return Self.sequence(body, final: Character(scalar)).map(Event.named)
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
