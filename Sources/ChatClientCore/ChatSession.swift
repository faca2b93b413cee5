import ChatProtocol
import ChatSocket
import ChatSystem
import ChatText
import Foundation

/// One client run: connect, say hello, then a receiver thread shows what arrives, answers pings and
/// reconnects after a drop, while the input thread sends what the user types.
///
/// Nothing waits for the handshake: packets are shown as they arrive and input is read at once.
public final class ChatSession: Sendable {
    /// How a run ended; the command line maps it to an exit status.
    public enum Outcome: Equatable, Sendable {
        /// The user quit (`/q`, end of input).
        case quit
        /// The connection could not be made, or the server never answered; the text says why.
        case connectFailed(String)
        /// The server refused the hello; the text is its reason.
        case rejected(String)
        /// The connection was lost and the client gave up reconnecting.
        case disconnected(String)
        /// The front end could not start (no usable terminal); the text says why.
        case frontEndFailed(String)
    }

    /// After `/q`, how long the server may stay silent before the client closes without its close.
    static let closeWaitMilliseconds: Int64 = 2_000

    let nick: String
    let host: String
    let port: UInt16
    /// Every address of the chat: `host` and `port` first, then the others, tried in turn (round robin) when a
    /// connection is lost or refused.
    let servers: [ServerAddress]
    let features: Features
    let timing: LinkStateMachine.Timing
    /// TLS and the password.
    let access: ClientAccess
    let state: Locked<SessionState>
    /// Wakes the receiver thread out of `poll` (quit, reconnect now).
    let linkWakeup: WakeupPipe?
    /// Signalled whenever `state` changes in a way the input thread may wait for.
    let changed = DispatchSemaphore(value: 0)

    /// A session announcing `features` (by default the first extensions and the session extensions) with
    /// the link's `timing` (by default never giving up), over TLS and with a password as `access` says.
    /// `alsoServers` are more nodes of the same chat, moved on to when a connection is lost or refused.
    public init(
        nick: String, host: String, port: UInt16, features: Features = Features.all.union(.session).union(.world),
        timing: LinkStateMachine.Timing = .standard, access: ClientAccess = ClientAccess(),
        alsoServers: [ServerAddress] = []
    ) {
        self.nick = nick
        self.host = host
        self.port = port
        self.servers = [ServerAddress(host: host, port: port)] + alsoServers
        self.features = features
        self.timing = timing
        self.access = access
        let server = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var initial = SessionState(status: SessionStatus(server: server, nick: nick, room: "lobby", link: .connecting))
        initial.password = access.password
        state = Locked(initial)
        linkWakeup = try? WakeupPipe()
    }

    /// Runs the session to its end on the calling thread, which becomes the input thread.
    ///
    /// The first connection is made before the front end takes over the terminal, unless a question must be
    /// asked first (an unknown certificate). In curses mode without a password, a `bad_password` refusal of
    /// the first hello asks for one, once, and starts again with it.
    public func run(frontEnd: FrontEnd) -> Outcome {
        var started = false
        defer { if started { frontEnd.stop() } }
        var askedPassword = false
        while true {
            let connection: Connection
            switch connectFirst(frontEnd, started: &started) {
            case .success(let first): connection = first
            case .failure(let stop): return stop.outcome ?? .quit
            }
            if !started {
                do {
                    try frontEnd.start()
                } catch {
                    return .frontEndFailed("\(error)")
                }
                started = true
            }
            let status = state.withLock { state in
                state.connection = connection
                state.mayAskPassword = frontEnd.canAsk && state.password == nil && !askedPassword
                return state.status
            }
            frontEnd.update(status)
            let receiver = ReceiverThread { [self] in
                let outcome = runLink(connection, frontEnd)
                state.withLock { $0.ended = $0.ended ?? outcome }
                changed.signal()
            }
            receiver.start()
            if let reason = passwordQuestion() {
                receiver.join()
                askedPassword = true
                let answer = frontEnd.ask("password for \(status.server): ", hidden: true)
                guard let answer, !answer.isEmpty else { return .rejected(reason) }
                state.withLock { state in
                    state = SessionState(status: state.status, password: answer, pinned: state.pinned)
                }
                continue
            }
            inputLoop(frontEnd)
            state.withLock { $0.quitting = true }
            linkWakeup?.wake()
            receiver.join()
            return state.withLock { $0.ended } ?? .quit
        }
    }

    /// Connects and checks the certificate (asking the user about an unknown one, then connecting again: the
    /// server's hello timeout ran while the user read the fingerprint), then sends `hello`.
    private func connectFirst(_ frontEnd: FrontEnd, started: inout Bool) -> Result<Connection, NoConnection> {
        var asked = false
        while true {
            let connection: Connection
            switch connectToAny() {
            case .success(let first): connection = first
            case .failure(let error): return .failure(NoConnection(outcome: .connectFailed("\(error)")))
            }
            switch judge(connection, canAsk: frontEnd.canAsk && !asked, firstConnection: true) {
            case .proceed(let notices):
                for notice in notices { frontEnd.show(.notice(notice)) }
                do {
                    try connection.send(hello())
                } catch {
                    return .failure(NoConnection(outcome: .connectFailed("\(error)")))
                }
                return .success(connection)
            case .refuse(let text):
                return .failure(NoConnection(outcome: .connectFailed(text)))
            case .ask(let fingerprint, let reason):
                if !started {
                    do {
                        try frontEnd.start()
                    } catch {
                        return .failure(NoConnection(outcome: .frontEndFailed("\(error)")))
                    }
                    started = true
                }
                let server = state.withLock { $0.status.server }
                frontEnd.show(.notice("*** the certificate of \(server) is not trusted (\(reason))"))
                frontEnd.show(.notice("*** its SHA-256 fingerprint is \(fingerprint)"))
                guard Self.isYes(frontEnd.ask(Self.trustQuestion(fingerprint), hidden: false)), let tls = access.tls
                else {
                    return .failure(NoConnection(outcome: .connectFailed("certificate of \(server) not accepted")))
                }
                for notice in accept(fingerprint, tls) { frontEnd.show(.notice(notice)) }
                asked = true
            }
        }
    }

