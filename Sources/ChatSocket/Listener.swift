import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Opening listening and connected sockets by host name and port.
extension SocketDescriptor {
    /// A non-blocking listening socket on `host` (nil: every address, IPv6 and IPv4 where the machine has
    /// both) and `port` (0: the kernel picks one; read it back with `localAddress()`).
    public static func listen(host: String?, port: UInt16, backlog: CInt = 1024) throws(SocketError)
        -> SocketDescriptor
    {
        let label = "\(host ?? "*"):\(port)"
        var addresses = try AddressResolver.resolve(host: host, port: port, passive: true)
        // For the wildcard, an IPv6 socket with V6ONLY off takes IPv4 as well; prefer it.
        addresses.sort { $0.family == AF_INET6 && $1.family != AF_INET6 && host == nil }
        var lastError = SocketError("bind", label, reason: "no address to bind")
        for address in addresses {
            do {
                return try listen(on: address, backlog: backlog, wildcard: host == nil)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private static func listen(on address: SocketAddress, backlog: CInt, wildcard: Bool) throws(SocketError)
        -> SocketDescriptor
    {
        let label = address.description
        let fd: SocketDescriptor
        do {
            fd = try open(domain: address.family, type: streamSocketType)
        } catch {
            throw SocketError("socket", label, errno: error)
        }
        do {
            try fd.setOption(level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
            if address.family == AF_INET6 && wildcard {
                try fd.setOption(level: CInt(IPPROTO_IPV6), name: IPV6_V6ONLY, value: 0)
            }
            try fd.setNonBlocking()
        } catch {
            fd.close()
            throw SocketError("setsockopt", label, errno: error)
        }
        do {
            try address.withSockaddr { (pointer, length) throws(Errno) in
                _ = try retrying { bind(fd.rawValue, pointer, length) }
            }
        } catch {
            fd.close()
            throw SocketError("bind", label, errno: error)
        }
        do {
            _ = try retrying { systemListen(fd.rawValue, backlog) }
        } catch {
            fd.close()
            throw SocketError("listen", label, errno: error)
        }
        return fd
    }

    /// A blocking socket connected to `host` and `port`, trying each address `getaddrinfo` gives in turn.
    public static func connect(host: String, port: UInt16) throws(SocketError) -> SocketDescriptor {
        let label = "\(host):\(port)"
        let addresses = try AddressResolver.resolve(host: host, port: port, passive: false)
        var lastError = SocketError("connect", label, reason: "no address")
        for address in addresses {
            let fd: SocketDescriptor
            do {
                fd = try open(domain: address.family, type: streamSocketType)
            } catch {
                lastError = SocketError("socket", label, errno: error)
                continue
            }
            do {
                try address.withSockaddr { (pointer, length) throws(Errno) in
                    _ = try retrying { systemConnect(fd.rawValue, pointer, length) }
                }
                try? fd.disableNagle()
                return fd
            } catch {
                fd.close()
                lastError = SocketError("connect", label, errno: error)
            }
        }
        throw lastError
    }
}

extension SocketAddress {
    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws(Errno) -> T) throws(Errno) -> T {
        let length = socklen_t(family == AF_INET6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        var storage = storage
        return try withUnsafePointer(to: &storage) { (pointer) throws(Errno) -> T in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (address) throws(Errno) -> T in
                try body(address, length)
            }
        }
    }
}

// MARK: - C calls the methods of the same name would hide

/// `listen(2)`.
private func systemListen(_ fd: CInt, _ backlog: CInt) -> CInt {
    listen(fd, backlog)
}

/// `connect(2)`.
private func systemConnect(_ fd: CInt, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> CInt {
    connect(fd, address, length)
}
