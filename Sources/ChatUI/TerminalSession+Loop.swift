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
        var suspend = false
        var resume = false
    }

    /// The body of `ChatUI.readCommand(_:)`: wait, deliver queued output, handle keys, redraw, until a line
    /// is entered or pasted, or input ends.
    func readCommand(
        prompt: String, draft: String, wakePipe: WakeupPipe, collect: () -> Mailbox.Delivery
    ) -> Outcome {
        guard screen != nil, !interrupted else { return .endOfInput }
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
            // Confirmed pasted lines go out one per call, before any key typed after the paste.
            if let outcome = nextPastedLine() {
                render()
                return outcome
            }
            if checkKeys {
                let (outcome, sawKey) = readKeys()
                if let outcome {
                    render()
                    return outcome
                }
                // A terminal that is readable yet yields no key, again and again, has gone away.
                idleReads = sawKey ? 0 : idleReads + 1
                if idleReads > 100 { return .endOfInput }
            }
            if let outcome = expirePaste() {
                render()
                return outcome
            }
            let timeout = Self.sooner(renderIfDue(), keyTimeout())
            let events = wait(wakePipe: wakePipe, timeout: timeout)
            if events.mail {
                wakePipe.drain()
                deliver(collect())
                if interrupted {
                    render()
                    return .endOfInput
                }
            }
            if events.resize { handleResizeSignal() }
            if events.suspend { suspend(group: false) }
            if events.resume { redrawAfterContinue() }
            if events.hangup { return .endOfInput }
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
        // A missing pipe polls as -1, which poll skips.
        for fd in [ResizeSignal.readFD, JobControlSignal.suspendFD, JobControlSignal.continueFD] {
            fds.append(pollfd(fd: fd ?? -1, events: Int16(POLLIN), revents: 0))
        }
        var events = Events()
        guard poll(&fds, nfds_t(fds.count), timeout) > 0 else { return events }  // timeout or EINTR
        events.input = fds[0].revents & Int16(POLLIN) != 0
        events.hangup = !events.input && fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
        events.mail = fds[1].revents != 0
        events.resize = fds[2].revents != 0
        events.suspend = fds[3].revents != 0
        events.resume = fds[4].revents != 0
        return events
    }

    /// Moves queued lines into the scrollback, and takes the status text and the input-closed flag.
    private func deliver(_ delivery: Mailbox.Delivery) {
        if delivery.cleared {
            scrollback.clear()
            dirty.output = true
            dirty.status = true
        }
        for batch in delivery.older where scrollback.insertAbove(batch) > 0 {
            dirty.output = true
        }
        // Beyond the capacity, older lines would be dropped at once: skip them.
        let lines = delivery.lines.suffix(scrollback.capacity)
        let now = ContinuousClock.now
        var ring = false
        let alertBefore = alerts.statusText
        for line in lines {
            scrollback.append(text: line.text, style: line.style)
            if alerts.received(line.style, at: now) { ring = true }
        }
        // Once for the whole delivery: a burst of mentions is one bell.
        if ring { beep() }
        if alerts.statusText != alertBefore { dirty.status = true }
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

extension TerminalSession {
    /// A sequence cut short, or a paste whose end marker never came, once no key came in time.
    private func expirePaste() -> Outcome? {
        guard let event = keyDecoder.expire(now: .now) else { return nil }
        return handle(event)
    }

    /// The `poll` timeout until the key decoder's pending sequence or paste expires, or -1.
    private func keyTimeout() -> Int32 {
        guard let deadline = keyDecoder.deadline else { return -1 }
        return Self.milliseconds(until: deadline)
    }

    /// The shorter of two `poll` timeouts, where -1 is none.
    static func sooner(_ first: Int32, _ second: Int32) -> Int32 {
        first < 0 ? second : second < 0 ? first : min(first, second)
    }

    /// Milliseconds from now until `instant`, rounded up, at least 0.
    static func milliseconds(until instant: ContinuousClock.Instant) -> Int32 {
        let remaining = (instant - .now).components
        guard remaining.seconds >= 0, remaining.attoseconds >= 0 else { return 0 }
        return Int32(clamping: remaining.seconds * 1000 + remaining.attoseconds / 1_000_000_000_000_000 + 1)
    }
}

extension TerminalSession.Outcome {
    /// The line to return from `readCommand`: nil at the end of input.
    var line: String? {
        switch self {
        case .line(let text), .pasted(let text): text
        case .endOfInput: nil
        }
    }
}
