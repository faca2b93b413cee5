import ChatSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The pipe the SIGWINCH handler writes to. A C signal handler can capture nothing, so it can only reach a
/// global; this one is immutable and created once, before the handler is installed (lazy initialization
/// is not async-signal-safe, the read of an initialized constant is).
private let resizePipe: WakeupPipe? = try? WakeupPipe()

/// Turns SIGWINCH into a byte on a pipe that the input thread polls.
///
/// The signal may be delivered to any thread (the receiver thread too), so curses' own handler, which only
/// sets a flag, could leave the input thread asleep in `poll(2)`. A pipe wakes it wherever the signal lands.
enum ResizeSignal {
    /// The end to poll, or nil when no pipe could be made (then resizes show at the next key).
    static var readFD: CInt? { resizePipe?.readFD }

    /// Installs the handler with `signal(2)` (glibc: BSD semantics, so other threads' syscalls restart) and
    /// returns the previous one. Curses installs none of its own while one is set.
    static func install() -> SignalHandler? {
        guard resizePipe != nil else { return nil }
        return signal(SIGWINCH) { _ in
            let savedErrno = errno
            resizePipe?.wake()
            errno = savedErrno
        }
    }

    /// Puts back the handler `install()` replaced.
    static func restore(_ previous: SignalHandler?) {
        signal(SIGWINCH, previous ?? SIG_DFL)
    }

    /// Empties the pipe after a wake-up.
    static func drain() {
        resizePipe?.drain()
    }
}

/// What `signal(2)` takes and returns: glibc calls it `sighandler_t`, Musl declares that name only under
/// `_GNU_SOURCE`.
typealias SignalHandler = @convention(c) (CInt) -> Void
