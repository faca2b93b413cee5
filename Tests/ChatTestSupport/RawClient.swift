import ChatProtocol
import ChatSocket
import ChatTLS
import Foundation
import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// A protocol client made of a plain socket, for driving the server byte by byte in tests.
///
/// Every wait has a deadline and fails with a message that says what was awaited and for how long: no test can
/// hang on a packet that never comes, or spin on a connection that has closed.
public final class RawClient {
    /// How long a positive wait (for a packet, for the close) lasts unless the test says otherwise: generous,
    /// because sanitizers make the server many times slower; a test that passes never waits this long.
    public static let patience: Duration = .seconds(10)

    public let socket: SocketDescriptor
    /// Who this is in failure messages: the nick once joined.
    public var name: String
    /// Set for a client of the TLS listener; its socket is then non-blocking.
    private var tls: TLSConnection?
    /// One OpenSSL connection must not be used by two threads at once, and some tests read on one thread while
    /// they write on another: each call into it holds this lock (waits for the socket do not).
    private let tlsLock = NSLock()
    private var decoder = FrameDecoder()
    private var buffer = [UInt8](repeating: 0, count: 65_536)
    /// Packets received so far, for failure messages.
    public private(set) var receivedCount = 0
    /// True once the server has closed (or reset) the connection and everything before has been read.
    public private(set) var isClosed = false

    /// A wait that did not end as the test expected.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Connects over the transport of this test run (`TestTransport`).
    public convenience init(port: UInt16, host: String = "127.0.0.1", name: String = "client") throws {
        let socket = try SocketDescriptor.connect(host: host, port: port)
        try self.init(socket: socket, name: name, tls: TestTransport.isTLS ? TestTransport.clientContext() : nil)
    }

    /// A plain-text client whatever the test run's transport, for a server's plain listener.
    public convenience init(plainPort port: UInt16, name: String = "client") throws {
        try self.init(socket: try SocketDescriptor.connect(host: "127.0.0.1", port: port), name: name, tls: nil)
    }

    /// A client of a TLS listener: connects, completes the handshake within `patience`, and checks the
    /// certificate the way `context` says (a throwaway CA in tests). Throws if either fails.
    public convenience init(
        tlsPort port: UInt16, context: TLSClientContext, host: String = "localhost", name: String = "client"
    ) throws {
        let socket = try SocketDescriptor.connect(host: "127.0.0.1", port: port)
        try self.init(socket: socket, name: name, tls: context, host: host)
    }

    private init(socket: SocketDescriptor, name: String, tls context: TLSClientContext?, host: String = "localhost")
        throws
    {
        self.socket = socket
        self.name = name
        guard let context else { return }
        do {
            try handshake(context, host: host)
        } catch {
            socket.close()
            throw error
        }
    }

    private func handshake(_ context: TLSClientContext, host: String) throws {
        // OpenSSL writes with write(2): a server gone mid-write must fail the test, not kill the test process.
        ResourceLimits.ignoreBrokenPipe()
        try socket.setNonBlocking()
        let connection = try TLSConnection(context: context, fd: socket.rawValue, host: host)
        tls = connection
        let deadline = ContinuousClock.now + Self.patience
        while true {
            switch connection.handshake() {
            case .done:
                guard case .trusted = connection.verification else {
                    throw Failure("\(name): the server's certificate is not trusted: \(connection.verification)")
                }
                return
            case .wantRead: try wait(for: Int16(POLLIN), before: deadline)
            case .wantWrite: try wait(for: Int16(POLLOUT), before: deadline)
            case .failed(let error): throw Failure("\(name): TLS handshake failed: \(error)")
            }
        }
    }

