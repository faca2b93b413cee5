import ChatProcess
import ChatRedis
import ChatTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Connections that fail or are lost: every completion is called once, the descriptor's interest is cleared,
/// nothing crashes, and a new connection works once the server is back.
@Suite(.timeLimit(.minutes(2)))
struct RedisFaultTests {
    @Test func connectionRefusedIsAnErrorNotACrash() throws {
        let port = try ServerProcess.freePort()
        let connection: RedisConnection
        do {
            connection = try RedisConnection(endpoint: RedisEndpoint(host: "127.0.0.1", port: port))
        } catch {
            // Refused before redisAsyncConnect returned: the other allowed outcome.
            guard case .connectFailed = error else { throw error }
            return
        }
        let replies = Replies()
        var closed: [RedisError] = []
        connection.onClose = { closed.append($0) }
        try connection.send(["PING"], completion: replies.completion)
        #expect(RedisLoop.run([connection]) { !closed.isEmpty })
        guard case .connectFailed(let reason) = closed.first else {
            Issue.record("closed with \(closed)")
            return
        }
        #expect(reason.lowercased().contains("refused"))
        #expect(closed.count == 1)
        guard case .failure(.connectFailed) = replies.last else {
            Issue.record("PING got \(String(describing: replies.last))")
            return
        }
        #expect(replies.count == 1)
        #expect(connection.descriptor == nil && !connection.wantsRead && !connection.wantsWrite)
        #expect(throws: RedisError.closed) { try connection.send(["PING"], completion: replies.completion) }
    }

    @Test func serverKilledMidTrafficFailsEveryPendingCompletion() throws {
        let server = try RedisServer()
        let redis = try RedisLoop.connected(to: server.url)
        var closed: [RedisError] = []
        redis.onClose = { closed.append($0) }
        var successes = 0
        var lost = 0
        var other = 0
        let total = 20_000
        let value = [UInt8](repeating: 0x61, count: 512)
        for index in 0..<total {
            if index == total / 2 {
                // Certain to be pending when the server dies: it blocks for ever.
                try redis.send(["BLPOP", "never", "0"]) { if case .failure(.connectionLost) = $0 { lost += 1 } }
            }
            try redis.send([Array("SET".utf8), Array("k\(index % 100)".utf8), value]) { result in
                switch result {
                case .success: successes += 1
                case .failure(.connectionLost): lost += 1
                case .failure: other += 1
                }
            }
        }
        #expect(RedisLoop.run([redis]) { successes > 0 })
        server.kill()
        #expect(RedisLoop.run([redis]) { !closed.isEmpty })
        #expect(successes + lost + other == total + 1)
        #expect(other == 0)
        #expect(lost >= 1)
        #expect(closed.count == 1)
        if case .connectionLost = closed.first {} else { Issue.record("closed with \(closed)") }
        #expect(redis.descriptor == nil && !redis.wantsRead && !redis.wantsWrite && redis.isClosed)
        #expect(throws: RedisError.closed) { try redis.send(["PING"]) { _ in } }
    }

    @Test func aServerKilledMidWriteIsALostConnectionNotASignal() throws {
        let server = try RedisServer()
        let redis = try RedisLoop.connected(to: server.url)
        var result: Result<RedisReply, RedisError>?
        // Far more than the socket buffers hold, so that hiredis is still writing when the server dies (its
        // write(2) then fails with a reset or EPIPE, whose SIGPIPE the connection makes harmless).
        let value = [UInt8](repeating: 0x62, count: 64 << 20)
        try redis.send([Array("SET".utf8), Array("big".utf8), value]) { result = $0 }
        for _ in 0..<3 { RedisLoop.turn([redis], waitingAtMost: .milliseconds(20)) }
        #expect(redis.wantsWrite)
        server.kill()
        #expect(RedisLoop.run([redis]) { redis.isClosed })
        guard case .failure(.connectionLost) = result else {
            Issue.record("SET got \(String(describing: result))")
            return
        }
    }

