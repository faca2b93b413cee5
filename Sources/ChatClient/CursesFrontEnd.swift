import ChatClientCore
import ChatSystem
import ChatUI

/// The full-screen front end: the client core's lines and status, shown through `ChatUI`.
final class CursesFrontEnd: FrontEnd {
    private let ui: ChatUI
    private let draft = Locked("")
    /// What the config file and the command line chose (colours, bell).
    let preferences: ClientPreferences
    /// The line `readLine` returned, as pasted, when it was one line of a paste.
    private let lastPasted = Locked<String?>(nil)

    /// The nick the last status showed, to see a rename.
    private let nick = Locked<String?>(nil)

    init(preferences: ClientPreferences) {
        self.preferences = preferences
        ui = ChatUI(colors: Self.colorMode(preferences.colors), bell: preferences.bell)
        ui.completions.setCommands(Command.names)
    }

    /// The UI's colour mode for the preference (`ChatUI` knows no preferences).
    static func colorMode(_ choice: ColorChoice) -> ColorMode {
        switch choice {
        case .auto: .auto
        case .eight: .eight
        case .full256: .full256
        case .none: .none
        }
    }

    /// Why this terminal cannot show the full screen (`TERM=dumb`, an unknown `TERM`), or nil.
    static func terminalProblem() -> String? {
        ChatUI.terminalProblem()
    }

    func start() throws {
        try ui.initWindows()
    }

    func readLine(prompt: String) -> String? {
        let input = ui.readInput(
            prompt,
            draft: draft.withLock { draft in
                defer { draft = "" }
                return draft
            })
        lastPasted.withLock { $0 = nil }
        switch input {
        case .typed(let line)?: return line
        case .pasted(let line)?:
            lastPasted.withLock { $0 = line }
            // A pasted line is text: `//` makes one that starts with `/` a chat (a pasted `/q` does not quit).
            return line.hasPrefix("/") ? "/" + line : line
        case nil: return nil
        }
    }

    /// A line typed while disconnected stays on the input line, to send with Enter once reconnected.
    var holdsInputWhileDisconnected: Bool { false }

    /// A pasted line goes back under the paste question with the rest of its paste, rather than onto the
    /// input line, where the next pasted line would replace it.
    func keepDraft(_ text: String) {
        if let pasted = lastPasted.withLock({ $0 }) {
            ui.holdPaste(pasted)
        } else {
            draft.withLock { $0 = text }
        }
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
        return MessageStyle(
            nick: line.nick, isOwn: line.isOwn, isMention: line.isMention, isNotice: notice, stamp: line.stamp,
            isDirectMessage: line.kind == .directMessage, isReplay: line.isReplay)
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
