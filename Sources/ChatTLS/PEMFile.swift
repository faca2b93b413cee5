#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Checks on a certificate or key file before OpenSSL reads it, so that the common mistakes get their own line
/// rather than OpenSSL's `system library` wording.
enum PEMFile {
    /// Fails unless `path` opens for reading (`open(2)`) and is a regular file.
    static func checkReadable(_ path: String, step: String) throws(TLSError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw TLSError(step: step, file: path, reason: "cannot open it (\(OpenSSLErrorQueue.systemReason(errno)))")
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            throw TLSError(step: step, file: path, reason: "cannot stat it (\(OpenSSLErrorQueue.systemReason(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw TLSError(step: step, file: path, reason: "not a regular file")
        }
    }

    /// The policy of ssh for private keys: a key file owned by the user running the server must not be
    /// readable, writable or executable by group or others (`mode & 077 == 0`), or the server refuses it. A
    /// file owned by someone else (Debian's `root:ssl-cert` mode 0640 keys, read through group membership) is
    /// that owner's business and is accepted.
    static func checkKeyPermissions(_ path: String) throws(TLSError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw TLSError(step: "key", file: path, reason: "cannot stat it (\(OpenSSLErrorQueue.systemReason(errno)))")
        }
        let mode = status.st_mode & 0o777
        guard status.st_uid != geteuid() || mode & 0o077 == 0 else {
            let octal = String(mode, radix: 8)
            throw TLSError(
                step: "key", file: path,
                reason: "permissions 0\(octal) are too open: others than its owner can use it (chmod 600 it)")
        }
    }
}
