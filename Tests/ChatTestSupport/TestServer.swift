import ChatServerCore
import ChatSocket
import Foundation
import Logging
import Testing

/// A real `ServerLoop` on 127.0.0.1, on a port the kernel picked, running on its own thread.
public final class TestServer: Sendable {
    /// The port to connect to: the plain listener's, or the TLS one's on a TLS-only server.
    public let port: UInt16
    /// Each listener's port, when the server has it.
    public let plainPort: UInt16?
    public let tlsPort: UInt16?
    /// The server's process-wide descriptor count is not its own; tests read `openDescriptors()` instead.
    public let stopHandle: StopHandle
    private let finished = DispatchSemaphore(value: 0)

    /// Starts a server; `configure` adjusts the configuration (port and host are set here).
    public init(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        if TestTransport.isTLS {
            configuration.tls = try TestTransport.serverSettings()
            configuration.plainListener = false
        }
        configure(&configuration)
        var logger = Logger(label: "test-server")
        logger.logLevel = ProcessInfo.processInfo.environment["CHAT_TEST_LOG"] == nil ? .critical : .debug
        let loop = try ServerLoop(configuration: configuration, logger: logger)
        port = loop.address.port
        tlsPort = loop.tlsAddress?.port
        plainPort = configuration.plainListener ? loop.address.port : nil
        stopHandle = loop.stopHandle
        let box = LoopBox(loop)
        let finished = finished
        let thread = Thread {
            do {
                try box.take().run()
            } catch {
                FileHandle.standardError.write(Data("test server failed: \(error)\n".utf8))
            }
            finished.signal()
        }
        thread.name = "test-server"
        thread.start()
    }

    /// Requests shutdown and waits until the loop has returned; records an issue if it has not within `timeout`
    /// (the shutdown grace is 2 s).
    public func stop(within timeout: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation) {
        stopHandle.requestStop()
        if !waitUntilStopped(timeout: timeout) {
            Issue.record("the test server did not stop within \(timeout)", sourceLocation: sourceLocation)
        }
    }

    /// Waits until the loop has returned, after a stop requested elsewhere.
    public func waitUntilStopped(timeout: Duration) -> Bool {
        finished.wait(timeout: .now() + .milliseconds(Int(timeout / .milliseconds(1)))) == .success
    }
}

/// Hands the loop to its thread once; the loop is deliberately not Sendable and is used by that thread only.
private final class LoopBox: @unchecked Sendable {  // Written once here, read once by the server thread.
    private var loop: ServerLoop?
    init(_ loop: ServerLoop) { self.loop = loop }
    func take() -> ServerLoop {
        defer { loop = nil }
        guard let loop else { preconditionFailure("the loop is taken once") }
        return loop
    }
}
