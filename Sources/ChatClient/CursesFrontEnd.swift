import ChatClientCore
import ChatSystem
import ChatUI

/// The full-screen front end: the client core's lines and status, shown through `ChatUI`.
final class CursesFrontEnd: FrontEnd {
    private let ui: ChatUI
    private let draft = Locked("")
    /// The nick the last status showed, to see a rename.
    private let nick = Locked<String?>(nil)

    init(colors: Bool) {
        ui = ChatUI(colors: colors)
        ui.completions.setCommands(Command.names)
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
        let notice = line.kind == .notice || line.kind == .error
        ui.printMessage(
            line.text,
            style: MessageStyle(nick: line.nick, isOwn: line.isOwn, isMention: line.isMention, isNotice: notice))
    }

    func update(_ status: SessionStatus) {
        ui.setStatus(status.link == .disconnected ? "\(status.summary): press any key to exit" : status.summary)
        // A rename shows on the line being typed at once, not only from the next line on.
        let renamed = nick.withLock { nick in
            defer { nick = status.nick }
            return nick != nil && nick != status.nick
        }
        if renamed { ui.setPrompt(status.prompt) }
    }

    /// The room's other members, for Tab.
    func rosterChanged(_ others: [String]) {
        ui.completions.setNicks(others)
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
