#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Resolves names and ports with `getaddrinfo(3)`, so IPv4, IPv6 and `localhost` all work.
enum AddressResolver {
    /// Every stream address for `host` (nil: the wildcard addresses, for listening) and `port`.
    static func resolve(host: String?, port: UInt16, passive: Bool) throws(SocketError) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamSocketType
        // No AI_ADDRCONFIG: it hides ::1 on machines without a global IPv6 address, and loopback must work.
        hints.ai_flags = passive || host == nil ? AI_PASSIVE : 0
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        let label = "\(host ?? "*"):\(port)"
        guard status == 0, let first = list else {
            let reason = status == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(status))
            throw SocketError("resolve", label, reason: reason)
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let address = entry.pointee.ai_addr {
                addresses.append(SocketAddress(address, length: entry.pointee.ai_addrlen))
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }
}
