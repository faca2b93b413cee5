import ChatProtocol
import ChatSocket
import Foundation
import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// A protocol client made of a plain socket, for driving the server byte by byte in tests.
public final class RawClient {
    public let socket: SocketDescriptor
    private var decoder = FrameDecoder()
    private var buffer = [UInt8](repeating: 0, count: 65_536)
    public private(set) var isClosed = false

    public struct Timeout: Error {
        public init() {}
    }

    public init(port: UInt16, host: String = "127.0.0.1") throws {
        socket = try SocketDescriptor.connect(host: host, port: port)
    }

    /// A client whose receive buffer is tiny, so that a server writing to it meets back-pressure early.
    public init(port: UInt16, receiveBuffer: Int32) throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
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
        socket = SocketDescriptor(rawValue: fd)
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
        _ nick: String, port: UInt16, features: Features = [], timeout: Duration = .seconds(5)
    ) throws -> RawClient {
        let client = try RawClient(port: port)
        try client.send(.hello(nick: nick, features: features))
        let first = try client.receive(timeout: timeout)
        guard first == .join(nick: nick, room: "lobby") else { throw UnexpectedPacket(packet: first) }
        if features.contains(.info) { _ = try client.receive(timeout: timeout) }
        return client
    }

    public struct UnexpectedPacket: Error {
        public let packet: ServerPacket?
        public init(packet: ServerPacket?) { self.packet = packet }
    }

    public func send(_ packet: ClientPacket) throws {
        try socket.sendAll(try PacketEncoder.frame(packet))
    }

    public func send(json: String) throws {
        try socket.sendAll(try PacketEncoder.frame(payload: Array(json.utf8)))
    }

    public func send(bytes: [UInt8]) throws {
        try socket.sendAll(bytes)
    }

    /// The next packet, or nil once the server has closed the connection. Throws `Timeout` if nothing comes.
    public func receive(timeout: Duration = .seconds(5)) throws -> ServerPacket? {
        while true {
            if let payload = decoder.next() { return try ServerPacket(payload: payload) }
            guard !isClosed else { return nil }
            try fill(timeout: timeout)
        }
    }

    /// Every packet that arrives until `quiet` passes with nothing new.
    public func drain(quiet: Duration = .milliseconds(200)) throws -> [ServerPacket] {
        var packets: [ServerPacket] = []
        do {
            while let packet = try receive(timeout: quiet) { packets.append(packet) }
        } catch is Timeout {}
        return packets
    }

    /// True when the server closes the connection within `timeout`, after any packets it sent first.
    public func waitForClose(timeout: Duration = .seconds(5)) throws -> Bool {
        do {
            while try receive(timeout: timeout) != nil {}
            return true
        } catch is Timeout {
            return false
        }
    }

    /// Resets the connection (RST) instead of closing it cleanly.
    public func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(socket.rawValue, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        isClosed = true
        close()
    }

    private func fill(timeout: Duration) throws {
        var fds = [pollfd(fd: socket.rawValue, events: Int16(POLLIN), revents: 0)]
        let milliseconds = Int32(
            timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let ready = poll(&fds, 1, milliseconds)
        guard ready > 0 else { throw Timeout() }
        let result = buffer.withUnsafeMutableBytes { raw in
            Result { () throws(Errno) in try socket.read(into: raw) }
        }
        switch result {
        case .success(.bytes(let count)): decoder.append(buffer[0..<count])
        case .success(.endOfStream), .success(.wouldBlock): isClosed = true
        case .failure(.connectionReset): isClosed = true
        case .failure(let error): throw error
        }
    }
}
