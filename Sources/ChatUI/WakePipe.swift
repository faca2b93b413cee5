import Glibc

/// A non-blocking pipe whose read end wakes a thread sleeping in `poll(2)`.
struct WakePipe: Sendable {
    /// The end `poll(2)` watches.
    let readFD: CInt
    /// The end `wake()` writes to.
    let writeFD: CInt

    /// Wraps `pipe(2)`, then `fcntl(2)` sets `O_NONBLOCK` and `FD_CLOEXEC` on both ends (glibc declares
    /// `pipe2` only under `_GNU_SOURCE`).
    init() throws(ChatUIError) {
        var fds: [CInt] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .wakePipeFailed(errno: errno) }
        for fd in fds {
            guard fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0, fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 else {
                let failure = errno
                fds.forEach { _ = Glibc.close($0) }
                throw .wakePipeFailed(errno: failure)
            }
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    /// Writes one byte. A full pipe already holds a wake-up, so `EAGAIN` is fine to ignore. Async-signal-safe.
    func wake() {
        var byte: UInt8 = 1
        while write(writeFD, &byte, 1) < 0, errno == EINTR {}
    }

    /// Reads every pending byte, so the next `poll(2)` sleeps until the next `wake()`.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = read(readFD, &buffer, buffer.count)
            if count > 0 { continue }
            if count < 0, errno == EINTR { continue }
            return
        }
    }

    /// Wraps `close(2)` on both ends.
    func close() {
        _ = Glibc.close(readFD)
        _ = Glibc.close(writeFD)
    }
}
