import ChatSocket
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A TCP proxy on 127.0.0.1 in front of a server, for continuity tests: it can cut every connection through it
/// at once (a reset to both ends, as a dropped network does), or stall them (bytes stop flowing but both sockets
/// stay open, which the server sees as a half-open connection). New connections are unaffected either way, so a
/// client can reconnect through it. One thread, one `poll` loop; every wait has a deadline.
public final class CuttingProxy: @unchecked Sendable {  // `state` is guarded by its lock; the rest is immutable.
    /// The port to connect to instead of the server's.
    public let port: UInt16
    private let targetPort: UInt16
    private let listener: SocketDescriptor
    private let state = Locked(State())
    private let finished = DispatchSemaphore(value: 0)

    private struct Pipe {
        var client: SocketDescriptor
        var server: SocketDescriptor
        var toServer: [UInt8] = []
        var toClient: [UInt8] = []
        var stalled = false
    }

    private struct State {
        var pipes: [Pipe] = []
        var cut = false
        var stall = false
        var stop = false
        var accepted = 0
    }

    public init(to serverPort: UInt16) throws {
        targetPort = serverPort
        listener = try SocketDescriptor.listen(host: "127.0.0.1", port: 0)
        port = try listener.localAddress().port
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "cutting-proxy"
        thread.start()
    }

    deinit { stop() }

    /// How many connections the proxy has accepted so far.
    public var acceptedCount: Int { state.withLock { $0.accepted } }

    /// Resets every connection open now, on both sides.
    public func cutAll() { command { $0.cut = true } }

    /// Stops forwarding on every connection open now, leaving both sockets open.
    public func stallAll() { command { $0.stall = true } }

    public func stop() {
        let stopping = state.withLock { state in
            defer { state.stop = true }
            return !state.stop
        }
        if stopping { _ = finished.wait(timeout: .now() + 5) }
    }

    /// Sets a flag and waits (at most 5 s) for the proxy thread to act on it.
    private func command(_ set: (inout State) -> Void) {
        state.withLock(set)
        let deadline = Date().addingTimeInterval(5)
        while state.withLock({ $0.cut || $0.stall }) && Date() < deadline { usleep(1_000) }
    }

    private func run() {
        while !state.withLock({ $0.stop }) {
            applyCommands()
            var fds = [pollfd(fd: listener.rawValue, events: Int16(POLLIN), revents: 0)]
            let pipes = state.withLock { $0.pipes }
            for pipe in pipes {
                let (clientEvents, serverEvents) = Self.events(pipe)
                fds.append(pollfd(fd: pipe.client.rawValue, events: clientEvents, revents: 0))
                fds.append(pollfd(fd: pipe.server.rawValue, events: serverEvents, revents: 0))
            }
            guard poll(&fds, nfds_t(fds.count), 10) > 0 else { continue }
            if fds[0].revents & Int16(POLLIN) != 0 { acceptOne() }
            for index in pipes.indices {
                pump(index, client: fds[1 + 2 * index].revents, server: fds[2 + 2 * index].revents)
            }
            state.withLock { state in
                state.pipes.removeAll { pipe in
                    guard pipe.client.rawValue < 0 else { return false }
                    return true
                }
            }
        }
        state.withLock { state in
            for pipe in state.pipes { Self.close(pipe, reset: true) }
            state.pipes = []
        }
        listener.close()
    }

    /// Reads only while the other side's buffer is short, writes while there is something to write.
    private static func events(_ pipe: Pipe) -> (Int16, Int16) {
        guard !pipe.stalled else { return (0, 0) }
        let readLimit = 1 << 16
        let client =
            (pipe.toServer.count < readLimit ? Int16(POLLIN) : 0) | (pipe.toClient.isEmpty ? 0 : Int16(POLLOUT))
        let server =
            (pipe.toClient.count < readLimit ? Int16(POLLIN) : 0) | (pipe.toServer.isEmpty ? 0 : Int16(POLLOUT))
        return (client, server)
    }

    private func applyCommands() {
        state.withLock { state in
            if state.cut {
                for pipe in state.pipes { Self.close(pipe, reset: true) }
                state.pipes = []
                state.cut = false
            }
            if state.stall {
                for index in state.pipes.indices { state.pipes[index].stalled = true }
                state.stall = false
            }
        }
    }

    private func acceptOne() {
        guard let client = try? listener.accept() else { return }
        guard let server = try? SocketDescriptor.connect(host: "127.0.0.1", port: targetPort) else {
            client.close()
            return
        }
        try? client.setNonBlocking()
        try? server.setNonBlocking()
        state.withLock { state in
            state.pipes.append(Pipe(client: client, server: server))
            state.accepted += 1
        }
    }

    private func pump(_ index: Int, client clientEvents: Int16, server serverEvents: Int16) {
        state.withLock { state in
            guard index < state.pipes.count else { return }
            var pipe = state.pipes[index]
            var open = true
            if clientEvents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                open = Self.read(pipe.client, into: &pipe.toServer) && open
            }
            if serverEvents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                open = Self.read(pipe.server, into: &pipe.toClient) && open
            }
            open = Self.write(&pipe.toServer, to: pipe.server) && open
            open = Self.write(&pipe.toClient, to: pipe.client) && open
            if !open {
                // One side ended: pass on what is buffered as far as it goes, then end both, cleanly.
                _ = Self.write(&pipe.toServer, to: pipe.server)
                _ = Self.write(&pipe.toClient, to: pipe.client)
                Self.close(pipe, reset: false)
                pipe.client = SocketDescriptor(rawValue: -1)
            }
            state.pipes[index] = pipe
        }
    }

    private static func read(_ socket: SocketDescriptor, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let result = chunk.withUnsafeMutableBytes { raw in Result { try socket.read(into: raw) } }
        switch result {
        case .success(.bytes(let count)):
            buffer.append(contentsOf: chunk[0..<count])
            return true
        case .success(.wouldBlock): return true
        case .success(.endOfStream), .failure: return false
        }
    }

    private static func write(_ buffer: inout [UInt8], to socket: SocketDescriptor) -> Bool {
        guard !buffer.isEmpty else { return true }
        let result = buffer.withUnsafeBytes { raw in Result { try socket.send(raw) } }
        switch result {
        case .success(let sent?):
            buffer.removeFirst(sent)
            return true
        case .success(nil): return true
        case .failure: return false
        }
    }

    private static func close(_ pipe: Pipe, reset: Bool) {
        for socket in [pipe.client, pipe.server] where socket.rawValue >= 0 {
            if reset {
                // A zero linger makes close send a reset, as a dropped network does.
                var option = linger(l_onoff: 1, l_linger: 0)
                _ = setsockopt(socket.rawValue, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
            }
            socket.close()
        }
    }
}
