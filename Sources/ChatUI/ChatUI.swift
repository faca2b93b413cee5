import CNcurses
import ChatSystem
import ChatText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The terminal chat UI: a scrolling output pane, a one-line status bar and an input line, over ncurses.
///
/// Mirrors the assignment's `chatui` module (`init_windows`, `read_command`, `print_message`,
/// `end_windows`). Only the thread inside `readCommand(_:)` (the input thread) ever calls curses. Other
/// threads call `printMessage(_:style:)`, `setStatus(_:)` and `closeInput()`, which queue their request in
/// a lock (`Locked`) and write one byte to a wake-up pipe; `readCommand(_:)` sleeps in `poll(2)` on the terminal,
/// that pipe and a SIGWINCH pipe, so an idle UI uses no CPU.
///
/// `initWindows()`, `readCommand(_:)` and `endWindows()` belong to the input thread. Lines printed before
/// `initWindows()` are kept and shown by the first `readCommand(_:)`. At `endWindows()`, lines not yet on
/// screen, and every line printed afterwards, go to standard output (sanitized, one per line), so nothing
/// is lost and nothing is written while curses owns the screen.
public final class ChatUI: Sendable {
    /// The scrollback keeps this many lines.
    public static let scrollbackCapacity = 10_000

    private let mailbox = Locked(Mailbox(capacity: ChatUI.scrollbackCapacity))
    /// What Tab completes from (nicks, commands); set from any thread.
    public let completions = CompletionSource()
    private let wakePipe: WakeupPipe?
    private let pipeError: ChatUIError?
    // The curses state. Only the input thread uses it; the lock makes that checked rather than assumed
    // (a second thread calling in waits for the input thread instead of racing it).
    private let session: Locked<TerminalSession>

    /// A UI that uses colours as `colors` says, as far as the terminal has them (`has_colors(3X)`, `COLORS`):
    /// pass `.none` when `NO_COLOR` is set. With `bell`, a mention or a direct message rings the terminal
    /// bell (`beep(3X)`), once until the user's next key (see `AlertPolicy`).
    public init(colors: ColorMode = .auto, bell: Bool = true) {
        do {
            wakePipe = try WakeupPipe()
            pipeError = nil
        } catch {
            wakePipe = nil
            pipeError = .wakePipeFailed(errno: error.rawValue)
        }
        let terminal = TerminalSession(colors: colors, bell: bell, capacity: ChatUI.scrollbackCapacity)
        terminal.completions = completions
        session = Locked(terminal)
    }

    /// Takes over the terminal: `setlocale(3)`, `newterm(3X)` on standard input and output, raw mode, no echo,
    /// colours, then the output pane above, the status bar and the input line at the bottom. Does nothing
    /// when already on.
    ///
    /// - Throws: `ChatUIError.terminalUnavailable` when standard input or output is not a terminal or
    ///   `TERM` is unknown (curses' `initscr` would exit the process instead).
    public func initWindows() throws(ChatUIError) {
        guard let wakePipe else { throw pipeError ?? .wakePipeFailed(errno: 0) }
        try session.withLock { (session) throws(ChatUIError) in try session.start() }
        let wake = mailbox.withLock { mailbox in
            mailbox.phase = .active
            return mailbox.pending.lines.isEmpty ? false : mailbox.markWake()
        }
        if wake { wakePipe.wake() }
    }

    /// Why this terminal cannot carry the full screen, or nil when it can: checked before connecting, with
    /// `setupterm(3X)` on standard output and the `cup` (cursor addressing) capability. `TERM=dumb`, an
    /// unknown `TERM` or a missing one each get a reason.
    public static func terminalProblem() -> String? {
        guard let name = getenv("TERM").map({ String(cString: $0) }), !name.isEmpty else {
            return "TERM is not set"
        }
        var status: Int32 = 0
        guard setupterm(nil, STDOUT_FILENO, &status) == OK else {
            return "unknown terminal type '\(name)' (TERM)"
        }
        // newterm loads the entry again; this copy is only for the question.
        defer { del_curterm(set_curterm(nil)) }
        // tigetstr gives nil for an absent capability and (char *)-1 for one that is not a string.
        let cursorAddress = tigetstr("cup")
        guard let cursorAddress, Int(bitPattern: cursorAddress) != -1 else {
            return "TERM=\(name) cannot move the cursor"
        }
        return nil
    }

