import CNcurses

extension TerminalSession {
    /// Ctrl-Z, or SIGTSTP from outside: gives the terminal back (bracketed paste off, `endwin`), stops, and
    /// once continued (`fg`) takes the terminal again and redraws all of it, the input line as it was.
    /// Lines that arrived meanwhile wait in the socket and the mailbox, and show now.
    func suspend(group: Bool) {
        guard screen != nil, previousJobControl?.suspendIgnored != true else { return }
        BracketedPaste.disable()
        endwin()
        JobControlSignal.stop(group: group)
        JobControlSignal.drain()
        BracketedPaste.enable()
        // The terminal may have changed size while stopped; `layout` also repaints every cell.
        handleResizeSignal()
        render()
    }

    /// After a SIGCONT the client did not cause (a SIGSTOP from outside): the terminal's contents are
    /// unknown, so every cell is drawn again.
    func redrawAfterContinue() {
        JobControlSignal.drain()
        BracketedPaste.enable()
        handleResizeSignal()
    }
}
