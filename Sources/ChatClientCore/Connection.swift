import ChatProtocol
import ChatSocket
import SystemPackage

/// The client's blocking connection: one thread receives while another sends.
///
/// `receive()` is called by one thread at a time: the thread that runs `ChatSession.run` for the handshake,
/// then only the receiver thread, which that thread starts once the handshake is over (starting a thread
/// orders the hand-over). `send(_:)` and `shutdown()` may come from any thread.
public final class Connection: Sendable {
    /// Why the connection ended or a packet could not go out.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The server closed the connection.
        case closed
        /// A syscall failed (reset, broken pipe, …).
        case system(Errno)
        /// The server sent something that is not a packet.
        case malformed(ProtocolError)

        public var description: String {
            switch self {
            case .closed: "connection closed by server"
            case .system(let errno): errno.description
            case .malformed(let error): "server sent a malformed packet (\(error.explanation))"
            }
        }
    }

    private let socket: SocketDescriptor
    /// Owned by whichever thread may call `receive()` (see the type's comment): one at a time, never two.
    private nonisolated(unsafe) var decoder = FrameDecoder()
    /// Owned like `decoder`.
    private nonisolated(unsafe) var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// Connects to `host` and `port`, trying every address the name resolves to.
    public init(host: String, port: UInt16) throws(SocketError) {
        socket = try SocketDescriptor.connect(host: host, port: port)
    }

    /// Sends one packet whole; throws `frameTooLarge` without sending when it would not fit.
    public func send(_ packet: ClientPacket) throws(Connection.Failure) {
        let frame: [UInt8]
        do {
            frame = try PacketEncoder.frame(packet)
        } catch {
            throw .malformed(error)
        }
        do {
            try socket.sendAll(frame)
        } catch {
            throw .system(error)
        }
    }

    /// The next packet from the server; blocks. Packets of types this client does not know are skipped, as
    /// PROTOCOL.md asks. Throws `.closed` at end of stream.
    public func receive() throws(Connection.Failure) -> ServerPacket {
        while true {
            while let payload = decoder.next() {
                do {
                    return try ServerPacket(payload: payload)
                } catch .unknownType {
                    continue
                } catch {
                    throw .malformed(error)
                }
            }
            let result = buffer.withUnsafeMutableBytes { raw in
                Result { () throws(Errno) in try socket.read(into: raw) }
            }
            switch result {
            case .success(.bytes(let count)): decoder.append(buffer[0..<count])
            case .success(.endOfStream), .success(.wouldBlock): throw .closed
            case .failure(let error): throw .system(error)
            }
        }
    }

    /// Wakes a thread blocked in `receive()`, which then sees end of stream.
    public func shutdown() {
        try? socket.shutdown(.both)
    }

    deinit {
        socket.close()
    }
}