    /// Reads one line typed on the input line, after `prompt` (e.g. `pat> `); blocks until Enter.
    ///
    /// Meanwhile it shows queued output and handles editing keys, history, scrolling and resizes. An empty
    /// line is not returned (Enter on it does nothing); the text comes back as typed, without a newline.
    ///
    /// A non-empty `draft` starts the input line with that text (a line the caller could not use yet).
    ///
    /// - Returns: nil at the end of input: Ctrl-C, Ctrl-D on an empty line, the terminal hanging up, the
    ///   first key after `closeInput()`, or when the UI is not on (before `initWindows()`, after
    ///   `endWindows()`).
    ///
    /// A line of a multi-line paste comes back as it was pasted; `readInput(_:draft:)` tells it apart.
    public func readCommand(_ prompt: String, draft: String = "") -> String? {
        readInput(prompt, draft: draft)?.text
    }

    /// `readCommand(_:draft:)`, saying whether the line was typed or is one line of a multi-line paste,
    /// which the caller should send as text, never run as a command (`InputLine`).
    public func readInput(_ prompt: String, draft: String = "") -> InputLine? {
        guard let wakePipe else { return nil }
        let outcome = session.withLock { session in
            session.readCommand(prompt: DisplaySanitizer.sanitized(prompt), draft: draft, wakePipe: wakePipe) {
                mailbox.withLock { $0.collect() }
            }
        }
        switch outcome {
        case .line(let text): return .typed(text)
        case .pasted(let text): return .pasted(text)
        case .endOfInput: return nil
        }
    }

    /// Puts back `line`, a pasted line (`InputLine.pasted`) the caller could not send (no connection), in front
    /// of the pasted lines not yet returned, and asks about them all again (`paste 3 lines? (y/n)`): `y` tries
    /// them again, `n` drops them, and nothing pasted is lost unseen. Input thread only.
    public func holdPaste(_ line: String) {
        session.withLock { $0.holdPaste(line) }
    }

    /// Asks `question` on the input line (in place of the prompt) and returns the answer typed, nil at the end
    /// of input (Ctrl-C, Ctrl-D, `interrupt()`). A `hidden` answer (a password) is not drawn. Answers never
    /// enter the input history, and the line being edited before is put back afterwards. Input thread only,
    /// after `initWindows()`; like `readCommand(_:)`, it shows queued output meanwhile.
    public func ask(_ question: String, hidden: Bool = false) -> String? {
        guard let wakePipe else { return nil }
        return session.withLock { session in
            session.ask(question: DisplaySanitizer.sanitized(question), hidden: hidden, wakePipe: wakePipe) {
                mailbox.withLock { $0.collect() }
            }
        }
    }

    /// Adds a line to the output pane; safe from any thread, returns at once. `text` needs no newline.
    ///
    /// The text is sanitized here (control characters become U+FFFD, format characters go), so nothing
    /// printed can move the cursor or change the terminal. A newline in `text` shows as U+FFFD: print one
    /// line per call. A `style.stamp` goes before the text, one space apart.
    public func printMessage(_ text: String, style: MessageStyle = .plain) {
        var style = style
        style.nick = style.nick.map(DisplaySanitizer.sanitized)
        style.stamp = style.stamp.map(DisplaySanitizer.sanitized)
        let line = (style.stamp.map { "\($0) " } ?? "") + DisplaySanitizer.sanitized(text)
        let wake = mailbox.withLock { mailbox -> Bool? in
            guard mailbox.phase != .ended else { return nil }
            return mailbox.post(line, style: style)
        }
        switch wake {
        case nil: Self.writeToStandardOutput([line])
        case true?: wakePipe?.wake()
        case false?: break
        }
    }

