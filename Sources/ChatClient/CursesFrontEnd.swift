import ChatClientCore
import ChatSystem
import ChatUI

/// The full-screen front end: the client core's lines and status, shown through `ChatUI`.
final class CursesFrontEnd: FrontEnd {
    private let ui: ChatUI
    private let draft = Locked("")

    init(colors: Bool) {
        ui = ChatUI(colors: colors)
    }

    /// Why this terminal cannot show the full screen (`TERM=dumb`, an unknown `TERM`), or nil.
    static func terminalProblem() -> String? {
        ChatUI.terminalProblem()
    }

    func start() throws {
        try ui.initWindows()
    }

    func readLine(prompt: String) -> String? {
        ui.readCommand(
            prompt,
            draft: draft.withLock { draft in
                defer { draft = "" }
                return draft
            })
    }

    /// A line typed while disconnected stays on the input line, to send with Enter once reconnected.
    var holdsInputWhileDisconnected: Bool { false }

    func keepDraft(_ text: String) {
        draft.withLock { $0 = text }
    }

    /// The curses screen asks on its input line (a certificate to accept, a password).
    var canAsk: Bool { true }

    func ask(_ question: String, hidden: Bool) -> String? {
        ui.ask(question, hidden: hidden)
    }

    func show(_ line: DisplayLine) {
        ui.printMessage(line.text, style: Self.style(of: line))
    }

    /// Older messages (PgUp past the top) go above the pane's lines; they are not new: no marker, no alert.
    func showOlder(_ lines: [DisplayLine]) {
        ui.printOlderMessages(lines.map { (text: $0.text, style: Self.style(of: $0)) })
    }

    func whenOlderLinesWanted(_ handler: @escaping @Sendable () -> Void) {
        ui.onScrollPastTop(handler)
    }

    func clear() {
        ui.clear()
    }

    private static func style(of line: DisplayLine) -> MessageStyle {
        let notice = line.kind == .notice || line.kind == .error
        return MessageStyle(nick: line.nick, isOwn: line.isOwn, isMention: line.isMention, isNotice: notice)
    }

    func update(_ status: SessionStatus) {
        ui.setStatus(status.link == .disconnected ? "\(status.summary): press any key to exit" : status.summary)
    }

    func connectionClosed() {
        ui.closeInput()
    }

    /// A termination signal: leave now, through the normal exit path that restores the terminal.
    func interrupt() {
        ui.interrupt()
    }

    func stop() {
        ui.endWindows()
    }
}
