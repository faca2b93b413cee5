import ChatProtocol

/// Several addresses of one chat: the first connection takes the first that answers, and every reconnect goes to
/// the next one, round robin, so that a client whose node is gone resumes its session on another.
extension ChatSession {
    /// The address the current (or last) connection went to.
    var currentServer: ServerAddress {
        let index = state.withLock { $0.serverIndex }
        return servers[index]
    }

    /// Connects to the first address that takes the connection, in order; the last error when none does.
    func connectToAny() -> Result<Connection, Connection.Failure> {
        var lastError = Connection.Failure.connect("no server address")
        for (index, server) in servers.enumerated() {
            state.withLock { state in
                state.serverIndex = index
                if servers.count > 1 { state.status.server = server.description }
            }
            do {
                return .success(try Connection(host: server.host, port: server.port, tls: access.tls?.context))
            } catch {
                lastError = error
            }
        }
        return .failure(lastError)
    }

    /// Moves on to the next address for a reconnect (the same one when there is only one), and shows it in the
    /// status bar when there are several.
    func moveToNextServer(_ frontEnd: FrontEnd) -> ServerAddress {
        let index = state.withLock { state in
            state.serverIndex = (state.serverIndex + 1) % servers.count
            return state.serverIndex
        }
        if servers.count > 1 { setStatus(frontEnd) { $0.server = servers[index].description } }
        return servers[index]
    }
}
