import ChatProtocol
import ChatSocket
import ChatSystem
import ChatTLS
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The client's connection, plain or TLS: one thread receives while another sends.
///
/// `receive()` is called by the session's receiver thread only. `send(_:)`, `finishSending()` and
/// `shutdown()` may come from any thread; a lock keeps each sent frame whole. A plain connection is a
/// blocking socket. Over TLS the socket is non-blocking and every OpenSSL call is made under the
/// `TLSChannel`'s lock, never two at once (see `TLSChannel`).
public final class Connection: Sendable {
    /// Why the connection ended or a packet could not go out.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The server closed the connection.
        case closed
        /// A syscall failed (reset, broken pipe, …).
        case system(Errno)
        /// A packet could not be encoded (too large to send).
        case malformed(ProtocolError)
        /// The TCP connection could not be made; the text is the `SocketError`'s.
        case connect(String)
        /// TLS failed: the handshake, a read or a write.
        case tls(TLSError)

        public var description: String {
            switch self {
            case .closed: "connection closed by server"
            case .system(let errno): errno.description
            case .malformed(let error): "cannot send (\(error.explanation))"
            case .connect(let reason): reason
            case .tls(let error): error.description
            }
        }
    }

    private let socket: SocketDescriptor
    /// The TLS session, when the connection uses TLS.
    private let channel: TLSChannel?
    /// Held while a frame goes out; counts the frames sent. (Not `Locked(())`: ThreadSanitizer reports the
    /// exclusivity check on a zero-size value, which sits at the object's start, as racing with other threads'
    /// reads of the object's header, though the mutex orders every access.)
    private let sendLock = Locked(0)
    /// Owned by the one thread that calls `receive()` (see the type's comment).
    private nonisolated(unsafe) var decoder = FrameDecoder()
    /// Owned like `decoder`.
    private nonisolated(unsafe) var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// How long the TLS handshake may take, in milliseconds: the server's own hello timeout covers it.
    static let handshakeMilliseconds: Int32 = 10_000

    /// Connects to `host` and `port`, trying every address the name resolves to; with `tls`, then runs the
    /// TLS handshake. The server's certificate is not judged here: see `certificate`.
    public init(host: String, port: UInt16, tls: TLSClientContext? = nil) throws(Connection.Failure) {
        do {
            socket = try SocketDescriptor.connect(host: host, port: port)
        } catch {
            throw .connect(error.description)
        }
        guard let tls else {
            channel = nil
            return
        }
        do {
            channel = try TLSChannel(context: tls, socket: socket, host: host, timeout: Self.handshakeMilliseconds)
        } catch {
            socket.close()
            throw .tls(error)
        }
    }

    /// Over TLS, the server's certificate: whether it verified against the trust anchors and the host name,
    /// and its SHA-256 fingerprint. Nil on a plain connection.
    public var certificate: (verification: TLSVerification, fingerprint: CertificateFingerprint?)? {
        channel?.certificate
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
        let sent = sendLock.withLock { sentCount -> Result<Void, Connection.Failure> in
            sentCount += 1
            if let channel {
                return Result { () throws(TLSError) in try channel.writeAll(frame) }.mapError { .tls($0) }
            }
            return Result { () throws(Errno) in try socket.sendAll(frame) }.mapError { .system($0) }
        }
        try sent.get()
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
            if let channel {
                guard try readTLS(channel, timeout: timeout, wakeFD: wakeFD) else { return .timedOut }
                continue
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

    /// One TLS read into the decoder; false when nothing came within `timeout` or `wakeFD` woke it.
    private func readTLS(_ channel: TLSChannel, timeout: Int32, wakeFD: CInt?) throws(Connection.Failure) -> Bool {
        let result = buffer.withUnsafeMutableBytes { raw in
            channel.read(into: raw, timeout: timeout, wakeFD: wakeFD)
        }
        switch result {
        case .bytes(let count):
            decoder.append(buffer[0..<count])
            return true
        case .wantRead, .wantWrite: return false
        case .closed: throw .closed
        case .failed(let error): throw .tls(error)
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
        // Over TLS, close_notify first: the server's read then ends cleanly rather than at a bare FIN.
        sendLock.withLock { _ in channel?.close() }
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