    /// The `hello` for a connection, with the password if there is one.
    func hello(_ options: ClientPacket.HelloOptions = ClientPacket.HelloOptions()) -> ClientPacket {
        var options = options
        options.password = state.withLock { $0.password }
        return .hello(nick: nick, features: features, options: options)
    }

    /// When the user may be asked for a password: waits for the first connection's first answer, and
    /// returns the server's reason if it was `bad_password` (the receiver has then stopped). Waits at most
    /// `passwordQuestionWait`: input is never held longer on the handshake, so a silent server cannot keep the
    /// screen from working; a refusal that comes later ends the run with the server's reason instead.
    private func passwordQuestion() -> String? {
        let deadline = DispatchTime.now() + Self.passwordQuestionWait
        while true {
            let expired = DispatchTime.now() >= deadline
            let (settled, wanted) = state.withLock { state in
                let settled =
                    expired || !state.mayAskPassword || state.passwordWanted != nil || state.serverFeatures != nil
                    || state.ended != nil
                if settled { state.mayAskPassword = false }
                return (settled, state.passwordWanted)
            }
            if settled { return wanted }
            _ = changed.wait(timeout: .now() + .milliseconds(100))
        }
    }

    /// How long input may wait for the first answer, for a possible password question: a loopback or LAN
    /// server answers in milliseconds, and a person does not type in the first second.
    static let passwordQuestionWait = DispatchTimeInterval.seconds(1)

    // MARK: - Input

    private func inputLoop(_ frontEnd: FrontEnd) {
        while let line = frontEnd.readLine(prompt: "\(nick)> ") {
            if state.withLock({ $0.ended }) != nil { return }
            switch Command(parsing: line) {
            case .quit: return
            case .nothing: continue
            case .reconnect: requestRetry()
            case .notice(let text):
                for part in text.split(separator: "\n") { frontEnd.show(.notice(String(part))) }
            case .unknown(let name, let line):
                guard serverFeaturesOnceKnown()?.contains(.world) == true else {
                    frontEnd.show(.notice("*** unknown command: /\(name) (try /help)"))
                    continue
                }
                guard send(.chat(message: line), typed: line, frontEnd) else { return }
            case .send(let packet):
                guard send(packet, typed: line, frontEnd) else { return }
            }
        }
    }

    /// Sends one typed packet, or says locally why not. Returns false when the run is over.
    ///
    /// Without a connection, plain mode waits for the next one and curses mode gives the line back to the
    /// input line. A send that fails did not reach the server whole (the server drops a partial frame with
    /// the connection), so it is tried again on the next connection the same way, never twice.
    private func send(_ packet: ClientPacket, typed line: String, _ frontEnd: FrontEnd) -> Bool {
        let requirement = CommandRequirement.of(packet)
        var failed: Connection?
        while true {
            let current = state.withLock { $0 }
            if current.ended != nil { return false }
            guard let connection = current.connection, connection !== failed,
                requirement == nil || current.serverFeatures != nil
            else {
                if frontEnd.holdsInputWhileDisconnected {
                    _ = changed.wait(timeout: .now() + .milliseconds(250))
                    continue
                }
                frontEnd.show(.notice("*** not connected: press Enter to send when reconnected"))
                frontEnd.keepDraft(line)
                requestRetry()
                return true
            }
            if let refusal = Self.refusal(packet, requirement, current) {
                frontEnd.show(.notice(refusal))
                return true
            }
            do {
                try connection.send(packet)
            } catch .malformed(.frameTooLarge) {
                frontEnd.show(.notice("*** message too long to send"))
            } catch {
                // The receiver thread sees the same failure and reconnects.
                failed = connection
                continue
            }
            return true
        }
    }

    /// Why `packet` is not sent at all: the server lacks the feature, or the move goes nowhere.
    static func refusal(
        _ packet: ClientPacket, _ requirement: (Features, String)?, _ current: SessionState
    ) -> String? {
        if let (feature, command) = requirement, let supported = current.serverFeatures, !supported.contains(feature) {
            return "*** this server does not support \(command)"
        }
        let room = current.status.room
        switch packet {
        case .leave where Names.key(room) == ChatHubLobby.key:
            return "*** you are already in the lobby"
        case .join(let target, _) where Names.key(target) == Names.key(room):
            return "*** you are already in \(room)"
        default:
            return nil
        }
    }

    /// What the server's `welcome` listed, waiting while the hello is still unanswered; nil without a
    /// connection, or from a server without `welcome`.
    private func serverFeaturesOnceKnown() -> Features? {
        while true {
            let current = state.withLock { $0 }
            if current.serverFeatures != nil || current.connection == nil || current.ended != nil {
                return current.serverFeatures
            }
            _ = changed.wait(timeout: .now() + .milliseconds(250))
        }
    }

    private func requestRetry() {
        state.withLock { $0.retryRequested = true }
        linkWakeup?.wake()
    }
}
