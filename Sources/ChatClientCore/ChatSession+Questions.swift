import ChatProtocol
import Dispatch

/// What the user is asked before a run can go on: a password the server wants, another nick when the first is
/// taken. Asked on the input line, in curses mode only.
extension ChatSession {
    /// What the user is to be asked before the run can go on.
    enum FirstQuestion {
        /// A password: the server's `bad_password` reason.
        case password(String)
        /// Another nick: the server's `nick_in_use` reason.
        case nick(String)
    }

    /// When the user may be asked for a password or another nick: waits for the first connection's first
    /// answer, and returns the question if it was `bad_password` or `nick_in_use` (the receiver has then
    /// stopped). Waits at most `passwordQuestionWait`: input is never held longer on the handshake, so a silent
    /// server cannot keep the screen from working; a refusal that comes later ends the run with the server's
    /// reason instead.
    func firstQuestion() -> FirstQuestion? {
        let deadline = DispatchTime.now() + Self.passwordQuestionWait
        while true {
            let expired = DispatchTime.now() >= deadline
            let (settled, wanted) = state.withLock { state in
                let settled =
                    expired || !(state.mayAskPassword || state.mayAskNick) || state.passwordWanted != nil
                    || state.nickWanted != nil || state.serverFeatures != nil || state.ended != nil
                if settled {
                    state.mayAskPassword = false
                    state.mayAskNick = false
                }
                return (
                    settled,
                    state.passwordWanted.map(FirstQuestion.password) ?? state.nickWanted.map(FirstQuestion.nick)
                )
            }
            if settled { return wanted }
            _ = changed.wait(timeout: .now() + .milliseconds(100))
        }
    }

    /// Asks `question` (the receiver has stopped); returns how the run ends when the user gave no answer, nil
    /// when the run starts again with the answer (a password once, a nick as often as it is taken).
    func answer(_ question: FirstQuestion, _ frontEnd: FrontEnd, server: String) -> Outcome? {
        switch question {
        case .password(let reason):
            let answer = frontEnd.ask("password for \(server): ", hidden: true)
            guard let answer, !answer.isEmpty else { return .rejected(reason) }
            state.withLock { state in
                state = SessionState(status: state.status, password: answer, pinned: state.pinned)
            }
            return nil
        case .nick(let reason):
            return askForAnotherNick(frontEnd) ? nil : .rejected(reason)
        }
    }

    /// The question after `nick_in_use` at start.
    static func nickQuestion(_ nick: String) -> String {
        "nick \(nick) is in use; try another nick: "
    }

    /// A `nick_in_use` refusal of the first hello, with a user to ask: the input thread asks for another nick
    /// and starts again (`ChatSession.run`), so the run is not ended here.
    func leaveNickToInputThread(_ reason: String) -> Bool {
        let leave = state.withLock { state in
            guard state.mayAskNick else { return false }
            state.nickWanted = reason
            return true
        }
        if leave { changed.signal() }
        return leave
    }

    /// Asks for another nick until the answer is a valid one (checked here, by `Names`, before any server sees
    /// it), and makes it this session's nick. Returns false when the user gave none (an empty answer, Ctrl-C).
    func askForAnotherNick(_ frontEnd: FrontEnd) -> Bool {
        let refused = currentNick
        while true {
            guard let answer = frontEnd.ask(Self.nickQuestion(refused), hidden: false) else { return false }
            let nick = String(answer.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
            guard !nick.isEmpty else { return false }
            guard Names.isValid(nick) else {
                frontEnd.show(.notice("*** invalid nick: \(nick) (a nick is \(Names.ruleDescription))"))
                continue
            }
            let status = state.withLock { state in
                var status = state.status
                status.nick = nick
                state = SessionState(status: status, password: state.password, pinned: state.pinned)
                return status
            }
            frontEnd.update(status)
            return true
        }
    }
}
