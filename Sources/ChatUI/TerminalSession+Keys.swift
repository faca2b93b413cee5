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
            guard status != ERR else {
                keyDecoder.flush(now: .now)
                return (nil, sawKey)
            }
            let key: Key = status == KEY_CODE_YES ? .function(Int32(value)) : .character(value)
            if key == .function(KEY_RESIZE) {
                layout()
                continue
            }
            sawKey = true
            // The connection is gone: the first key ends input, after the user has read the last lines (Ctrl-Z
            // still suspends).
            if inputClosed, key != .character(26) { return (.endOfInput, true) }
            guard let event = decode(key) else { continue }
            let outcome = handle(event)
            // A key with the newest line in view: the user has seen the mentions and direct messages.
            if !scrollback.isScrolledBack && alerts.acknowledge() { dirty.status = true }
            if let outcome { return (outcome, true) }
        }
    }

    /// Feeds the decoder. A paste marker this terminal's entry names comes as a function key: it goes in as
    /// the bytes it stands for, so the decoder sees one kind of paste.
    private func decode(_ key: Key) -> KeyDecoder.Event? {
        guard case .function(let code) = key, let named = namedFunctionKeys[code],
            named == .pasteStart || named == .pasteEnd
        else { return keyDecoder.feed(key) }
        let bytes = named == .pasteStart ? "\u{1B}[200~" : "\u{1B}[201~"
        return bytes.unicodeScalars.compactMap { keyDecoder.feed(.character($0.value)) }.last
    }

    /// Applies one decoded key.
    func handle(_ event: KeyDecoder.Event) -> Outcome? {
        if pasteQuestion != nil {
            if case .paste(let text, let truncated) = event { return handlePaste(text, truncated: truncated) }
            return answerPasteQuestion(event)
        }
        if event == .key(.character(9)) {
            completeWord()
            return nil
        }
        completion = nil
        switch event {
        case .key(.character(let code)): return handleCharacter(code)
        case .key(.function(KEY_ENTER)): return submit()
        case .key(.function(let code)):
            if let named = namedFunctionKeys[code] ?? KeyDecoder.named(function: code) {
                handleNamed(named)
            } else {
                handleFunctionKey(code)
            }
            return nil
        case .meta(let code): return handleMeta(code)
        case .named(let named):
            handleNamed(named)
            return nil
        case .paste(let text, let truncated): return handlePaste(text, truncated: truncated)
        }
    }

    // MARK: - Keys

    private func handleCharacter(_ code: UInt32) -> Outcome? {
        switch code {
        case 3:  // Ctrl-C: clears a typed line (Up brings it back); on an empty line, ends input
            guard !editor.isEmpty else { return .endOfInput }
            history.record(editor.text)
            editor.replace(with: "")
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
        case 20: editor.transpose()  // Ctrl-T
        case 21: editor.deleteToStart()  // Ctrl-U
        case 23: editor.deleteWordBackward()  // Ctrl-W
        case 25: editor.yank()  // Ctrl-Y
        case 26: suspend(group: true)  // Ctrl-Z: raw mode makes it a key, not the terminal's SIGTSTP
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
        case KEY_BACKSPACE: editor.deleteBackward()
        case KEY_DC: editor.deleteForward()
        case KEY_UP: showOlderHistory()
        case KEY_DOWN: showNewerHistory()
        default: break
        }
        dirty.input = true
    }

    /// Alt with a character. An unbound one does nothing: it must not type its letter.
    private func handleMeta(_ code: UInt32) -> Outcome? {
        switch code {
        case 10, 13: return submit()  // Alt-Enter sends, like Enter
        case 0x62: editor.moveWordLeft()  // Alt-b
        case 0x66: editor.moveWordRight()  // Alt-f
        case 0x64: editor.deleteWordForward()  // Alt-d
        case 8, 127: editor.deleteAlphanumericWordBackward()  // Alt-Backspace
        default: break
        }
        dirty.input = true
        return nil
    }

    /// Home and End move in the input line when it has text, and through the output pane when it is empty
    /// (as their modified forms always do).
    private func handleNamed(_ named: KeyDecoder.Named) {
        switch named {
        case .home where editor.isEmpty, .scrollTop: scrollUp { $0.scrollToTop() }
        case .end where editor.isEmpty, .scrollBottom: scroll { $0.scrollToBottom() }
        case .home: editor.moveToStart()
        case .end: editor.moveToEnd()
        case .lineUp: scrollUp { $0.scroll(by: 1) }
        case .lineDown: scroll { $0.scroll(by: -1) }
        case .delete: editor.deleteForward()
        case .left: editor.moveLeft()
        case .right: editor.moveRight()
        case .wordLeft: editor.moveWordLeft()
        case .wordRight: editor.moveWordRight()
        case .up: showOlderHistory()
        case .down: showNewerHistory()
        case .pageUp: scrollUp { $0.pageUp() }
        case .pageDown: scroll { $0.pageDown() }
        case .insert, .pasteStart, .pasteEnd: break
        }
        dirty.input = true
    }

    private func submit() -> Outcome? {
        guard !editor.isEmpty else { return nil }
        let line = editor.text
        history.record(line)
        editor.replace(with: "")
        dirty.input = true
        // Whoever sends a line wants to see the conversation's end, and has read up to it.
        if scrollback.isScrolledBack || scrollback.markerIndex != nil {
            scroll {
                $0.scrollToBottom()
                $0.removeUnreadMarker()
            }
        }
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

    /// Scrolls towards older lines; at the top already, asks for older ones (`ChatUI.onScrollPastTop`), unless
    /// the scrollback is full and could not keep them.
    private func scrollUp(_ move: (inout Scrollback) -> Void) {
        if !scrollback.isAtTop {
            scroll(move)
        } else if scrollback.count < scrollback.capacity {
            scrolledPastTop?()
        }
    }

    private func repaint() {
        clearok(keyWindow, true)
        dirty = .all
    }
}
