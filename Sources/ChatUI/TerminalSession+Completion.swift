extension TerminalSession {
    /// Tab: completes the word before the cursor (`TabCompletion`); Tabs in a row cycle through the matches.
    /// Not while a question is asked: a password or a nick is not completed from the room.
    func completeWord() {
        guard !isAsking else { return }
        if completion != nil {
            completion?.advance()
        } else {
            completion = TabCompletion(line: editor.characters, cursor: editor.cursor, candidates: completions.current)
        }
        guard let completion else { return }
        editor.replace(with: completion.line, cursor: completion.cursor)
        dirty.input = true
    }
}
