import ChatSystem
import ChatTestSupport
import Foundation
import SystemPackage
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite struct DescriptorOutputTests {
    /// A pipe whose write end is non-blocking and holds one page, so a large write meets `EAGAIN` many times.
    static func smallPipe() throws -> (read: CInt, write: CInt) {
        var ends: [CInt] = [-1, -1]
        try #require(pipe(&ends) == 0)
        // F_SETPIPE_SZ: glibc's module map hides it (it needs _GNU_SOURCE); Linux rounds up to one page.
        _ = fcntl(ends[1], 1031, 4096)
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        return (ends[0], ends[1])
    }

    /// Reads `fd` to end of stream on a thread of its own (never the cooperative pool, which blocking reads could
    /// starve on a two-core machine); `done` is signalled at the end.
    static func readAll(_ fd: CInt, into received: Locked<[UInt8]>, done: DispatchSemaphore) {
        Thread {
            var chunk = [UInt8](repeating: 0, count: 1_000)
            while true {
                // Small, slow reads keep the writer meeting a full pipe.
                let count = read(fd, &chunk, chunk.count)
                if count > 0 {
                    received.withLock { $0.append(contentsOf: chunk[0..<count]) }
                    usleep(100)
                } else if count == 0 || errno != EINTR {
                    break
                }
            }
            done.signal()
        }.start()
    }

    @Test(.timeLimit(.minutes(1))) func writesEverythingThroughASmallNonBlockingPipe() throws {
        let (readEnd, writeEnd) = try Self.smallPipe()
        defer { close(readEnd) }
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let received = Locked<[UInt8]>([])
        let done = DispatchSemaphore(value: 0)
        Self.readAll(readEnd, into: received, done: done)
        try DescriptorOutput.writeAll(bytes, to: writeEnd)
        close(writeEnd)
        #expect(done.wait(timeout: .now() + 30) == .success, "the reader did not see the end within 30 s")
        #expect(received.withLock { $0 } == bytes)
    }

    @Test func writesThroughTheGivenCall() throws {
        let (readEnd, writeEnd) = try Self.smallPipe()
        defer {
            close(readEnd)
            close(writeEnd)
        }
        // A call that takes at most 3 bytes at a time (4 calls for 12 bytes) and is interrupted once (a fifth).
        var calls = 0
        let text = Array("hello, world".utf8)
        try text.withUnsafeBytes { raw in
            try DescriptorOutput.writeAll(raw, to: writeEnd) { rest in
                calls += 1
                if calls == 2 {
                    errno = EINTR
                    return -1
                }
                return write(writeEnd, rest.baseAddress, min(3, rest.count))
            }
        }
        var received = [UInt8](repeating: 0, count: 64)
        let count = read(readEnd, &received, received.count)
        #expect(Array(received[0..<max(0, count)]) == text)
        #expect(calls == 5)
    }

    @Test func aClosedReaderIsAnError() throws {
        var ends: [CInt] = [-1, -1]
        #if canImport(Glibc)
            let streamType = CInt(SOCK_STREAM.rawValue)
        #else
            let streamType = CInt(SOCK_STREAM)
        #endif
        try #require(socketpair(AF_UNIX, streamType, 0, &ends) == 0)
        defer { close(ends[1]) }
        close(ends[0])
        // send with MSG_NOSIGNAL, as sockets do: EPIPE comes back as an error instead of a signal.
        #expect(throws: Errno.brokenPipe) {
            try [UInt8](repeating: 1, count: 10).withUnsafeBytes { raw in
                try DescriptorOutput.writeAll(raw, to: ends[1]) {
                    send(ends[1], $0.baseAddress, $0.count, CInt(MSG_NOSIGNAL))
                }
            }
        }
    }

    @Test func nothingToWriteMakesNoCall() throws {
        try [UInt8]().withUnsafeBytes { raw in
            try DescriptorOutput.writeAll(raw, to: -1) { _ in
                Issue.record("called")
                return -1
            }
        }
    }
}
