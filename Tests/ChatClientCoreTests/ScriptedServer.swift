import ChatProtocol
import ChatSocket
import ChatTestSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A listener on 127.0.0.1 that serves its accepted connections one after another, each with the next script,
/// then stops listening: for a client that reconnects, over real connections.
final class ScriptedServer: Sendable {
    typealias Script = @Sendable (ScriptedPeer) throws -> Void

    let port: UInt16
    private let finished = DispatchSemaphore(value: 0)

    init(_ scripts: [Script]) throws {
        let listener = try SocketDescriptor.listen(host: "127.0.0.1", port: 0)
        port = try listener.localAddress().port
        let finished = finished
        let thread = Thread {
            defer {
                listener.close()
                finished.signal()
            }
            for script in scripts {
                guard let socket = Self.acceptBlocking(listener) else { return }
                try? socket.setNonBlocking(false)
                let peer = ScriptedPeer(socket)
                try? script(peer)
                socket.close()
            }
        }
        thread.start()
    }

    /// Waits until every script has run.
    func wait() {
        finished.wait()
    }

    private static func acceptBlocking(_ listener: SocketDescriptor) -> SocketDescriptor? {
        for _ in 0..<1000 {
            if let connection = try? listener.accept() { return connection }
            usleep(10_000)
        }
        return nil
    }
}

/// One accepted connection of a `ScriptedServer`.
final class ScriptedPeer {
    struct Closed: Error {}

    let socket: SocketDescriptor
    private var decoder = FrameDecoder()

    init(_ socket: SocketDescriptor) {
        self.socket = socket
    }

    /// The next packet, or nil when none arrives within `timeout`; throws `Closed` at end of stream.
    func receive(timeout: Duration = .seconds(5)) throws -> ClientPacket? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = ContinuousClock.now + timeout
        while true {
            if let payload = decoder.next() { return try ClientPacket(payload: payload) }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return nil }
            var fds = [pollfd(fd: socket.rawValue, events: Int16(POLLIN), revents: 0)]
            let milliseconds = Int32(
                left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
            guard poll(&fds, 1, max(1, milliseconds)) > 0 else { continue }
            let result = buffer.withUnsafeMutableBytes { raw in Result { try socket.read(into: raw) } }
            guard case .bytes(let count) = try result.get() else { throw Closed() }
            decoder.append(buffer[0..<count])
        }
    }

    /// Every packet until the client closes (or `timeout` passes without one).
    func receiveUntilClosed(timeout: Duration = .seconds(5)) -> [ClientPacket] {
        var packets: [ClientPacket] = []
        while let packet = try? receive(timeout: timeout) { packets.append(packet) }
        return packets
    }

    /// The hello, which must come first.
    func hello() throws -> (nick: String, features: Features, options: ClientPacket.HelloOptions) {
        guard case .hello(let nick, let features, let options)? = try receive() else { throw Closed() }
        return (nick, features, options)
    }

    func send(_ packet: ServerPacket) throws {
        try socket.sendAll(try PacketEncoder.frame(packet))
    }

    func send(json: String) throws {
        try socket.sendAll(try PacketEncoder.frame(payload: Array(json.utf8)))
    }

    /// A welcome listing `features`, with a resume token.
    func welcome(_ nick: String, features: Features, token: String = "T1", resumed: Bool = false) throws {
        try send(
            .welcome(
                .init(
                    nick: nick, room: "lobby", features: features, resumed: resumed, resume: token,
                    server: "scripted")))
    }
}

/// What a scripted server received, read by the test after the run.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Locked<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    func append(contentsOf more: [Value]) { values.withLock { $0.append(contentsOf: more) } }
    var all: [Value] { values.withLock { $0 } }
}
