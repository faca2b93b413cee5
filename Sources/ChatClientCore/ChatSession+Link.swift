import ChatProtocol
import ChatSocket
import ChatText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The receiver thread: reads and shows packets, keeps the link's timers, reconnects.
extension ChatSession {
    /// Error codes that refuse a hello: the server closes the connection after them.
    static let rejections: Set<ErrorCode> = [.badNick, .nickInUse, .badPassword, .serverFull, .timeout]
    /// Rejections that a later attempt may not meet (the server was full or slow): retried on a reconnect.
    static let passingRejections: Set<ErrorCode> = [.serverFull, .timeout]

    /// Runs the link until the run is over; returns how it ended.
    func runLink(_ first: Connection, _ frontEnd: FrontEnd) -> Outcome {
        let clock = LinkClock()
        var link = LinkContext(
            machine: LinkStateMachine(timing: timing, connectedAt: clock.now),
            formatter: DisplayFormatter(me: currentNick))
        var connection: Connection? = first
        while true {
            let (quitting, retry, older, clear) = state.withLock { state in
                defer { (state.retryRequested, state.olderWanted, state.clearWanted) = (false, false, false) }
                return (state.quitting, state.retryRequested, state.olderWanted, state.clearWanted)
            }
            if retry { link.machine.retryNow(at: clock.now) }
            if clear { clearScreen(&link, frontEnd) }
            if older, let connection { askOlder(connection, &link) }
            if quitting, let outcome = finish(connection, &link, clock) { return outcome }
            if let current = connection {
                if let outcome = serve(current, &link, frontEnd, clock) { return outcome }
                if state.withLock({ $0.connection }) == nil { connection = nil }
            } else {
                switch waitAndReconnect(&link, frontEnd, clock) {
                case .success(let new): connection = new
                case .failure(let ended): if let outcome = ended.outcome { return outcome }
                }
            }
        }
    }

    /// After `/q`: say `quit` (to a server with `resume`), stop sending, and read until the server closes or
    /// is silent for the close wait. Before the server's first packet it is not known whether it takes `quit`, so
    /// that waits for the first packet (within the same close wait). Returns the outcome once the run is over.
    private func finish(_ connection: Connection?, _ link: inout LinkContext, _ clock: LinkClock) -> Outcome? {
        guard let connection else { return .quit }
        if link.closeDeadline == nil {
            link.closeDeadline = clock.now + Self.closeWaitMilliseconds
            link.machine.stop()
        }
        if let deadline = link.closeDeadline, clock.now >= deadline { return .quit }
        guard !link.finishedSending, !link.awaitingFirstPacket else { return nil }
        link.finishedSending = true
        if state.withLock({ $0.serverFeatures })?.contains(.resume) == true { try? connection.send(.quit) }
        connection.finishSending()
        return nil
    }

    /// One wait for a packet on the open connection, then the timers. Returns the outcome if the run is over.
    private func serve(
        _ connection: Connection, _ link: inout LinkContext, _ frontEnd: FrontEnd, _ clock: LinkClock
    ) -> Outcome? {
        let now = clock.now
        let due = [link.machine.deadline, link.closeDeadline].compactMap { $0 }.min()
        let timeout = due.map { Int32(clamping: max(0, min($0 - now, 1000))) } ?? 1000
        do {
            switch try connection.receive(timeout: timeout, wakeFD: linkWakeup?.readFD) {
            case .packet(let packet):
                link.machine.heard(at: clock.now)
                // Leaving: a server still sending is still working through our input (at its rate limit).
                if link.closeDeadline != nil { link.closeDeadline = clock.now + Self.closeWaitMilliseconds }
                if let outcome = handle(packet, connection, &link, frontEnd) { return outcome }
            case .malformed(let explanation):
                frontEnd.show(.notice("*** skipped a malformed packet from the server (\(explanation))"))
            case .timedOut:
                linkWakeup?.drain()
            }
        } catch {
            return lost(reason: link.dropReason ?? error.description, &link, frontEnd, clock)
        }
        switch link.machine.tick(at: clock.now) {
        case .sendPing:
            link.pingsSent += 1
            try? connection.send(.ping(token: "p\(link.pingsSent)"))
        case .drop(let reason):
            guard link.everUp else {
                frontEnd.show(.notice("*** \(reason)"))
                return end(.connectFailed(reason.description), frontEnd)
            }
            link.dropReason = reason.description
            connection.shutdown()
        case .none, .connect, .giveUp:
            break
        }
        return nil
    }

    /// The connection ended. Returns the outcome if that ends the run; else the link waits to reconnect.
    private func lost(
        reason: String, _ link: inout LinkContext, _ frontEnd: FrontEnd, _ clock: LinkClock
    ) -> Outcome? {
        show(link.ledger.connectionEnded(), link.formatter, frontEnd)
        link.older.requestLost()
        let quitting = state.withLock { state in
            state.connection = nil
            state.serverFeatures = nil
            return state.quitting
        }
        if quitting { return .quit }
        guard link.everUp else { return end(.connectFailed(reason), frontEnd) }
        frontEnd.show(.notice("*** disconnected from server (\(DisplaySanitizer.sanitized(reason)))"))
        if case .giveUp(let attempts) = link.machine.lost(at: clock.now, using: &link.generator) {
            return gaveUp(after: attempts, reason: reason, frontEnd)
        }
        updateCountdown(link, frontEnd, clock)
        return nil
    }

    func gaveUp(after attempts: Int, reason: String, _ frontEnd: FrontEnd) -> Outcome {
        frontEnd.show(.notice("*** gave up reconnecting after \(attempts) \(attempts == 1 ? "attempt" : "attempts")"))
        return end(.disconnected(reason), frontEnd)
    }

    /// The run is over by itself: the status says so and input ends.
    func end(_ outcome: Outcome, _ frontEnd: FrontEnd) -> Outcome {
        setStatus(frontEnd) { $0.link = .disconnected }
        state.withLock { $0.ended = $0.ended ?? outcome }
        changed.signal()
        frontEnd.connectionClosed()
        return outcome
    }

    func setStatus(_ frontEnd: FrontEnd, _ change: (inout SessionStatus) -> Void) {
        let (old, new) = state.withLock { state in
            let old = state.status
            change(&state.status)
            return (old, state.status)
        }
        if new != old { frontEnd.update(new) }
    }

    func show(_ entries: [MessageLedger.Entry], _ formatter: DisplayFormatter, _ frontEnd: FrontEnd) {
        for entry in entries {
            switch entry {
            case .packet(let packet): frontEnd.show(formatter.line(for: packet))
            case .marker(let text): frontEnd.show(.notice(text))
            case .older(let packets, let end): showOlder(packets, end, formatter, frontEnd)
            }
        }
    }
}
