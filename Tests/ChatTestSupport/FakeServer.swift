import ChatProtocol
import ChatSocket
import Foundation

/// A listening socket on 127.0.0.1 whose one connection is served by a test's script: for making a client
/// meet a server that misbehaves, over a real connection.
public final class FakeServer: Sendable {
    public let port: UInt16
    private let finished = DispatchSemaphore(value: 0)

    /// Accepts one connection on a thread and runs `script` with it, then closes it.
    public init(_ script: @escaping @Sendable (SocketDescriptor, inout FrameDecoder) throws -> Void) throws {
        let listener = try SocketDescriptor.listen(host: "127.0.0.1", port: 0)
        port = try listener.localAddress().port
        let finished = finished
        let thread = Thread {
            defer {
                listener.close()
                finished.signal()
            }
            guard let connection = Self.acceptBlocking(listener) else { return }
            try? connection.setNonBlocking(false)
            var decoder = FrameDecoder()
            try? script(connection, &decoder)
            connection.close()
        }
        thread.start()
    }

    /// Waits until the script has finished.
    public func wait() {
        finished.wait()
    }

    private static func acceptBlocking(_ listener: SocketDescriptor) -> SocketDescriptor? {
        for _ in 0..<500 {
            if let connection = try? listener.accept() { return connection }
            usleep(10_000)
        }
        return nil
    }

    /// Reads until one whole client packet has arrived.
    public static func receive(_ socket: SocketDescriptor, _ decoder: inout FrameDecoder) throws -> ClientPacket {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let payload = decoder.next() { return try ClientPacket(payload: payload) }
            let result = buffer.withUnsafeMutableBytes { raw in Result { try socket.read(into: raw) } }
            guard case .bytes(let count) = try result.get() else { throw RawClient.Timeout() }
            decoder.append(buffer[0..<count])
        }
    }

    /// Answers the hello the way a server that knows only the base protocol does.
    public static func greet(_ socket: SocketDescriptor, _ decoder: inout FrameDecoder) throws {
        guard case .hello(let nick, _, _) = try receive(socket, &decoder) else { return }
        try socket.sendAll(try PacketEncoder.frame(payload: Array(#"{"type":"join","nick":"\#(nick)"}"#.utf8)))
    }
}
