import ChatSocket

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A `chat-server` the bench starts for itself on a free loopback port and stops at the end.
struct ServerProcess {
    let pid: pid_t
    let port: UInt16

    /// Starts `path` on a free port of 127.0.0.1 with no rate limit, room for `clients`, and errors-only
    /// logging, then waits (at most 5 s) until it accepts connections.
    static func spawn(path: String, clients: Int) throws(BenchError) -> ServerProcess {
        let port = try freePort()
        let arguments = [
            path, String(port), "--host", "127.0.0.1", "--rate", "0", "--max-clients", String(clients + 1_000),
            "--log-level", "error",
        ]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The server needs no environment; an empty one also avoids touching the mutable C global `environ`.
        var environment: [UnsafeMutablePointer<CChar>?] = [nil]
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, nil, nil, &argv, &environment)
        guard status == 0 else { throw BenchError("spawn \(path): \(String(cString: strerror(status)))") }
        let server = ServerProcess(pid: pid, port: port)
        try server.awaitListening()
        return server
    }

    private static func freePort() throws(BenchError) -> UInt16 {
        do {
            let probe = try SocketDescriptor.listen(host: "127.0.0.1", port: 0)
            defer { probe.close() }
            return try probe.localAddress().port
        } catch {
            throw BenchError("no free port: \(error)")
        }
    }

    private func awaitListening() throws(BenchError) {
        for _ in 0..<500 {
            var status: CInt = 0
            if waitpid(pid, &status, WNOHANG) == pid { throw BenchError("chat-server exited at start") }
            if let probe = try? SocketDescriptor.connect(host: "127.0.0.1", port: port) {
                probe.close()
                return
            }
            usleep(10_000)
        }
        stop()
        throw BenchError("chat-server did not listen on port \(port) within 5 s")
    }

    /// Asks the server to shut down (`SIGTERM`); call `waitForExit()` after closing the clients.
    func requestStop() {
        kill(pid, SIGTERM)
    }

    /// Reaps the server, killing it if it has not exited within 5 s.
    func waitForExit() {
        var status: CInt = 0
        for _ in 0..<500 {
            if waitpid(pid, &status, WNOHANG) == pid { return }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
    }

    /// Stops the server at once.
    func stop() {
        requestStop()
        waitForExit()
    }
}
