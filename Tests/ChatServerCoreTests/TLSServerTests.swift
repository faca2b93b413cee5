import ChatProtocol
import ChatServerCore
import ChatSocket
import ChatTLS
import ChatTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The TLS listener beside the plain one, inside the same select loop; and what abuse of it costs (only the
/// abuser's connection). The rest of the suites run over TLS as well with `CHAT_TEST_TLS=1`.
@Suite(.timeLimit(.minutes(1))) struct TLSServerTests {
    let server: TestServer
    let tlsPort: UInt16
    let plainPort: UInt16

    init() throws {
        let settings = try TestTransport.serverSettings()
        var tlsPort: UInt16 = 0
        server = try TestServer { configuration in
            configuration.tls = settings
            configuration.plainListener = true
            configuration.helloTimeout = .milliseconds(500)
        }
        tlsPort = server.tlsPort ?? 0
        self.tlsPort = tlsPort
        plainPort = server.plainPort ?? 0
    }

    func tlsClient(_ nick: String) throws -> RawClient {
        let client = try RawClient(tlsPort: tlsPort, context: TestTransport.clientContext(), name: nick)
        try client.send(.hello(nick: nick, features: .all))
        #expect(try client.receive(through: { $0 == .join(nick: nick, room: "lobby") }).last != nil)
        _ = try client.receive()  // the welcome info
        return client
    }

    @Test func plainAndTLSClientsShareOneChat() throws {
        defer { server.stop() }
        let secure = try tlsClient("secure")
        let plain = try RawClient(plainPort: plainPort, name: "plain")
        try plain.send(.hello(nick: "plain", features: []))
        #expect(try plain.receive() == .join(nick: "plain", room: "lobby"))
        #expect(try secure.receive() == .join(nick: "plain", room: "lobby"))
        try plain.send(.chat(message: "in the clear"))
        #expect(try secure.receive() == .chat(nick: "plain", message: "in the clear"))
        try secure.send(.dm(to: "plain", message: "and back, encrypted"))
        #expect(try secure.receive() == .dm(nick: "secure", to: "plain", message: "and back, encrypted"))
        #expect(
            try plain.receive(2) == [
                .chat(nick: "plain", message: "in the clear"),
                .chat(nick: "secure -> plain", message: "and back, encrypted"),
            ])
    }

    @Test(arguments: [
        ("plaintext hello", try PacketEncoder.frame(ClientPacket.hello(nick: "pat", features: []))),
        ("garbage ClientHello", [0x16, 0x03, 0x01, 0x00, 0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] as [UInt8]),
        ("HTTP", Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)),
    ])
    func abuseOfTheTLSPortCostsOnlyThatConnection(_ name: String, _ bytes: [UInt8]) throws {
        defer { server.stop() }
        let secure = try tlsClient("secure")
        let abuser = try SocketDescriptor.connect(host: "127.0.0.1", port: tlsPort)
        defer { abuser.close() }
        try abuser.sendAll(bytes)
        #expect(try Self.closedWithin(abuser, .seconds(5)), "\(name): still open")
        try secure.send(.chat(message: "unbothered"))
        #expect(try secure.receive() == .chat(nick: "secure", message: "unbothered"))
    }

    @Test func aStalledHandshakeEndsAtTheHelloTimeout() throws {
        defer { server.stop() }
        let staller = try SocketDescriptor.connect(host: "127.0.0.1", port: tlsPort)
        defer { staller.close() }
        let started = ContinuousClock.now
        // The hello timeout covers the handshake: 500 ms here, then the lingering close of at most 2 s.
        #expect(try Self.closedWithin(staller, .seconds(5)))
        #expect(ContinuousClock.now - started >= .milliseconds(450))
        let secure = try tlsClient("after")
        try secure.send(.chat(message: "fine"))
        #expect(try secure.receive() == .chat(nick: "after", message: "fine"))
    }

    @Test func aResetMidHandshakeHurtsNobody() throws {
        defer { server.stop() }
        for _ in 0..<20 {
            let socket = try SocketDescriptor.connect(host: "127.0.0.1", port: tlsPort)
            try socket.setNonBlocking()
            let connection = try TLSConnection(
                context: TestTransport.clientContext(), fd: socket.rawValue, host: "localhost")
            _ = connection.handshake()  // the ClientHello goes out; the answer is never read
            var option = linger(l_onoff: 1, l_linger: 0)
            _ = setsockopt(socket.rawValue, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
            withExtendedLifetime(connection) { socket.close() }
        }
        let secure = try tlsClient("survivor")
        try secure.send(.chat(message: "still here"))
        #expect(try secure.receive() == .chat(nick: "survivor", message: "still here"))
    }

    @Test func aPasswordWorksTheSameOverTLS() throws {
        server.stop()
        let settings = try TestTransport.serverSettings()
        let guarded = try TestServer { configuration in
            configuration.tls = settings
            configuration.plainListener = false
            configuration.password = "sesame"
        }
        defer { guarded.stop() }
        let port = try #require(guarded.tlsPort)
        let wrong = try RawClient(tlsPort: port, context: TestTransport.clientContext(), name: "wrong")
        try wrong.send(.hello(nick: "pat", features: [], options: .init(password: "open")))
        #expect(try wrong.waitForClose() == [.error(code: .badPassword, message: "wrong password")])
        let right = try RawClient(tlsPort: port, context: TestTransport.clientContext(), name: "right")
        try right.send(.hello(nick: "pat", features: [], options: .init(password: "sesame")))
        #expect(try right.receive() == .join(nick: "pat", room: "lobby"))
    }

    /// Reads and discards until the peer closes or resets; false if it is still open after `timeout`.
    static func closedWithin(_ socket: SocketDescriptor, _ timeout: Duration) throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        var fds = [pollfd(fd: socket.rawValue, events: Int16(POLLIN), revents: 0)]
        while ContinuousClock.now < deadline {
            guard poll(&fds, 1, 50) > 0 else { continue }
            let result = buffer.withUnsafeMutableBytes { raw in Result { try socket.read(into: raw) } }
            switch result {
            case .success(.bytes): continue
            case .success(.wouldBlock): continue
            case .success(.endOfStream), .failure: return true
            }
        }
        return false
    }
}
