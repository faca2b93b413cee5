import ChatProtocol
import ChatSocket
import ChatText
import Foundation
import Synchronization

/// One client run: connect, say hello, then a receiver thread shows what arrives while the input thread sends
/// what the user types.
public final class ChatSession: Sendable {
    /// How a run ended; the command line maps it to an exit status.
    public enum Outcome: Equatable, Sendable {
        /// The user quit (`/q`, end of input).
        case quit
        /// The connection could not be made; the text says why.
        case connectFailed(String)
        /// The server refused the hello; the text is its reason.
        case rejected(String)
        /// The connection was lost after it was up.
        case disconnected(String)
        /// The front end could not start (no usable terminal); the text says why.
        case frontEndFailed(String)
    }

    private let nick: String
    private let host: String
    private let port: UInt16
    private let features: Features
    private let status: Mutex<SessionStatus>
    private let quitting = Atomic<Bool>(false)
    private let lostReason = Mutex<String?>(nil)

    public init(nick: String, host: String, port: UInt16, features: Features = .all) {
        self.nick = nick
        self.host = host
        self.port = port
        self.features = features
        let server = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        status = Mutex(SessionStatus(server: server, nick: nick, room: "lobby", isConnected: true))
    }

    /// Runs the session to its end on the calling thread, which becomes the input thread.
    public func run(frontEnd: FrontEnd) -> Outcome {
        let connection: Connection
        do {
            connection = try Connection(host: host, port: port)
        } catch {
            return .connectFailed(error.description)
        }
        let greeting: [ServerPacket]
        switch handshake(connection) {
        case .success(let packets): greeting = packets
        case .failure(let failure): return failure.outcome
        }
        do {
            try frontEnd.start()
        } catch {
            return .frontEndFailed("\(error)")
        }
        defer { frontEnd.stop() }
        frontEnd.update(status.withLock { $0 })
        let formatter = DisplayFormatter(me: nick)
        for packet in greeting { present(packet, formatter, frontEnd) }
        let receiver = ReceiverThread { [self] in receive(connection, formatter, frontEnd) }
        receiver.start()
        inputLoop(connection, frontEnd)
        quitting.store(true, ordering: .sequentiallyConsistent)
        connection.shutdown()
        receiver.join()
        if let reason = lostReason.withLock({ $0 }) { return .disconnected(reason) }
        return .quit
    }

    // MARK: - Steps

    /// Sends hello and waits for the server's answer: our own `join` means we are in, an `error` means no.
    /// Runs on the input thread before the receiver thread exists, so it may call `receive()` itself.
    private func handshake(_ connection: Connection) -> Result<[ServerPacket], HandshakeFailure> {
        do {
            try connection.send(.hello(nick: nick, features: features))
            var received: [ServerPacket] = []
            while true {
                let packet = try connection.receive()
                received.append(packet)
                switch packet {
                case .error(_, let message):
                    return .failure(HandshakeFailure(.rejected(DisplaySanitizer.sanitized(message))))
                case .join(let joined, _) where Names.key(joined) == Names.key(nick):
                    return .success(received)
                default:
                    continue
                }
            }
        } catch {
            return .failure(HandshakeFailure(.connectFailed(error.description)))
        }
    }

    private func inputLoop(_ connection: Connection, _ frontEnd: FrontEnd) {
        while let line = frontEnd.readLine(prompt: "\(nick)> ") {
            switch Command(parsing: line) {
            case .quit: return
            case .nothing: continue
            case .notice(let text):
                for part in text.split(separator: "\n") { frontEnd.show(.notice(String(part))) }
            case .send(let packet):
                do {
                    try connection.send(packet)
                } catch .malformed(.frameTooLarge) {
                    frontEnd.show(.notice("*** message too long to send"))
                } catch {
                    // The receiver thread sees the same failure and reports it once.
                    continue
                }
            }
        }
    }

    private func receive(_ connection: Connection, _ formatter: DisplayFormatter, _ frontEnd: FrontEnd) {
        while true {
            do {
                present(try connection.receive(), formatter, frontEnd)
            } catch {
                guard !quitting.load(ordering: .sequentiallyConsistent) else { return }
                lostReason.withLock { $0 = error.description }
                frontEnd.show(.notice("*** disconnected from server"))
                frontEnd.update(
                    status.withLock {
                        $0.isConnected = false; return $0
                    })
                frontEnd.connectionClosed()
                return
            }
        }
    }

    private func present(_ packet: ServerPacket, _ formatter: DisplayFormatter, _ frontEnd: FrontEnd) {
        if case .join(let joined, let room) = packet, Names.key(joined) == Names.key(nick) {
            frontEnd.update(
                status.withLock {
                    $0.room = room ?? "lobby"; return $0
                })
        }
        frontEnd.show(formatter.line(for: packet))
    }
}

/// The outcome a failed handshake ends the run with.
struct HandshakeFailure: Error {
    let outcome: ChatSession.Outcome
    init(_ outcome: ChatSession.Outcome) { self.outcome = outcome }
}
