import ChatSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The pipes the SIGTSTP and SIGCONT handlers write to. Immutable globals made once before the handlers are
/// installed, for the reason given at `resizePipe`.
private let suspendPipe: WakeupPipe? = try? WakeupPipe()
private let continuePipe: WakeupPipe? = try? WakeupPipe()

/// Job control for the curses screen: stopping to the shell (Ctrl-Z) and coming back (`fg`).
///
/// The terminal is in raw mode, so Ctrl-Z arrives as a key, not as SIGTSTP; the input thread gives the
/// terminal back and then stops the process group itself, as the terminal would have. A SIGTSTP sent from
/// outside (`kill -TSTP`) takes the same path: its handler only writes to a pipe the input thread polls
/// (curses' own handler would call `endwin` from whatever thread the signal lands on). SIGCONT, after a stop
/// the client did not ask for (SIGSTOP), likewise asks for a full redraw.
enum JobControlSignal {
    /// The handlers `install()` replaced; `restore(_:)` puts them back.
    struct Previous {
        let suspend: SignalHandler?
        let resume: SignalHandler?
        /// SIGTSTP was ignored (a shell without job control): Ctrl-Z does nothing then.
        var suspendIgnored: Bool { suspend.map { unsafeBitCast($0, to: Int.self) == 1 } ?? false }
    }

    /// The ends to poll (nil when no pipe could be made).
    static var suspendFD: CInt? { suspendPipe?.readFD }
    static var continueFD: CInt? { continuePipe?.readFD }

    /// Installs the SIGTSTP and SIGCONT handlers; call before `newterm`, which then installs no SIGTSTP
    /// handler of its own. An ignored SIGTSTP stays ignored.
    static func install() -> Previous {
        let resume = signal(SIGCONT) { _ in
            let savedErrno = errno
            continuePipe?.wake()
            errno = savedErrno
        }
        let suspend = signal(SIGTSTP, SIG_IGN)
        let previous = Previous(suspend: suspend, resume: resume)
        if !previous.suspendIgnored { installSuspendHandler() }
        return previous
    }

    /// Puts back the handlers `install()` replaced.
    static func restore(_ previous: Previous) {
        signal(SIGTSTP, previous.suspend ?? SIG_DFL)
        signal(SIGCONT, previous.resume ?? SIG_DFL)
    }

    /// Stops the process with SIGTSTP's default action, as the terminal's Ctrl-Z would; returns once it is
    /// continued (`fg`), or at once if the stop was not possible (an orphaned process group).
    ///
    /// `group`: stop the whole foreground process group (Ctrl-Z, which the terminal sends to all of it: a
    /// script that started the client stops too, so the shell sees the job stop), else only this process
    /// (it alone was sent SIGTSTP). Called on the main thread, the thread-group leader, the kernel makes
    /// that thread take the signal, so it stops before `kill` returns.
    static func stop(group: Bool) {
        signal(SIGTSTP, SIG_DFL)
        kill(group ? 0 : getpid(), SIGTSTP)
        installSuspendHandler()
    }

    /// Empties both pipes after handling what they said.
    static func drain() {
        suspendPipe?.drain()
        continuePipe?.drain()
    }

    private static func installSuspendHandler() {
        signal(SIGTSTP) { _ in
            let savedErrno = errno
            suspendPipe?.wake()
            errno = savedErrno
        }
    }
}
