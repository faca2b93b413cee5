#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Reading and replacing a small private text file under the user's configuration directory.
enum ConfigFile {
    /// The whole file as UTF-8 text (invalid bytes repaired), or nil when it does not exist.
    static func read(_ path: String) throws(TLSError) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw failure(path, "cannot open it", errno)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw failure(path, "cannot read it", errno) }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Replaces the file with `text`: the missing directories are made (mode 0700), a temporary file beside it
    /// is written (mode 0600) and synced, then renamed over it, so a crash leaves the old file or the new one.
    static func writeAtomically(_ text: String, to path: String) throws(TLSError) {
        try makeParentDirectories(of: path)
        let temporary = "\(path).tmp\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(temporary, "cannot create it", errno) }
        var written = 0
        let bytes = Array(text.utf8)
        while written < bytes.count {
            let count = bytes.withUnsafeBytes {
                Glibc.write(fd, $0.baseAddress.map { $0 + written }, $0.count - written)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                let number = errno
                close(fd)
                unlink(temporary)
                throw failure(temporary, "cannot write it", number)
            }
            written += count
        }
        let synced = fsync(fd) == 0
        let number = errno
        close(fd)
        guard synced, rename(temporary, path) == 0 else {
            let reason = synced ? errno : number
            unlink(temporary)
            throw failure(path, "cannot replace it", reason)
        }
    }

    /// `mkdir(2)` with mode 0700 for each missing directory above `path`.
    private static func makeParentDirectories(of path: String) throws(TLSError) {
        var prefix = ""
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        for (index, part) in parts.enumerated() {
            prefix += index == 0 ? String(part) : "/" + part
            guard !prefix.isEmpty, mkdir(prefix, 0o700) != 0, errno != EEXIST else { continue }
            throw failure(prefix, "cannot make the directory", errno)
        }
    }

    private static func failure(_ path: String, _ what: String, _ number: CInt) -> TLSError {
        TLSError(step: "known servers", file: path, reason: "\(what) (\(String(cString: strerror(number))))")
    }
}
