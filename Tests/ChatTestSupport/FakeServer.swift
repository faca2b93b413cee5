import ChatProtocol
import ChatSocket
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A listening socket on 127.0.0.1 whose one connection is served by a test's script: for making a client
/// meet a server that misbehaves, over a real connection.
public final class FakeServer: Sendable {
    public let port: UInt16
    private let finished = DispatchSemaphore(value: 0)
    private let failure = Locked<String?>(nil)

    /// Accepts one connection (within 10 s) on a thread and runs `script` with it, then closes it. What the
    /// script throws is recorded by `wait()`.
    public init(_ script: @escaping @Sendable (SocketDescriptor, inout FrameDecoder) throws -> Void) throws {
        let listener = try SocketDescriptor.listen(host: "127.0.0.1", port: 0)
        port = try listener.localAddress().port
        let finished = finished
        let failure = failure
        let thread = Thread {
            defer {
                listener.close()
                finished.signal()
            }
            guard let connection = Self.acceptBlocking(listener) else {
                failure.withLock { $0 = "fake server: no connection within 10 s" }
                return
            }
            do {
                try connection.setNonBlocking(false)
                var decoder = FrameDecoder()
                try script(connection, &decoder)
            } catch {
                failure.withLock { $0 = "fake server script: \(error)" }
            }
            connection.close()
        }
        thread.start()
    }

    /// Waits until the script has finished, at most `timeout`; records an issue if it did not, or if it threw.
    public func wait(within timeout: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation) {
        guard finished.wait(timeout: .now() + .milliseconds(Int(timeout / .milliseconds(1)))) == .success else {
            Issue.record("fake server: the script did not finish within \(timeout)", sourceLocation: sourceLocation)
            return
        }
        if let failure = failure.withLock({ $0 }) { Issue.record("\(failure)", sourceLocation: sourceLocation) }
    }

    private static func acceptBlocking(_ listener: SocketDescriptor) -> SocketDescriptor? {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let connection = try? listener.accept() { return connection }
            usleep(10_000)
        }
        return nil
    }

    /// Reads until one whole client packet has arrived; throws if none does within `timeout`, or on end of stream.
    public static func receive(
        _ socket: SocketDescriptor, _ decoder: inout FrameDecoder, within timeout: Duration = .seconds(10)
    ) throws -> ClientPacket {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let payload = decoder.next() { return try ClientPacket(payload: payload) }
            var fds = [pollfd(fd: socket.rawValue, events: Int16(POLLIN), revents: 0)]
            let left = max(.zero, deadline - ContinuousClock.now)
            let ready = poll(&fds, 1, Int32(left / .milliseconds(1)))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { throw RawClient.Failure("fake server: no client packet within \(timeout)") }
            let result = buffer.withUnsafeMutableBytes { raw in Result { try socket.read(into: raw) } }
            guard case .bytes(let count) = try result.get() else {
                throw RawClient.Failure("fake server: the client closed the connection before a whole packet")
            }
            decoder.append(buffer[0..<count])
        }
    }

    /// Answers the hello the way a server that knows only the base protocol does.
    public static func greet(_ socket: SocketDescriptor, _ decoder: inout FrameDecoder) throws {
        guard case .hello(let nick, _, _) = try receive(socket, &decoder) else { return }
        try socket.sendAll(try PacketEncoder.frame(payload: Array(#"{"type":"join","nick":"\#(nick)"}"#.utf8)))
    }
}