    /// Adds lines older than every line in the output pane above them (`lines` oldest first), leaving the
    /// view where it is: the answer to `onScrollPastTop`. Safe from any thread; sanitized as `printMessage`.
    /// Beyond the scrollback's capacity the oldest of them are left out. Dropped after `endWindows()`.
    public func printOlderMessages(_ lines: [(text: String, style: MessageStyle)]) {
        let sanitized = lines.map { line in
            var style = line.style
            style.nick = style.nick.map(DisplaySanitizer.sanitized)
            return (text: DisplaySanitizer.sanitized(line.text), style: style)
        }
        let wake = mailbox.withLock { mailbox in
            mailbox.phase == .ended ? false : mailbox.postOlder(sanitized)
        }
        if wake { wakePipe?.wake() }
    }

    /// Empties the output pane (`/clear`): lines printed before this call are gone, later ones show.
    /// Safe from any thread.
    public func clear() {
        let wake = mailbox.withLock { mailbox in
            mailbox.phase == .ended ? false : mailbox.postClear()
        }
        if wake { wakePipe?.wake() }
    }

    /// Sets what to call (on the input thread, from inside `readCommand(_:)`) when PgUp, Home or a line
    /// scroll goes up while the output pane already shows its oldest line, and the scrollback has room for
    /// more: the caller may then fetch older lines and give them to `printOlderMessages(_:)`. Call it before
    /// `initWindows()`; the handler must return quickly and must not call `readCommand(_:)`.
    public func onScrollPastTop(_ handler: @escaping @Sendable () -> Void) {
        session.withLock { $0.scrolledPastTop = handler }
    }

    /// Sets the status bar text (server, room, connection state); safe from any thread. The UI adds, on the
    /// right, pending alerts (`[mention: leslie] [DM: chris]`) and a "more below" mark while the output pane
    /// is scrolled back.
    public func setStatus(_ text: String) {
        let status = DisplaySanitizer.sanitized(text)
        let wake = mailbox.withLock { mailbox in
            mailbox.pending.status = status
            return mailbox.markWake()
        }
        if wake { wakePipe?.wake() }
    }

    /// Replaces the prompt of the line being read (the nick changed); safe from any thread. The next
    /// `readCommand(_:)` sets its own prompt as before.
    public func setPrompt(_ prompt: String) {
        let prompt = DisplaySanitizer.sanitized(prompt)
        let wake = mailbox.withLock { mailbox in
            mailbox.pending.prompt = prompt
            return mailbox.markWake()
        }
        if wake { wakePipe?.wake() }
    }

    /// Says the input is over (the connection is gone); safe from any thread. The next key press makes
    /// `readCommand(_:)` return nil, so the user can read the last lines first.
    public func closeInput() {
        let wake = mailbox.withLock { mailbox in
            mailbox.pending.inputClosed = true
            return mailbox.markWake()
        }
        if wake { wakePipe?.wake() }
    }

    /// Ends input at once, without waiting for a key (a termination signal); safe from any thread.
    /// `readCommand(_:)` returns nil now and every later call does too.
    public func interrupt() {
        let wake = mailbox.withLock { mailbox in
            mailbox.pending.interrupted = true
            return mailbox.markWake()
        }
        if wake { wakePipe?.wake() }
    }

    /// Gives the terminal back: `endwin(3X)`, `delscreen(3X)`, the SIGWINCH handler restored. Then lines not
    /// yet shown go to standard output, as will any printed later. Safe to call more than once and
    /// without `initWindows()`; call it from the input thread, on every exit path.
    public func endWindows() {
        session.withLock { $0.end() }
        let unshown = mailbox.withLock { mailbox in
            mailbox.phase = .ended
            return mailbox.collect().lines.map(\.text)
        }
        Self.writeToStandardOutput(unshown)
    }

    /// One write for all the lines; a failure (a closed standard output) loses them, as it would any output.
    private static func writeToStandardOutput(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        var bytes = Array(lines.joined(separator: "\n").utf8)
        bytes.append(UInt8(ascii: "\n"))
        try? DescriptorOutput.writeAll(bytes, to: STDOUT_FILENO)
    }
}
