extension TerminalSession {
    /// A bracketed paste arrived: onto the input line, out at once, or a question first (`PastePolicy`).
    func handlePaste(_ text: String, truncated: Bool) -> Outcome? {
        dirty.input = true
        if let question = pasteQuestion {
            // A paste while one is being asked about joins it, after it: the answer covers both, in order.
            let (lines, cut) = PastePolicy.joining(question.lines, PastePolicy.lines(of: text))
            pasteQuestion = (lines, question.truncated || truncated || cut)
            return nil
        }
        switch PastePolicy.action(for: text, truncated: truncated) {
        case .nothing: return nil
        case .insert(let line):
            editor.insert(line)
            return nil
        case .send(let lines) where isAsking, .ask(let lines, _) where isAsking:
            // An answer is one line: the first pasted line goes onto it, nothing is sent.
            editor.insert(lines[0])
            return nil
        case .send(let lines):
            pastedLines.append(contentsOf: lines)
            return nextPastedLine()
        case .ask(let lines, let truncated):
            pasteQuestion = (lines, truncated)
            return nil
        }
    }

    /// A key while a paste is being asked about: y sends it, n, Enter or Ctrl-C drop it, Ctrl-Z suspends as
    /// ever, others do nothing.
    func answerPasteQuestion(_ event: KeyDecoder.Event) -> Outcome? {
        guard let question = pasteQuestion, case .key(.character(let code)) = event,
            let scalar = Unicode.Scalar(code)
        else { return nil }
        switch scalar {
        case "y", "Y":
            pasteQuestion = nil
            pastedLines.append(contentsOf: question.lines)
            dirty.input = true
            return nextPastedLine()
        case "\u{1A}":
            suspend(group: true)
            return nil
        case "n", "N", "\r", "\n", "\u{03}":
            pasteQuestion = nil
            dirty.input = true
            return nil
        default: return nil
        }
    }

    /// See `ChatUI.holdPaste(_:)`.
    func holdPaste(_ line: String) {
        let (lines, cut) = PastePolicy.joining([line] + pastedLines, pasteQuestion?.lines ?? [])
        pasteQuestion = (lines, cut || pasteQuestion?.truncated == true)
        pastedLines = []
        dirty.input = true
    }

    /// The next confirmed pasted line to return from `readCommand`, if any.
    func nextPastedLine() -> Outcome? {
        guard let line = pastedLines.popFirst() else { return nil }
        // Whoever sends wants to see the conversation's end, as after Enter.
        if scrollback.isScrolledBack {
            scrollback.scrollToBottom()
            dirty.output = true
            dirty.status = true
        }
        return .pasted(line)
    }

    /// The input line's prompt while a paste is being asked about.
    var pastePrompt: String? {
        pasteQuestion.map { PastePolicy.question(lines: $0.lines.count, truncated: $0.truncated) }
    }
}