    @Test func aConnectionMakesSigpipeHarmless() throws {
        // hiredis writes with write(2): without this, a Redis that dies mid-write kills the whole server.
        let sigpipeBit: UInt64 = 1 << (UInt64(SIGPIPE) - 1)
        let server = try RedisServer()
        let redis = try RedisConnection(endpoint: RedisEndpoint(url: server.url))
        let status = try ServerProcess.readFile("/proc/self/status")
        let ignored = status.split(separator: "\n").first { $0.hasPrefix("SigIgn:") }?.split(separator: "\t").last
        #expect(ignored.flatMap { UInt64($0, radix: 16) }.map { $0 & sigpipeBit != 0 } == true)
        redis.close()
    }

    @Test func newConnectionAfterTheServerRestarts() throws {
        let server = try RedisServer()
        var redis = try RedisLoop.connected(to: server.url)
        var policy = RedisReconnectPolicy(initialDelay: 50, maximumDelay: 400)
        var clock: Int64 = 0
        policy.connected(now: clock)
        server.kill()
        let replies = Replies()
        try redis.send(["PING"], completion: replies.completion)
        #expect(RedisLoop.run([redis]) { redis.isClosed })
        policy.ended(now: clock)
        // While the server is down, attempts fail and the waits grow.
        var attempts = 0
        while attempts < 3 {
            clock = policy.nextAttempt(now: clock)
            attempts += 1
            if let retry = try? RedisConnection(endpoint: RedisEndpoint(url: server.url)) {
                RedisLoop.run([retry]) { retry.isClosed || retry.isConnected }
                #expect(retry.isClosed)
            }
            policy.ended(now: clock)
        }
        #expect(policy.currentDelay == 400)
        try server.start()
        redis = try RedisLoop.connected(to: server.url)
        policy.connected(now: clock)
        try redis.send(["SET", "back", "yes"], completion: replies.completion)
        try redis.send(["GET", "back"], completion: replies.completion)
        #expect(RedisLoop.run([redis]) { replies.count == 3 })
        #expect(try replies.results[2].get() == .bulk(Array("yes".utf8)))
        redis.close()
    }

    @Test func closingFailsPendingCompletionsThenReportsOnce() throws {
        let server = try RedisServer()
        let redis = try RedisLoop.connected(to: server.url)
        var order: [String] = []
        redis.onClose = { order.append("closed \($0)") }
        for index in 0..<3 {
            try redis.send(["BLPOP", "never", "0"]) { order.append("\(index) \($0)") }
        }
        redis.close()
        redis.close()
        #expect(
            order == [
                "0 failure(\(RedisError.closed))", "1 failure(\(RedisError.closed))",
                "2 failure(\(RedisError.closed))", "closed \(RedisError.closed)",
            ])
        #expect(redis.descriptor == nil && !redis.wantsRead && !redis.wantsWrite)
    }

    @Test func aCompletionMayCloseTheConnectionMidPipeline() throws {
        let server = try RedisServer()
        let redis = try RedisLoop.connected(to: server.url)
        var results: [Result<RedisReply, RedisError>] = []
        var closes = 0
        redis.onClose = { _ in closes += 1 }
        for index in 0..<100 {
            try redis.send(["INCR", "n"]) { result in
                results.append(result)
                if index == 10 { redis.close() }
            }
        }
        // Certain to be pending when the completion closes: it blocks for ever.
        try redis.send(["BLPOP", "never", "0"]) { results.append($0) }
        #expect(RedisLoop.run([redis]) { results.count == 101 })
        // Replies read in the same pass as the closing one are still delivered (those commands ran); after the
        // first failure, every completion fails.
        let succeeded = results.prefix { if case .success = $0 { true } else { false } }.count
        #expect(succeeded >= 11 && succeeded <= 100)
        #expect(results.last == .failure(.closed))
        #expect(results.dropFirst(succeeded).allSatisfy { $0 == .failure(.closed) })
        #expect(closes == 1)
    }

    @Test func releasingAConnectionWithCommandsPendingFreesItQuietly() throws {
        let server = try RedisServer()
        var called = 0
        do {
            let redis = try RedisLoop.connected(to: server.url)
            try redis.send(["BLPOP", "never", "0"]) { _ in called += 1 }
            RedisLoop.turn([redis], waitingAtMost: .milliseconds(50))
        }
        let connecting = try RedisConnection(endpoint: RedisEndpoint(url: server.url))
        try connecting.send(["PING"]) { _ in called += 1 }
        _ = connecting
        #expect(called == 0)
        #expect(RedisServer.answersPing(port: server.port))
    }
}
