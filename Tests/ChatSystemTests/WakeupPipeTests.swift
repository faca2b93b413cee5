import ChatSystem
import ChatTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite struct WakeupPipeTests {
    /// Whether `fd` is readable within `milliseconds`.
    static func isReadable(_ fd: CInt, within milliseconds: CInt) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, milliseconds) == 1 && entry.revents & Int16(POLLIN) != 0
    }

    @Test func wakeMakesTheReadEndReadableAndDrainEmptiesIt() throws {
        let pipe = try WakeupPipe()
        #expect(!Self.isReadable(pipe.readFD, within: 0))
        pipe.wake()
        pipe.wake()
        #expect(Self.isReadable(pipe.readFD, within: 1_000))
        pipe.drain()
        #expect(!Self.isReadable(pipe.readFD, within: 0))
    }

    @Test(.timeLimit(.minutes(1))) func wakeWakesAThreadWaitingInPoll() throws {
        let pipe = try WakeupPipe()
        let woken = Locked(false)
        let done = DispatchSemaphore(value: 0)
        // A thread of its own: a blocking poll must never sit on the cooperative pool.
        Thread {
            let readable = Self.isReadable(pipe.readFD, within: 10_000)
            woken.withLock { $0 = readable }
            done.signal()
        }.start()
        usleep(20_000)
        pipe.wake()
        #expect(done.wait(timeout: .now() + 20) == .success)
        #expect(woken.withLock { $0 })
    }

    @Test func aFullPipeNeitherBlocksNorLosesTheWakeUp() throws {
        let pipe = try WakeupPipe()
        // A pipe holds 64 KiB on Linux; far more wake-ups than that must return at once (EAGAIN ignored).
        for _ in 0..<200_000 { pipe.wake() }
        #expect(Self.isReadable(pipe.readFD, within: 0))
        pipe.drain()
        #expect(!Self.isReadable(pipe.readFD, within: 0))
        pipe.wake()
        #expect(Self.isReadable(pipe.readFD, within: 0))
    }

    @Test func bothEndsAreNonBlockingAndCloseOnExec() throws {
        let pipe = try WakeupPipe()
        #expect(fcntl(pipe.readFD, F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(pipe.readFD, F_GETFD) & FD_CLOEXEC != 0)
    }

    @Test func releasingThePipeClosesBothEnds() throws {
        var pipe: WakeupPipe? = try WakeupPipe()
        let readFD = try #require(pipe?.readFD)
        #expect(fcntl(readFD, F_GETFD) >= 0)
        pipe = nil
        #expect(fcntl(readFD, F_GETFD) == -1 && errno == EBADF)
    }
}
