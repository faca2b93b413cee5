import COpenSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The calling thread's OpenSSL error queue (`ERR_get_error(3)`), read into one reason.
enum OpenSSLErrorQueue {
    /// Wraps `ERR_clear_error(3)`. Called before every `SSL_*` I/O call: `SSL_get_error` reads the queue, and a
    /// stale entry from an earlier call would turn a `want` into a failure.
    static func clear() {
        ERR_clear_error()
    }

    /// The code and reason of the oldest entry, emptying the queue; nil when it is empty. The oldest entry is
    /// the one nearest the cause (`no start line` before the `PEM lib` that wraps it).
    static func takeFirst() -> (code: UInt, reason: String)? {
        let code = ERR_get_error()
        guard code != 0 else { return nil }
        ERR_clear_error()
        return (code, reason(of: code))
    }

    /// The oldest entry's reason, emptying the queue, or `fallback` when the queue is empty.
    static func takeReason(or fallback: String) -> String {
        takeFirst()?.reason ?? fallback
    }

    /// Whether `code` is OpenSSL's `X509_R_KEY_VALUES_MISMATCH`: a private key that is not the certificate's.
    static func isKeyMismatch(_ code: UInt) -> Bool {
        copenssl_err_is_system_error(code) == 0 && ERR_GET_LIB(code) == ERR_LIB_X509
            && ERR_GET_REASON(code) == X509_R_KEY_VALUES_MISMATCH
    }

    /// Whether `code` is OpenSSL 3's `SSL_R_UNEXPECTED_EOF_WHILE_READING`: the peer closed the TCP stream
    /// without a `close_notify` alert.
    static func isUnexpectedEOF(_ code: UInt) -> Bool {
        copenssl_err_is_system_error(code) == 0 && ERR_GET_LIB(code) == ERR_LIB_SSL
            && ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING
    }

    /// `ERR_reason_error_string(3)`, or `strerror(3)` for a system error, whose reason is an `errno` value.
    static func reason(of code: UInt) -> String {
        if copenssl_err_is_system_error(code) != 0 { return systemReason(ERR_GET_REASON(code)) }
        if let text = ERR_reason_error_string(code) { return String(cString: text) }
        return "OpenSSL error \(String(code, radix: 16))"
    }

    /// `strerror(3)` of an `errno` value.
    static func systemReason(_ number: CInt) -> String {
        String(cString: strerror(number))
    }
}
