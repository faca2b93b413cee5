import ChatSocket
import ChatTLS
import ChatTestSupport
import Foundation
import Testing

/// Two ends of a real TCP connection on 127.0.0.1, both non-blocking, closed when this goes away.
final class LoopbackPair {
    let client: SocketDescriptor
    let server: SocketDescriptor
    private var closed: Set<CInt> = []

    /// A connected pair; `sendBuffer`, when given, shrinks both ends' `SO_SNDBUF` and `SO_RCVBUF` so that
    /// writes meet back-pressure early.
    init(sendBuffer: CInt? = nil) throws {
        // OpenSSL writes with write(2): a reset peer would raise SIGPIPE, as in any process using ChatTLS.
        ResourceLimits.ignoreBrokenPipe()
        let listener = try SocketDescriptor.listen(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        client = try SocketDescriptor.connect(host: "127.0.0.1", port: try listener.localAddress().port)
        var accepted: SocketDescriptor?
        for _ in 0..<400 where accepted == nil {
            accepted = try listener.accept()
            if accepted == nil { usleep(5_000) }
        }
        server = try #require(accepted)
        try server.disableNagle()
        for end in [client, server] {
            try end.setNonBlocking()
            if let sendBuffer {
                try end.setOption(level: SOL_SOCKET, name: SO_SNDBUF, value: sendBuffer)
                try end.setOption(level: SOL_SOCKET, name: SO_RCVBUF, value: sendBuffer)
            }
        }
    }

    /// Closes `end` now with a TCP reset (`SO_LINGER` with a zero timeout) rather than a FIN.
    func reset(_ end: SocketDescriptor) throws {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(end.rawValue, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close(end)
    }

    /// Closes `end` now (a FIN).
    func close(_ end: SocketDescriptor) {
        guard closed.insert(end.rawValue).inserted else { return }
        end.close()
    }

    deinit {
        for end in [client, server] where !closed.contains(end.rawValue) { end.close() }
    }
}

/// `poll(2)` on one descriptor for `events`, at most `milliseconds`; true when it is ready.
@discardableResult
func wait(for fd: SocketDescriptor, _ events: Int16, milliseconds: CInt = 2_000) -> Bool {
    var entry = pollfd(fd: fd.rawValue, events: events, revents: 0)
    return poll(&entry, 1, milliseconds) > 0
}

/// Drives both handshakes in this thread until both are done or one fails, waiting in `poll` for what each
/// side wants; gives up after about ten seconds.
func handshake(_ client: TLSConnection, _ server: TLSConnection) -> (client: TLSProgress, server: TLSProgress) {
    var clientProgress = TLSProgress.wantWrite
    var serverProgress = TLSProgress.wantRead
    let deadline = ContinuousClock.now + .seconds(10)
    while ContinuousClock.now < deadline {
        if clientProgress != .done { clientProgress = client.handshake() }
        if serverProgress != .done { serverProgress = server.handshake() }
        if case .failed = clientProgress { break }
        if case .failed = serverProgress { break }
        if clientProgress == .done && serverProgress == .done { break }
        var entries = [
            pollfd(fd: client.fd, events: events(for: clientProgress), revents: 0),
            pollfd(fd: server.fd, events: events(for: serverProgress), revents: 0),
        ]
        _ = poll(&entries, 2, 100)
    }
    return (clientProgress, serverProgress)
}

private func events(for progress: TLSProgress) -> Int16 {
    progress == .wantWrite ? Int16(POLLOUT) : progress == .done ? 0 : Int16(POLLIN)
}

/// A client and server `TLSConnection` over a fresh loopback pair, handshake not started.
struct TLSPair {
    let sockets: LoopbackPair
    let client: TLSConnection
    let server: TLSConnection

    init(
        certificate: String, key: String, caFile: String?, host: String = "localhost", sendBuffer: CInt? = nil
    ) throws {
        sockets = try LoopbackPair(sendBuffer: sendBuffer)
        let serverContext = try TLSServerContext(certificateFile: certificate, keyFile: key)
        let clientContext = try TLSClientContext(caFile: caFile)
        server = try TLSConnection(context: serverContext, fd: sockets.server.rawValue)
        client = try TLSConnection(context: clientContext, fd: sockets.client.rawValue, host: host)
    }

    /// A pair whose handshake has completed, over the CA-signed certificate.
    static func connected(_ certificates: TestCertificates, sendBuffer: CInt? = nil) throws -> TLSPair {
        let pair = try TLSPair(
            certificate: certificates.signedCertificate, key: certificates.signedKey,
            caFile: certificates.caCertificate, sendBuffer: sendBuffer)
        let result = handshake(pair.client, pair.server)
        try #require(result.client == .done && result.server == .done, "handshake: \(result)")
        return pair
    }
}
