import CNcurses

extension TerminalSession {
    /// A key from `wget_wch`: a character, or a function key (`KEY_LEFT`, ...).
    enum Key: Equatable {
        case character(UInt32)
        case function(Int32)
    }

    /// Reads every key available without waiting (`wget_wch` in `nodelay` mode) and applies it.
    ///
    /// - Returns: a line or the end of input if a key produced one (later keys stay queued for the next
    ///   call), and whether any key came at all.
    func readKeys() -> (outcome: Outcome?, sawKey: Bool) {
        var sawKey = false
        var value: wint_t = 0
        while true {
            let status = wget_wch(keyWindow, &value)
            guard status != ERR else { return (nil, sawKey) }
            let key: Key = status == KEY_CODE_YES ? .function(Int32(value)) : .character(value)
            if key == .function(KEY_RESIZE) {
                layout()
                continue
            }
            sawKey = true
            // The connection is gone: the first key ends input, after the user has read the last lines.
            if inputClosed { return (.endOfInput, true) }
            if let outcome = handle(key) { return (outcome, true) }
        }
    }

    /// Applies one key.
    func handle(_ key: Key) -> Outcome? {
        switch key {
        case .character(let code): return handleCharacter(code)
        case .function(KEY_ENTER): return submit()
        case .function(let code):
            handleFunctionKey(code)
            return nil
        }
    }

    // MARK: - Keys

    private func handleCharacter(_ code: UInt32) -> Outcome? {
        switch code {
        case 3: return .endOfInput  // Ctrl-C
        case 4:  // Ctrl-D: end of input on an empty line, else delete like readline
            if editor.isEmpty { return .endOfInput }
            editor.deleteForward()
        case 10, 13: return submit()
        case 1: editor.moveToStart()  // Ctrl-A
        case 2: editor.moveLeft()  // Ctrl-B
        case 5: editor.moveToEnd()  // Ctrl-E
        case 6: editor.moveRight()  // Ctrl-F
        case 8, 127: editor.deleteBackward()  // Ctrl-H, DEL
        case 11: editor.deleteToEnd()  // Ctrl-K
        case 12: repaint()  // Ctrl-L
        case 14: showNewerHistory()  // Ctrl-N
        case 16: showOlderHistory()  // Ctrl-P
        case 21: editor.deleteToStart()  // Ctrl-U
        case 23: editor.deleteWordBackward()  // Ctrl-W
        case 0..<32: break  // other control keys, a lone Escape
        default:
            if let scalar = Unicode.Scalar(code) { editor.insert(String(scalar)) }
        }
        dirty.input = true
        return nil
    }

    private func handleFunctionKey(_ code: Int32) {
        switch code {
        case KEY_LEFT: editor.moveLeft()
        case KEY_RIGHT: editor.moveRight()
        case KEY_HOME: editor.moveToStart()
        case KEY_END: editor.moveToEnd()
        case KEY_BACKSPACE: editor.deleteBackward()
        case KEY_DC: editor.deleteForward()
        case KEY_UP: showOlderHistory()
        case KEY_DOWN: showNewerHistory()
        case KEY_PPAGE: scroll { $0.pageUp() }
        case KEY_NPAGE: scroll { $0.pageDown() }
        default: break
        }
        dirty.input = true
    }

    private func submit() -> Outcome? {
        guard !editor.isEmpty else { return nil }
        let line = editor.text
        history.record(line)
        editor.replace(with: "")
        dirty.input = true
        // Whoever sends a line wants to see the conversation's end.
        if scrollback.isScrolledBack { scroll { $0.scrollToBottom() } }
        return .line(line)
    }

    private func showOlderHistory() {
        if let line = history.previous(current: editor.text) { editor.replace(with: line) }
    }

    private func showNewerHistory() {
        if let line = history.next(current: editor.text) { editor.replace(with: line) }
    }

    private func scroll(_ move: (inout Scrollback) -> Void) {
        move(&scrollback)
        dirty.output = true
        dirty.status = true
    }

    private func repaint() {
        clearok(keyWindow, true)
        dirty = .all
    }
}
