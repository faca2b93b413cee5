import CSignal
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Signals delivered as data on a descriptor (`signalfd(2)`), so that a `select()` loop waits for them like for
/// any socket. Made before the process starts other threads, it blocks the signals in the calling thread (which
/// the later threads inherit), so they queue on the descriptor and no handler runs. Nothing is allocated when a
/// signal comes: a server out of descriptors still sees its SIGTERM (a libdispatch signal source sometimes did not).
public final class SignalDescriptor {
    /// The descriptor to watch for readability.
    public let readFD: CInt

    public init(_ signals: [CInt]) throws(Errno) {
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in signals { sigaddset(&mask, signal) }
        guard pthread_sigmask(SIG_BLOCK, &mask, nil) == 0 else { throw Errno(rawValue: errno) }
        let fd = csignal_open(&mask)
        guard fd >= 0 else { throw Errno(rawValue: errno) }
        readFD = fd
    }

    deinit { close(readFD) }

    /// The signals that arrived since the last call (wraps `read(2)` until it would block).
    public func drain() -> [CInt] {
        var signals: [CInt] = []
        var info = signalfd_siginfo()
        while true {
            let count = read(readFD, &info, MemoryLayout<signalfd_siginfo>.size)
            if count == MemoryLayout<signalfd_siginfo>.size {
                signals.append(CInt(info.ssi_signo))
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return signals
            }
        }
    }
}

@available(*, unavailable)
extension SignalDescriptor: Sendable {}
