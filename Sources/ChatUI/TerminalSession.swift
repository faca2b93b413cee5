import CNcurses

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A curses window.
typealias Window = UnsafeMutablePointer<WINDOW>

/// Everything curses: the screen, the three windows, and the state they show. The only caller of curses.
///
/// Lives inside `ChatUI`'s session lock (`Locked`), so one thread at a time uses it: the input thread.
final class TerminalSession {
    /// What a key or the end of input makes `readCommand` do.
    enum Outcome: Equatable {
        case line(String)
        /// A line of a multi-line paste: text to send as it is, never a command (see `PastePolicy`).
        case pasted(String)
        case endOfInput
    }

    /// Which windows need drawing.
    struct Dirty {
        var output = false
        var status = false
        var input = false

        static let all = Dirty(output: true, status: true, input: true)
        var isEmpty: Bool { !output && !status && !input }
    }

    /// Output is drawn at most this often during a flood; keys are drawn at once.
    static let minimumRedrawInterval = Duration.milliseconds(30)

    let colors: ColorMode
    /// The colours in use after `start`; nil without colour.
    var palette: NickPalette?
    /// Pending mentions and direct messages, and when the bell last rang.
    var alerts: AlertPolicy
    var screen: OpaquePointer?
    var outputWindow: Window?
    var statusWindow: Window?
    var inputWindow: Window?
    var previousResizeHandler: SignalHandler?
    var previousJobControl: JobControlSignal.Previous?

    var editor = LineEditor()
    var history = InputHistory()
    var keyDecoder = KeyDecoder()
    /// Keys this terminal's entry defines beyond curses' own codes (Ctrl-Left as `kLFT5`), by code.
    var namedFunctionKeys: [Int32: KeyDecoder.Named] = [:]
    var scrollback: Scrollback
    /// Called when a scroll key goes up past the oldest line held (see `ChatUI.onScrollPastTop`).
    var scrolledPastTop: (@Sendable () -> Void)?
    var status = ""
    var prompt = ""
    /// The input line's text is not drawn (a password being typed; see `ask`).
    var hidesInput = false
    /// Inside `ask`: a paste goes onto the answer line, never out as messages; Tab completes nothing and the
    /// prompt stays the question.
    var isAsking = false
    /// A paste waiting for its y/n answer, and the pasted lines still to return one by one.
    var pasteQuestion: (lines: [String], truncated: Bool)?
    var pastedLines: ArraySlice<String> = []
    /// What Tab completes from; `ChatUI` shares it with the threads that set it.
    var completions = CompletionSource()
    /// The run of Tabs in progress, ended by any other key.
    var completion: TabCompletion?
    var inputClosed = false
    /// Set by `ChatUI.interrupt()`: input ends now, without waiting for a key.
    var interrupted = false
    var dirty = Dirty.all
    var lastOutputRedraw = ContinuousClock.now
    /// What stands in for a character libc cannot show (`?` when the locale is not UTF-8).
    var replacement: Unicode.Scalar = "\u{FFFD}"

    init(colors: ColorMode, bell: Bool, capacity: Int) {
        self.colors = colors
        alerts = AlertPolicy(bell: bell)
        scrollback = Scrollback(capacity: capacity, width: 80, height: 24)
    }

    /// The window keys are read from: the input line, or `stdscr` if it could not be made.
    var keyWindow: Window { inputWindow ?? cnc_stdscr() }

    // MARK: - Start and end

    /// `setlocale`, `newterm`, raw mode, colours, windows. See `ChatUI.initWindows()`.
    func start() throws(ChatUIError) {
        guard screen == nil else { return }
        setUpLocale()
        previousResizeHandler = ResizeSignal.install()
        previousJobControl = JobControlSignal.install()
        guard let screen = newterm(nil, cnc_stdout(), cnc_stdin()) else {
            ResizeSignal.restore(previousResizeHandler)
            previousJobControl.map(JobControlSignal.restore)
            throw .terminalUnavailable(term: getenv("TERM").map { String(cString: $0) } ?? "")
        }
        self.screen = screen
        // raw, not cbreak: Ctrl-C and Ctrl-Z arrive as keys, so Ctrl-C ends input cleanly instead of
        // killing the process with the terminal still in curses mode.
        raw()
        noecho()
        _ = set_escdelay(25)
        _ = curs_set(1)
        keypad(cnc_stdscr(), true)
        nodelay(cnc_stdscr(), true)
        findModifiedArrowKeys()
        setUpColors()
        layout()
        render()
        BracketedPaste.enable()
    }