    private func wait(for events: Int16, before deadline: ContinuousClock.Instant) throws {
        var fds = [pollfd(fd: socket.rawValue, events: events, revents: 0)]
        while true {
            let left = max(.zero, deadline - ContinuousClock.now)
            guard left > .zero else { throw Failure("\(name): TLS stalled past the deadline") }
            let ready = poll(&fds, 1, Int32(left.components.seconds * 1000 + 1))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw Errno(rawValue: errno) }
        }
    }

    /// Writes everything, over TLS or not.
    private func sendAll(_ bytes: [UInt8]) throws {
        guard let tls else { return try socket.sendAll(bytes) }
        let deadline = ContinuousClock.now + Self.patience
        var offset = 0
        while offset < bytes.count {
            let result = tlsLock.withLock {
                bytes.withUnsafeBytes { tls.write(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            }
            switch result {
            case .wrote(let count): offset += count
            case .wantRead: try wait(for: Int16(POLLIN), before: deadline)
            case .wantWrite: try wait(for: Int16(POLLOUT), before: deadline)
            case .failed(let error): throw Failure("\(name): TLS write failed: \(error)")
            }
        }
    }

    /// A client whose receive buffer is tiny, so that a server writing to it meets back-pressure early.
    public convenience init(port: UInt16, receiveBuffer: Int32, name: String = "client") throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var size = receiveBuffer
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            Glibc.close(fd)
            throw Errno(rawValue: errno)
        }
        try self.init(
            socket: SocketDescriptor(rawValue: fd), name: name,
            tls: TestTransport.isTLS ? TestTransport.clientContext() : nil)
    }

    private var descriptorOpen = true

    deinit {
        close()
    }

    /// Closes the socket cleanly (FIN).
    public func close() {
        guard descriptorOpen else { return }
        descriptorOpen = false
        socket.close()
    }

    /// Connects and completes `hello`, consuming our own `join` (and the welcome, if `info` was announced).
    public static func joined(
        _ nick: String, port: UInt16, features: Features = [], within timeout: Duration = patience
    ) throws -> RawClient {
        let client = try RawClient(port: port, name: nick)
        try client.send(.hello(nick: nick, features: features))
        let first = try client.receive(within: timeout)
        guard first == .join(nick: nick, room: "lobby") else {
            throw Failure("\(nick): expected its own join, received \(first)")
        }
        if features.contains(.info) {
            guard case .info = try client.receive(within: timeout) else {
                throw Failure("\(nick): expected the welcome info")
            }
        }
        return client
    }

    public func send(_ packet: ClientPacket) throws {
        try sendAll(try PacketEncoder.frame(packet))
    }

    public func send(json: String) throws {
        try sendAll(try PacketEncoder.frame(payload: Array(json.utf8)))
    }

    public func send(bytes: [UInt8]) throws {
        try sendAll(bytes)
    }

    // MARK: - Waiting

    /// The next packet. Throws if none arrives within `timeout`, or if the server closes the connection first.
    public func receive(within timeout: Duration = patience) throws -> ServerPacket {
        let deadline = ContinuousClock.now + timeout
        switch try next(before: deadline) {
        case .packet(let packet): return packet
        case .deadline: throw Failure("\(name): no packet within \(timeout) (after \(receivedCount) packets)")
        case .closed: throw Failure("\(name): the server closed the connection (after \(receivedCount) packets)")
        }
    }

    /// The next `count` packets, all within `timeout`.
    public func receive(_ count: Int, within timeout: Duration = patience) throws -> [ServerPacket] {
        try receive(through: { _ in false }, count: count, within: timeout)
    }

    /// Packets up to and including the first one that `isWanted`, all within `timeout`.
    public func receive(
        through isWanted: (ServerPacket) -> Bool, within timeout: Duration = patience
    ) throws -> [ServerPacket] {
        try receive(through: isWanted, count: .max, within: timeout)
    }

    private func receive(
        through isWanted: (ServerPacket) -> Bool, count: Int, within timeout: Duration
    ) throws -> [ServerPacket] {
        let deadline = ContinuousClock.now + timeout
        var packets: [ServerPacket] = []
        while packets.count < count {
            switch try next(before: deadline) {
            case .packet(let packet):
                packets.append(packet)
                if isWanted(packet) { return packets }
            case .deadline:
                throw Failure("\(name): what was awaited did not come within \(timeout); received \(packets)")
            case .closed:
                throw Failure("\(name): the server closed the connection while awaited; received \(packets)")
            }
        }
        return packets
    }

    /// Watches the connection for `duration` and throws if anything arrives, the close included: a negative
    /// check, which can only say that nothing came in the time it watched.
    public func expectNothing(for duration: Duration = .milliseconds(300)) throws {
        switch try next(before: ContinuousClock.now + duration) {
        case .deadline: return
        case .packet(let packet): throw Failure("\(name): expected nothing for \(duration), received \(packet)")
        case .closed: throw Failure("\(name): expected nothing for \(duration), but the server closed the connection")
        }
    }

    /// Waits for the server to close the connection and returns the packets it sent before. Throws if the
    /// connection is still open after `timeout`.
    @discardableResult
    public func waitForClose(within timeout: Duration = patience) throws -> [ServerPacket] {
        let deadline = ContinuousClock.now + timeout
        var packets: [ServerPacket] = []
        while true {
            switch try next(before: deadline) {
            case .packet(let packet): packets.append(packet)
            case .closed: return packets
            case .deadline: throw Failure("\(name): still open after \(timeout), having received \(packets)")
            }
        }
    }

    /// Resets the connection (RST) instead of closing it cleanly.
    public func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(socket.rawValue, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        isClosed = true
        close()
    }

    private enum Next {
        case packet(ServerPacket)
        case deadline
        case closed
    }

    private func next(before deadline: ContinuousClock.Instant) throws -> Next {
        while true {
            if let payload = decoder.next() {
                receivedCount += 1
                return .packet(try ServerPacket(payload: payload))
            }
            guard !isClosed else { return .closed }
            guard try fill(before: deadline) else { return .deadline }
        }
    }

    /// Reads what has arrived; false if nothing did before the deadline.
    private func fill(before deadline: ContinuousClock.Instant) throws -> Bool {
        if let tls { return try fillTLS(tls, before: deadline) }
        var fds = [pollfd(fd: socket.rawValue, events: Int16(POLLIN), revents: 0)]
        while true {
            let left = max(.zero, deadline - ContinuousClock.now)
            let milliseconds = Int32(
                left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
            let ready = poll(&fds, 1, milliseconds)
            if ready > 0 { break }
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 { throw Errno(rawValue: errno) }
            if ContinuousClock.now >= deadline { return false }
        }
        let result = buffer.withUnsafeMutableBytes { raw in
            Result { () throws(Errno) in try socket.read(into: raw) }
        }
        switch result {
        case .success(.bytes(let count)): decoder.append(buffer[0..<count])
        case .success(.endOfStream), .success(.wouldBlock): isClosed = true
        case .failure(.connectionReset): isClosed = true
        case .failure(let error): throw error
        }
        return true
    }

    /// Reads what OpenSSL can decrypt; false if nothing came before the deadline.
    private func fillTLS(_ tls: TLSConnection, before deadline: ContinuousClock.Instant) throws -> Bool {
        while true {
            let result = tlsLock.withLock { buffer.withUnsafeMutableBytes { tls.read(into: $0) } }
            switch result {
            case .bytes(let count):
                decoder.append(buffer[0..<count])
                return true
            case .wantRead, .wantWrite:
                guard ContinuousClock.now < deadline else { return false }
                var fds = [pollfd(fd: socket.rawValue, events: Int16(POLLIN), revents: 0)]
                let left = deadline - ContinuousClock.now
                _ = poll(
                    &fds, 1, Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
                )
            case .closed, .failed:
                isClosed = true
                return true
            }
        }
    }
}
