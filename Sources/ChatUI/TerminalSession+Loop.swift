import CNcurses
import ChatSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

extension TerminalSession {
    /// What `poll(2)` reported.
    struct Events {
        var mail = false
        var resize = false
        var input = false
        var hangup = false
    }

    /// The body of `ChatUI.readCommand(_:)`: wait, deliver queued output, handle keys, redraw, until a line
    /// is entered or input ends.
    func readCommand(
        prompt: String, draft: String, wakePipe: WakeupPipe, collect: () -> Mailbox.Delivery
    ) -> String? {
        guard screen != nil, !interrupted else { return nil }
        if !draft.isEmpty {
            editor.replace(with: draft)
            dirty.input = true
        }
        if prompt != self.prompt {
            self.prompt = prompt
            dirty.input = true
        }
        // Keys may wait in curses' own queue (after a line returned mid-paste), where poll cannot see them.
        var checkKeys = true
        var idleReads = 0
        while true {
            if checkKeys {
                let (outcome, sawKey) = readKeys()
                if let outcome {
                    render()
                    return outcome.line
                }
                // A terminal that is readable yet yields no key, again and again, has gone away.
                idleReads = sawKey ? 0 : idleReads + 1
                if idleReads > 100 { return nil }
            }
            let timeout = renderIfDue()
            let events = wait(wakePipe: wakePipe, timeout: timeout)
            if events.mail {
                wakePipe.drain()
                deliver(collect())
                if interrupted {
                    render()
                    return nil
                }
            }
            if events.resize { handleResizeSignal() }
            if events.hangup { return nil }
            checkKeys = events.input || events.resize
            if !events.input { idleReads = 0 }
        }
    }

    /// Sleeps in `poll(2)` on the terminal, the wake-up pipe and the resize pipe; `timeout` in milliseconds,
    /// -1 for none (an idle UI sleeps until something happens).
    private func wait(wakePipe: WakeupPipe, timeout: Int32) -> Events {
        var fds = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakePipe.readFD, events: Int16(POLLIN), revents: 0),
        ]
        if let resizeFD = ResizeSignal.readFD {
            fds.append(pollfd(fd: resizeFD, events: Int16(POLLIN), revents: 0))
        }
        var events = Events()
        guard poll(&fds, nfds_t(fds.count), timeout) > 0 else { return events }  // timeout or EINTR
        events.input = fds[0].revents & Int16(POLLIN) != 0
        events.hangup = !events.input && fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
        events.mail = fds[1].revents != 0
        events.resize = fds.count > 2 && fds[2].revents != 0
        return events
    }

    /// Moves queued lines into the scrollback, and takes the status text and the input-closed flag.
    private func deliver(_ delivery: Mailbox.Delivery) {
        // Beyond the capacity, older lines would be dropped at once: skip them.
        let lines = delivery.lines.suffix(scrollback.capacity)
        for line in lines {
            scrollback.append(text: line.text, style: line.style)
        }
        if !lines.isEmpty {
            // Scrolled back, the view stays still and only the "more below" count changes, unless the view
            // reached the oldest lines, which the cap is dropping.
            dirty.status = dirty.status || scrollback.isScrolledBack
            dirty.output = dirty.output || !scrollback.isScrolledBack || scrollback.count >= scrollback.capacity
        }
        if let status = delivery.status {
            self.status = status
            dirty.status = true
        }
        // While a question is asked the prompt is the question; the next readCommand brings the new prompt.
        if let prompt = delivery.prompt, !isAsking, prompt != self.prompt {
            self.prompt = prompt
            dirty.input = true
        }
        if delivery.inputClosed { inputClosed = true }
        if delivery.interrupted { interrupted = true }
    }

    /// Draws what changed, but output and status at most once per `minimumRedrawInterval`.
    ///
    /// - Returns: the `poll` timeout until the deferred drawing is due, or -1 when nothing waits.
    private func renderIfDue() -> Int32 {
        guard !dirty.isEmpty else { return -1 }
        let due = lastOutputRedraw + Self.minimumRedrawInterval
        let now = ContinuousClock.now
        if now >= due || (!dirty.output && !dirty.status) {
            render()
            return -1
        }
        if dirty.input {
            render(onlyInput: true)
        }
        let remaining = (due - now).components
        return Int32(clamping: remaining.seconds * 1000 + remaining.attoseconds / 1_000_000_000_000_000 + 1)
    }
}

extension TerminalSession.Outcome {
    /// The line to return from `readCommand`: nil at the end of input.
    var line: String? {
        switch self {
        case .line(let text): text
        case .endOfInput: nil
        }
    }
}
