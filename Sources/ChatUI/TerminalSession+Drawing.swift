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
        var rest = row.line.text[row.range]
        if let nickEnd = row.line.nickEnd, let nick = style.nick, row.range.lowerBound < nickEnd {
            let end = min(nickEnd, row.range.upperBound)
            let pair = useColors ? Int16(NickColor.slot(for: nick) + 1) : 0
            put(
                row.line.text[row.range.lowerBound..<end], in: window, attributes: attributes | cnc_a_bold(), pair: pair
            )
            rest = row.line.text[end..<row.range.upperBound]
        }
        put(rest, in: window, attributes: attributes)
    }

    private func lineAttributes(_ style: MessageStyle) -> attr_t {
        var attributes = cnc_a_normal()
        if style.isNotice { attributes |= cnc_a_dim() }
        if style.isOwn { attributes |= cnc_a_bold() }
        if style.isMention { attributes |= cnc_a_reverse() }
        return attributes
    }

    /// The status bar in reverse video: the caller's text on the left, "more below" on the right while the
    /// output pane is scrolled back.
    private func drawStatus() {
        guard let window = statusWindow else { return }
        let columns = Int(cnc_getmaxx(window))
        var mark = ""
        if scrollback.isScrolledBack {
            let unseen = scrollback.unseenLines
            mark = unseen > 0 ? " -- more below (\(unseen) new) -- " : " -- more below -- "
        }
        let markWidth = DisplayWidth.of(mark)
        let left = Shortening.fitted(" \(status)", columns: max(0, columns - markWidth))
        let gap = String(repeating: " ", count: max(0, columns - DisplayWidth.of(left) - markWidth))
        werase(window)
        wmove(window, 0, 0)
        put(DisplayWidth.prefix((left + gap + mark)[...], fitting: columns), in: window, attributes: cnc_a_reverse())
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
