import ChatSocket
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A loopback address (127.0.0.0/8 or ::1) and port; the bench refuses to load anything else.
struct LoopbackAddress: Sendable {
    let family: CInt
    private let storage: sockaddr_storage
    private let length: socklen_t
    /// The host as given, for messages.
    let description: String

    /// Parses `host` (`localhost`, an IPv4 or an IPv6 literal); throws unless it is a loopback address.
    init(host: String, port: UInt16) throws(BenchError) {
        let literal = host == "localhost" ? "127.0.0.1" : host
        var storage = sockaddr_storage()
        description = "\(host):\(port)"
        if literal.contains(":") {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            guard inet_pton(AF_INET6, literal, &address.sin6_addr) == 1, Self.isLoopback(address.sin6_addr) else {
                throw BenchError("\(host) is not a loopback address (::1)")
            }
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in6.self) }
            (family, length) = (AF_INET6, socklen_t(MemoryLayout<sockaddr_in6>.size))
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            guard inet_pton(AF_INET, literal, &address.sin_addr) == 1,
                UInt32(bigEndian: address.sin_addr.s_addr) >> 24 == 127
            else { throw BenchError("\(host) is not a loopback address (127.0.0.0/8)") }
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in.self) }
            (family, length) = (AF_INET, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
        self.storage = storage
    }

    private static func isLoopback(_ address: in6_addr) -> Bool {
        withUnsafeBytes(of: address) { bytes in bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1 }
    }

    /// Wraps `socket(2)` and a non-blocking `connect(2)`: returns the socket and whether the connection is
    /// still in progress (`EINPROGRESS`; wait for writability, then read `SO_ERROR`).
    func connect() throws(Errno) -> (SocketDescriptor, inProgress: Bool) {
        let fd = try SocketDescriptor.open(domain: family, type: SocketDescriptor.streamType)
        do {
            try fd.setNonBlocking()
            try fd.disableNagle()
        } catch {
            fd.close()
            throw error
        }
        var storage = storage
        let result = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemConnect(fd.rawValue, $0, length) }
        }
        if result == 0 { return (fd, false) }
        let error = Errno(rawValue: errno)
        if error == .nowInProgress || error == .interrupted { return (fd, true) }
        fd.close()
        throw error
    }

    /// Wraps `getsockopt(2)` `SO_ERROR`: the outcome of a non-blocking connect, nil when it succeeded.
    static func pendingError(of fd: SocketDescriptor) -> Errno? {
        var value: CInt = 0
        var size = socklen_t(MemoryLayout<CInt>.size)
        guard getsockopt(fd.rawValue, SOL_SOCKET, SO_ERROR, &value, &size) == 0 else { return Errno(rawValue: errno) }
        return value == 0 ? nil : Errno(rawValue: value)
    }
}

/// `connect(2)`, named apart so `LoopbackAddress.connect()` does not hide it.
private func systemConnect(_ fd: CInt, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> CInt {
    connect(fd, address, length)
}

/// A failure the bench reports on one line and exits non-zero for.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
