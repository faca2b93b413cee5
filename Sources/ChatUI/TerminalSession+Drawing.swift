import CNcurses

extension TerminalSession {
    /// Draws the dirty windows with `wnoutrefresh`, then updates the terminal once with `doupdate`. The
    /// input line is refreshed last so that the cursor ends up on it.
    func render(onlyInput: Bool = false) {
        if !onlyInput {
            if dirty.output { drawOutput() }
            if dirty.status { drawStatus() }
            dirty.output = false
            dirty.status = false
            lastOutputRedraw = .now
        }
        drawInput()
        dirty.input = false
        doupdate()
    }

    // MARK: - Windows

    private func drawOutput() {
        guard let window = outputWindow else { return }
        werase(window)
        for (row, line) in scrollback.visibleRows().enumerated() {
            wmove(window, Int32(row), Int32(line.indent))
            drawRow(line, in: window)
        }
        wnoutrefresh(window)
    }

    private func drawRow(_ row: Scrollback.Row, in window: Window) {
        let style = row.line.style
        let attributes = lineAttributes(style)
        // A direct message's text is drawn in its own colour, or underlined where there is no colour.
        let textPair = style.isDirectMessage ? palette?.directMessagePair ?? 0 : 0
        var rest = row.line.text[row.range]
        if let nickEnd = row.line.nickEnd, let nick = style.nick, row.range.lowerBound < nickEnd {
            // A stamp before the nick keeps the line's own attributes.
            let start = min(max(row.line.bodyStart, row.range.lowerBound), row.range.upperBound)
            put(row.line.text[row.range.lowerBound..<start], in: window, attributes: attributes)
            let end = min(nickEnd, row.range.upperBound)
            let pair = palette?.pair(for: nick) ?? 0
            put(row.line.text[start..<end], in: window, attributes: attributes | cnc_a_bold(), pair: pair)
            rest = row.line.text[end..<row.range.upperBound]
        }
        put(rest, in: window, attributes: attributes, pair: textPair)
    }

    private func lineAttributes(_ style: MessageStyle) -> attr_t {
        var attributes = cnc_a_normal()
        if style.isNotice { attributes |= cnc_a_dim() }
        if style.isOwn { attributes |= cnc_a_bold() }
        if style.isMention { attributes |= cnc_a_reverse() }
        if style.isDirectMessage && palette == nil { attributes |= cnc_a_underline() }
        return attributes
    }

    /// The status bar in reverse video: the caller's text on the left; pending alerts and "more below" (while
    /// the output pane is scrolled back) on the right.
    private func drawStatus() {
        guard let window = statusWindow else { return }
        let text = StatusBarText.compose(
            status: status, alert: alerts.statusText, scrolledBack: scrollback.isScrolledBack,
            unseen: scrollback.unseenLines, columns: Int(cnc_getmaxx(window)))
        werase(window)
        wmove(window, 0, 0)
        put(text, in: window, attributes: cnc_a_reverse())
        wnoutrefresh(window)
    }

    /// The prompt, the visible part of the line being typed, and the cursor in it; `<` after the prompt and
    /// `>` in the last column when text is scrolled out of view on that side. While a paste is being asked
    /// about, the question stands in for the prompt and the typed text waits unseen.
    private func drawInput() {
        guard let window = inputWindow else { return }
        let columns = Int(cnc_getmaxx(window))
        // A long prompt gives way to the text: it keeps at most half the row.
        let shownPrompt = Shortening.prompt(pastePrompt ?? prompt, columns: max(0, columns - max(2, columns / 2)))
        let promptWidth = DisplayWidth.of(shownPrompt)
        var layout = editor.layout(columns: columns - promptWidth)
        if hidesInput || pasteQuestion != nil { layout = LineEditor.Layout(visible: 0..<0, cursorColumn: 0) }
        werase(window)
        wmove(window, 0, 0)
        put(shownPrompt, in: window, attributes: cnc_a_normal())
        if layout.scrolledLeft { put("<", in: window, attributes: cnc_a_normal()) }
        put(editor.characters[layout.visible], in: window, attributes: cnc_a_normal())
        if layout.scrolledRight {
            wmove(window, 0, Int32(columns - 1))
            put(">", in: window, attributes: cnc_a_normal())
        }
        wmove(window, 0, Int32(promptWidth + layout.cursorColumn))
        wnoutrefresh(window)
    }

    // MARK: - Text

    /// Writes text at the cursor with `wattr_set` and `waddnwstr`, through `CellText` so that curses places
    /// every character where `DisplayWidth` expects it.
    private func put(
        _ text: some Sequence<Character>, in window: Window, attributes: attr_t, pair: Int16 = 0
    ) {
        let scalars = CellText.scalars(for: text, replacement: replacement) { Int(cnc_wcwidth(wchar_t($0.value))) }
        guard !scalars.isEmpty else { return }
        let characters = scalars.map { wchar_t($0.value) }
        wattr_set(window, attributes, pair, nil)
        // At the last cell of a window waddnwstr reports an error, yet the text is drawn.
        _ = waddnwstr(window, characters, Int32(characters.count))
        wattr_set(window, cnc_a_normal(), 0, nil)
    }
}