    /// `endwin`, `delscreen`, SIGWINCH handler back. See `ChatUI.endWindows()`.
    func end() {
        guard let screen else { return }
        deleteWindows()
        // Keys typed or pasted after the last line read (a paste that ends in /q) would reach the shell and
        // run there: discard them (flushinp empties curses' queue and the terminal's, tcflush).
        flushinp()
        BracketedPaste.disable()
        endwin()
        delscreen(screen)
        self.screen = nil
        ResizeSignal.restore(previousResizeHandler)
        previousResizeHandler = nil
        previousJobControl.map(JobControlSignal.restore)
        previousJobControl = nil
    }

    private func setUpLocale() {
        setlocale(LC_ALL, "")
        // Curses needs a UTF-8 locale to show anything but ASCII; fall back to C.UTF-8 under LANG=C.
        if cnc_wcwidth(0x4E00) != 2 { setlocale(LC_CTYPE, "C.UTF-8") }
        replacement = cnc_wcwidth(0xFFFD) == 1 ? "\u{FFFD}" : "?"
    }

    /// The codes curses gives Ctrl- and Alt-Left/Right, -Up/Down and -Home/End, and the paste markers, where
    /// the terminal's entry names them (`key_defined`; xterm's `kLFT5`, `kUP3`, `kHOM5`, ...).
    private func findModifiedArrowKeys() {
        var sequences: [(String, KeyDecoder.Named)] = [("\u{1B}[200~", .pasteStart), ("\u{1B}[201~", .pasteEnd)]
        for modifier in ["3", "5"] {
            sequences += [
                ("\u{1B}[1;\(modifier)D", .wordLeft), ("\u{1B}[1;\(modifier)C", .wordRight),
                ("\u{1B}[1;\(modifier)A", .lineUp), ("\u{1B}[1;\(modifier)B", .lineDown),
                ("\u{1B}[1;\(modifier)H", .scrollTop), ("\u{1B}[1;\(modifier)F", .scrollBottom),
            ]
        }
        for (sequence, named) in sequences {
            let code = key_defined(sequence)
            if code > 0 { namedFunctionKeys[code] = named }
        }
    }

    private func setUpColors() {
        guard colors != .none, has_colors() else { return }
        start_color()
        guard let palette = NickPalette.palette(for: colors, colors: Int(cnc_colors()), pairs: Int(cnc_color_pairs()))
        else { return }
        // The terminal's own background behind coloured nicks, when it can keep it.
        let background: Int16 = use_default_colors() == OK ? -1 : Int16(COLOR_BLACK)
        for (slot, color) in palette.nickColors.enumerated() {
            init_pair(palette.nickPair(slot: slot), color, background)
        }
        init_pair(palette.directMessagePair, NickPalette.directMessageColor, background)
        self.palette = palette
    }

    // MARK: - Layout

    /// Makes the windows for the current screen size: the output pane on top, the status bar (when there
    /// are at least 3 rows), the input line at the bottom; re-flows the scrollback to the new width.
    func layout() {
        deleteWindows()
        let rows = Int(cnc_getmaxy(cnc_stdscr()))
        let columns = max(1, Int(cnc_getmaxx(cnc_stdscr())))
        let statusRows = rows >= 3 ? 1 : 0
        let outputRows = max(0, rows - 1 - statusRows)
        // newwin takes 0 rows to mean "to the bottom of the screen", so empty windows are not made.
        if outputRows > 0 { outputWindow = newwin(Int32(outputRows), Int32(columns), 0, 0) }
        if statusRows > 0 { statusWindow = newwin(1, Int32(columns), Int32(outputRows), 0) }
        inputWindow = newwin(1, Int32(columns), Int32(max(0, rows - 1)), 0)
        if let inputWindow {
            keypad(inputWindow, true)
            nodelay(inputWindow, true)
        }
        scrollback.resize(width: columns, height: outputRows)
        // The old contents are unknown after a resize: repaint the whole screen.
        clearok(keyWindow, true)
        dirty = .all
    }

    /// After SIGWINCH: reads the size with `ioctl(TIOCGWINSZ)`, tells curses (`resizeterm`), lays out again.
    func handleResizeSignal() {
        ResizeSignal.drain()
        var size = winsize()
        let known =
            cnc_get_window_size(STDOUT_FILENO, &size) == 0 || cnc_get_window_size(STDIN_FILENO, &size) == 0
        if known, size.ws_row > 0, size.ws_col > 0 {
            resizeterm(Int32(size.ws_row), Int32(size.ws_col))
        }
        layout()
    }

    private func deleteWindows() {
        for window in [outputWindow, statusWindow, inputWindow] {
            if let window { delwin(window) }
        }
        outputWindow = nil
        statusWindow = nil
        inputWindow = nil
    }
}

@available(*, unavailable)
extension TerminalSession: Sendable {}
