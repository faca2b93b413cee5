import ChatProtocol

/// Another nick when the first one is taken: asked on the input line in curses mode.
extension ChatSession {
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
