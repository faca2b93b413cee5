import ChatProtocol
import ChatSocket
import ChatText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Why no new connection came out of one wait: the run may be over (`outcome`), or it goes on waiting.
struct NoConnection: Error {
    let outcome: ChatSession.Outcome?
}

extension ChatSession {
    /// Waits for the next attempt (or the user's "now"), then connects and says hello: with the last
    /// `welcome`'s resume token, the room, and the highest id seen, so that nothing is lost and nothing
    /// shown twice.
    func waitAndReconnect(
        _ link: inout LinkContext, _ frontEnd: FrontEnd, _ clock: LinkClock
    ) -> Result<Connection, NoConnection> {
        guard case .connect(let attempt) = link.machine.tick(at: clock.now) else {
            updateCountdown(link, frontEnd, clock)
            let now = clock.now
            let untilSecond = 1000 - now % 1000
            let wait = link.machine.deadline.map { min($0 - now, untilSecond) } ?? untilSecond
            waitForWakeup(milliseconds: Int32(clamping: max(0, wait)))
            return .failure(NoConnection(outcome: nil))
        }
        setStatus(frontEnd) { $0.link = .reconnecting(seconds: 0, attempt: attempt) }
        let room = state.withLock { $0.status.room }
        let options = ClientPacket.HelloOptions(
            room: Names.key(room) == ChatHubLobby.key ? nil : room, after: link.ledger.highestID,
            resume: link.resumeToken)
        do {
            let server = moveToNextServer(frontEnd)
            let connection = try Connection(host: server.host, port: server.port, tls: access.tls?.context)
            // The same trust rule as the first connection, with nobody asked: a certificate that changed, or
            // stopped verifying without being accepted, ends the run.
            switch judge(connection, canAsk: false, firstConnection: false) {
            case .proceed(let notices):
                for notice in notices { frontEnd.show(.notice(notice)) }
            case .refuse(let text), .ask(_, reason: let text):
                for line in text.split(separator: "\n") { frontEnd.show(.notice("*** \(line)")) }
                return .failure(NoConnection(outcome: end(.connectFailed(text), frontEnd)))
            }
            try connection.send(hello(options))
            link.machine.connected(at: clock.now)
            link.startConnection(reconnect: true, after: options.after)
            state.withLock {
                $0.connection = connection
                $0.serverFeatures = nil
            }
            changed.signal()
            setStatus(frontEnd) { $0.link = .connecting }
            return .success(connection)
        } catch {
            if case .giveUp(let attempts) = link.machine.lost(at: clock.now, using: &link.generator) {
                return .failure(NoConnection(outcome: gaveUp(after: attempts, reason: "\(error)", frontEnd)))
            }
            updateCountdown(link, frontEnd, clock)
            return .failure(NoConnection(outcome: nil))
        }
    }

    /// The status bar's `reconnecting in N s (attempt K)`.
    func updateCountdown(_ link: LinkContext, _ frontEnd: FrontEnd, _ clock: LinkClock) {
        guard case .waiting(let retryAt, let attempt) = link.machine.phase else { return }
        let seconds = Int((max(0, retryAt - clock.now) + 999) / 1000)
        setStatus(frontEnd) { $0.link = .reconnecting(seconds: seconds, attempt: attempt) }
    }

    /// Sleeps in `poll(2)` on the wake-up pipe, at most `milliseconds`.
    private func waitForWakeup(milliseconds: Int32) {
        guard let linkWakeup else {
            usleep(useconds_t(milliseconds) * 1000)
            return
        }
        var fds = [pollfd(fd: linkWakeup.readFD, events: Int16(POLLIN), revents: 0)]
        if poll(&fds, 1, milliseconds) > 0 { linkWakeup.drain() }
    }

    // MARK: - Packets

    /// Shows one packet, or acts on it. Returns the outcome when it ends the run (a rejected hello).
    func handle(
        _ packet: ServerPacket, _ connection: Connection, _ link: inout LinkContext, _ frontEnd: FrontEnd
    ) -> Outcome? {
        if link.awaitingFirstPacket {
            link.awaitingFirstPacket = false
            learnFeatures(from: packet, link, frontEnd)
        }
        switch packet {
        case .error(let code, let message) where !link.accepted && Self.rejections.contains(code):
            frontEnd.show(link.formatter.line(for: packet))
            if link.everAccepted && Self.passingRejections.contains(code) { return nil }
            let reason = DisplaySanitizer.sanitized(message)
            if code == .badPassword && leavePasswordToInputThread(reason) { return .rejected(reason) }
            return end(.rejected(reason), frontEnd)
        case .error:
            break
        case .welcome(let welcome):
            welcomed(welcome, &link, frontEnd)
            return nil
        case .ping(let token):
            try? connection.send(.pong(token: token))
            return nil
        case .pong:
            return nil
        case .join(let joined, let room) where Names.key(joined) == Names.key(nick):
            link.accepted = true
            answered(&link, frontEnd) { $0.room = room ?? "lobby" }
        default:
            answered(&link, frontEnd) { _ in }
        }
        show(link.ledger.take(packet), link.formatter, frontEnd)
        return nil
    }

    /// A `bad_password` refusal of the first hello, with nobody's password given and a user to ask: the input
    /// thread asks and starts again (`ChatSession.run`), so the run is not ended here.
    private func leavePasswordToInputThread(_ reason: String) -> Bool {
        let leave = state.withLock { state in
            guard state.mayAskPassword else { return false }
            state.passwordWanted = reason
            return true
        }
        if leave { changed.signal() }
        return leave
    }

    /// The first packet of a connection says what the server supports: a `welcome`'s list, or nothing
    /// beyond the base protocol. A reconnect to a server without history is marked at once.
    private func learnFeatures(from packet: ServerPacket, _ link: LinkContext, _ frontEnd: FrontEnd) {
        let supported: Features
        switch packet {
        case .welcome(let welcome): supported = welcome.features
        case .error: return
        default: supported = []
        }
        state.withLock { $0.serverFeatures = supported }
        changed.signal()
        if link.isReconnect && !supported.contains(.history) { frontEnd.show(.notice("--- reconnected ---")) }
    }

    private func welcomed(_ welcome: ServerPacket.Welcome, _ link: inout LinkContext, _ frontEnd: FrontEnd) {
        link.accepted = true
        link.resumeToken = welcome.resume
        link.machine.serverTakesPing(welcome.features.contains(.ping))
        if link.isReconnect && welcome.features.contains(.history) {
            link.ledger.expectReplay(after: link.afterSent, resumed: welcome.resumed)
        }
        answered(&link, frontEnd) { $0.room = welcome.room }
    }

    /// The server answered: the link is up, and a drop from now on is reconnected.
    private func answered(_ link: inout LinkContext, _ frontEnd: FrontEnd, _ change: (inout SessionStatus) -> Void) {
        link.everUp = true
        setStatus(frontEnd) { status in
            status.link = .connected
            change(&status)
        }
    }
}
