#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

// Glibc imports `SOCK_STREAM` and `SOCK_CLOEXEC` as members of the enum `__socket_type`, Musl as plain
// integers; these constants hide the difference.
#if canImport(Glibc)
    let streamSocketType = CInt(SOCK_STREAM.rawValue)
    let closeOnExecSocketFlag = CInt(SOCK_CLOEXEC.rawValue)
#else
    let streamSocketType = CInt(SOCK_STREAM)
    let closeOnExecSocketFlag = CInt(SOCK_CLOEXEC)
#endif

extension SocketDescriptor {
    /// `SOCK_STREAM`, the `type` for `open(domain:type:)`, whatever the C library's spelling.
    public static let streamType = streamSocketType
}
