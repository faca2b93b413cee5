import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

extension SocketDescriptor {
    /// Wraps `fcntl(2)` `F_SETFL` with `O_NONBLOCK`.
    public func setNonBlocking(_ enabled: Bool = true) throws(Errno) {
        let flags = try Self.retrying { fcntl(rawValue, F_GETFL) }
        let wanted = enabled ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
        _ = try Self.retrying { fcntl(rawValue, F_SETFL, wanted) }
    }

    /// Wraps `setsockopt(2)` for one integer option.
    public func setOption(level: CInt, name: CInt, value: CInt) throws(Errno) {
        var value = value
        _ = try Self.retrying { setsockopt(rawValue, level, name, &value, socklen_t(MemoryLayout<CInt>.size)) }
    }

    /// `SO_KEEPALIVE`, so a peer that vanished without a FIN is eventually noticed.
    public func enableKeepAlive() throws(Errno) {
        try setOption(level: SOL_SOCKET, name: SO_KEEPALIVE, value: 1)
    }

    /// `TCP_NODELAY`: chat lines are small and should leave at once.
    public func disableNagle() throws(Errno) {
        try setOption(level: CInt(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
    }

    /// Wraps `getsockname(2)`: the local address, e.g. to learn the port the kernel picked for port 0.
    public func localAddress() throws(Errno) -> SocketAddress {
        try address(getsockname)
    }

    /// Wraps `getpeername(2)`.
    public func peerAddress() throws(Errno) -> SocketAddress {
        try address(getpeername)
    }

    private func address(
        _ call: (CInt, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> CInt
    ) throws(Errno) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutablePointer(to: &storage) { (pointer) throws(Errno) -> CInt in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (address) throws(Errno) -> CInt in
                try Self.retrying { call(rawValue, address, &length) }
            }
        }
        return SocketAddress(storage: storage)
    }
}
