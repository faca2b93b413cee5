import ChatProtocol
import ChatSocket
import Synchronization
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The client's blocking connection: one thread receives while another sends.
///
/// `receive()` is called by the session's receiver thread only. `send(_:)`, `finishSending()` and
/// `shutdown()` may come from any thread; a lock keeps each sent frame whole.
public final class Connection: Sendable {
    /// Why the connection ended or a packet could not go out.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The server closed the connection.
        case closed
        /// A syscall failed (reset, broken pipe, …).
        case system(Errno)
        /// A packet could not be encoded (too large to send).
        case malformed(ProtocolError)

        public var description: String {
            switch self {
            case .closed: "connection closed by server"
            case .system(let errno): errno.description
            case .malformed(let error): "cannot send (\(error.explanation))"
            }
        }
    }

    private let socket: SocketDescriptor
    private let sendLock = Mutex(())
    /// Owned by the one thread that calls `receive()` (see the type's comment).
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
        // Two threads send (the input thread's lines, the receiver's pongs): a frame goes out whole.
        let sent = sendLock.withLock { _ in Result { () throws(Errno) in try socket.sendAll(frame) } }
        if case .failure(let error) = sent { throw .system(error) }
    }

    /// What `receive(timeout:)` found.
    public enum Received: Equatable, Sendable {
        /// A packet of a type this client knows.
        case packet(ServerPacket)
        /// A whole frame that is not a usable packet (not JSON, a known type with a missing or mistyped
        /// field); the framing is still in step, so the session goes on. The text says what was wrong.
        case malformed(String)
        /// Nothing within the timeout.
        case timedOut
    }

    /// The next packet from the server, waiting at most `timeout` milliseconds (-1: no limit), or until
    /// `wakeFD` is readable (then `.timedOut`). Packets of types this client does not know are skipped, as
    /// PROTOCOL.md asks. Throws `.closed` at end of stream.
    public func receive(timeout: Int32 = -1, wakeFD: CInt? = nil) throws(Connection.Failure) -> Received {
        while true {
            while let payload = decoder.next() {
                do {
                    return .packet(try ServerPacket(payload: payload))
                } catch .unknownType {
                    continue
                } catch {
                    return .malformed(error.explanation)
                }
            }
            guard try Self.waitReadable(socket, timeout: timeout, wakeFD: wakeFD) else { return .timedOut }
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

    /// Wraps `poll(2)` on the socket (and `wakeFD`): false when `timeout` milliseconds pass with nothing to
    /// read, or `wakeFD` woke it.
    private static func waitReadable(
        _ socket: SocketDescriptor, timeout: Int32, wakeFD: CInt?
    ) throws(Connection.Failure) -> Bool {
        guard timeout >= 0 || wakeFD != nil else { return true }
        var fds = [pollfd(fd: socket.rawValue, events: Int16(POLLIN), revents: 0)]
        if let wakeFD { fds.append(pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)) }
        while true {
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready > 0 { return fds[0].revents != 0 }
            if ready == 0 { return false }
            // EINTR: waiting again from the start errs on the long side by at most one signal's worth.
            guard errno == EINTR else { throw .system(Errno(rawValue: errno)) }
        }
    }

    /// Says we will send nothing more (`shutdown(2)` with `SHUT_WR`): the server reads to our last byte,
    /// and we go on reading until it closes. Closing instead, with its data unread, would send a reset.
    public func finishSending() {
        try? socket.shutdown(.write)
    }

    /// Wakes a thread blocked in `receive()`, which then sees end of stream.
    public func shutdown() {
        try? socket.shutdown(.both)
    }

    deinit {
        socket.close()
    }
}
