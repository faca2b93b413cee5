import ChatSystem

extension TerminalSession {
    /// The body of `ChatUI.ask(_:hidden:)`: `readCommand` with the question as the prompt, an empty line and
    /// history of its own, the answer hidden when asked; the line and history being edited before come back.
    func ask(
        question: String, hidden: Bool, wakePipe: WakeupPipe, collect: () -> Mailbox.Delivery
    ) -> String? {
        let (savedEditor, savedHistory, savedPrompt) = (editor, history, prompt)
        editor = LineEditor()
        history = InputHistory(capacity: 1)
        hidesInput = hidden
        isAsking = true
        completion = nil
        defer {
            isAsking = false
            editor = savedEditor
            history = savedHistory
            prompt = savedPrompt
            hidesInput = false
            dirty.input = true
        }
        return readCommand(prompt: question, draft: "", wakePipe: wakePipe, collect: collect).line
    }
}
