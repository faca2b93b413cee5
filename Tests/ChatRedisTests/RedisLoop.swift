import ChatRedis
import ChatSocket

/// The test's own select() loop, as the server's would be: the connections say what they want, select waits,
/// and they are told what is ready. Every run has a deadline.
enum RedisLoop {
    /// Serves `connections` until `condition` holds; false if `timeout` passed first.
    @discardableResult
    static func run(
        _ connections: [RedisConnection], within timeout: Duration = .seconds(20), until condition: () -> Bool
    ) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            let now = ContinuousClock.now
            guard now < deadline else { return false }
            turn(connections, waitingAtMost: min(deadline - now, .milliseconds(50)))
        }
        return true
    }

    /// One select() and what it reported.
    static func turn(_ connections: [RedisConnection], waitingAtMost timeout: Duration) {
        var read = SelectSet()
        var write = SelectSet()
        for connection in connections { connection.register(read: &read, write: &write) }
        _ = try? Select.wait(read: &read, write: &write, timeout: timeout)
        for connection in connections { connection.handle(read: read, write: write) }
    }

    /// Connects to `server` and serves the connection until the connect has completed.
    static func connected(to url: String, within timeout: Duration = .seconds(20)) throws -> RedisConnection {
        let connection = try RedisConnection(endpoint: RedisEndpoint(url: url))
        guard run([connection], within: timeout, until: { connection.isConnected || connection.isClosed }),
            connection.isConnected
        else { throw RedisError.connectFailed("no connection to \(url) within \(timeout)") }
        return connection
    }
}

/// Collects the results of completions, for a test to look at after the loop ran.
final class Replies {
    private(set) var results: [Result<RedisReply, RedisError>] = []

    var count: Int { results.count }
    var last: Result<RedisReply, RedisError>? { results.last }

    func record(_ result: Result<RedisReply, RedisError>) { results.append(result) }

    /// A completion that records into this collector.
    var completion: RedisConnection.Completion { { [self] in record($0) } }
}
