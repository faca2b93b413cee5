import ChatSystem
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The scripted mode: lines from standard input, one line per received packet on standard output, flushed
/// at once. Used when standard input is not a terminal, or with `--plain`.
public final class PlainFrontEnd: FrontEnd {
    private let wakeup: WakeupPipe?
    private let closed = Atomic<Bool>(false)
    /// Held while a line is written; counts the lines. (Not `Locked(())`: see `Connection.sendLock`.)
    private let outputLock = Locked(0)
    private let announced = Locked(0)
    /// Owned by the input thread, the only caller of `readLine`.
    private nonisolated(unsafe) var pending: [UInt8] = []
    /// Owned by the input thread, like `pending`.
    private nonisolated(unsafe) var atEnd = false

    public init() {
        wakeup = try? WakeupPipe()
    }

    public func start() {}
    public func stop() {}
    /// Plain mode has no status bar: a reconnect countdown is shown once per attempt as a `***` line.
    public func update(_ status: SessionStatus) {
        guard case .reconnecting(let seconds, let attempt) = status.link, seconds > 0 else { return }
        let first = announced.withLock { announced in
            defer { announced = attempt }
            return announced != attempt
        }
        if first { show(.notice("*** reconnecting in \(seconds) s (attempt \(attempt))")) }
    }

    public func show(_ line: DisplayLine) {
        write(line.shownText + "\n")
    }

    public func connectionClosed() {
        closed.store(true, ordering: .sequentiallyConsistent)
        wakeup?.wake()
    }

    /// Waits in `poll(2)` on standard input and the wake-up pipe, so a lost connection ends input at once.
    public func readLine(prompt: String) -> String? {
        while true {
            if closed.load(ordering: .sequentiallyConsistent) { return nil }
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var line = pending[..<newline]
                pending.removeSubrange(...newline)
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                return String(decoding: line, as: UTF8.self)
            }
            if atEnd {
                guard !pending.isEmpty else { return nil }
                defer { pending.removeAll() }
                return String(decoding: pending, as: UTF8.self)
            }
            fill()
        }
    }

    private func fill() {
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0)]
        if let wakeup { fds.append(pollfd(fd: wakeup.readFD, events: Int16(POLLIN), revents: 0)) }
        guard poll(&fds, nfds_t(fds.count), -1) >= 0 else {
            if errno != EINTR { atEnd = true }
            return
        }
        guard fds[0].revents != 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = read(0, &chunk, chunk.count)
        if count > 0 {
            pending.append(contentsOf: chunk[0..<count])
        } else if count == 0 || errno != EINTR {
            atEnd = true
        }
    }

    /// Each line written whole under a lock, so lines from the two threads never interleave. A failure (a
    /// closed standard output) loses the line, as it would any output.
    private func write(_ text: String) {
        outputLock.withLock { written in
            written += 1
            try? DescriptorOutput.writeAll(Array(text.utf8), to: STDOUT_FILENO)
        }
    }
}
