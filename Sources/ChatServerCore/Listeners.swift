import ChatSocket
import ChatTLS

/// The server's listening sockets: the plain one, the TLS one, or both, and the TLS context every connection of
/// the TLS one shares.
struct Listeners {
    private(set) var plain: SocketDescriptor?
    private(set) var tls: SocketDescriptor?
    let tlsContext: TLSServerContext?
    /// Where each listens, with the port the kernel picked when asked for port 0.
    let plainAddress: SocketAddress?
    let tlsAddress: SocketAddress?

    /// Binds what the configuration asks for; throws with the address or file and the reason when it cannot.
    init(_ configuration: ServerConfiguration) throws(ServerStartError) {
        var context: TLSServerContext?
        if let settings = configuration.tls {
            // OpenSSL writes with write(2), not send(MSG_NOSIGNAL): a peer gone mid-write must not kill the server.
            ResourceLimits.ignoreBrokenPipe()
            do {
                context = try TLSServerContext(certificateFile: settings.certificateFile, keyFile: settings.keyFile)
            } catch {
                throw .tls(error)
            }
        }
        tlsContext = context
        let host = configuration.host
        var plain: SocketDescriptor?
        if configuration.plainListener {
            plain = try Self.bind(host: host, port: configuration.port)
        }
        var tls: SocketDescriptor?
        if let settings = configuration.tls {
            do {
                tls = try Self.bind(host: host, port: settings.port)
            } catch {
                plain?.close()
                throw error
            }
        }
        self.plain = plain
        self.tls = tls
        plainAddress = plain.flatMap { try? $0.localAddress() }
        tlsAddress = tls.flatMap { try? $0.localAddress() }
    }

    private static func bind(host: String?, port: UInt16) throws(ServerStartError) -> SocketDescriptor {
        do {
            return try SocketDescriptor.listen(host: host, port: port)
        } catch {
            throw .socket(error)
        }
    }

    var all: [SocketDescriptor] { [plain, tls].compactMap { $0 } }

    /// Whether `fd` is the TLS listener; nil when it is no listener at all.
    func isTLS(_ fd: SocketDescriptor) -> Bool? {
        if fd == plain { return false }
        if fd == tls { return true }
        return nil
    }

    mutating func closeAll() {
        for listener in all { listener.close() }
        plain = nil
        tls = nil
    }
}
