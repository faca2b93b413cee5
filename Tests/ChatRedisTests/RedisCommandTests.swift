import ChatRedis
import ChatTestSupport
import Testing

/// Commands against a real `redis-server` started for each test, driven by the test's own select() loop.
@Suite(.timeLimit(.minutes(2)))
struct RedisCommandTests {
    @Test func setGetAndIncrement() throws {
        let server = try RedisServer()
        let redis = try RedisLoop.connected(to: server.url)
        let replies = Replies()
        try redis.send(["SET", "greeting", "hello"], completion: replies.completion)
        try redis.send(["GET", "greeting"], completion: replies.completion)
        try redis.send(["GET", "missing"], completion: replies.completion)
        try redis.send(["INCR", "counter"], completion: replies.completion)
        try redis.send(["INCR", "counter"], completion: replies.completion)
        try redis.send(["INCR", "greeting"], completion: replies.completion)
        #expect(RedisLoop.run([redis]) { replies.count == 6 })
        let values = try replies.results.map { try $0.get() }
        #expect(values[0] == .status("OK"))
        #expect(values[1] == .bulk(Array("hello".utf8)))
        #expect(values[2] == .null)
        #expect(values[3] == .integer(1))
        #expect(values[4] == .integer(2))
        guard case .error(let message) = values[5] else {
            Issue.record("INCR of text: \(values[5])")
            return
        }
        #expect(message.hasPrefix("ERR"))
        redis.close()
    }

    @Test func binaryKeysAndValuesRoundTrip() throws {
        let server = try RedisServer()
        let redis = try RedisLoop.connected(to: server.url)
        let key: [UInt8] = [0, 0xFF, 13, 10, 0x20, 0]
        var value: [UInt8] = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        value += Array("\r\n$-1\r\n".utf8) + [0]
        let replies = Replies()
        try redis.send([Array("SET".utf8), key, value], completion: replies.completion)
        try redis.send([Array("GET".utf8), key], completion: replies.completion)
        try redis.send([Array("SET".utf8), Array("empty".utf8), []], completion: replies.completion)
        try redis.send([Array("GET".utf8), Array("empty".utf8)], completion: replies.completion)
        #expect(RedisLoop.run([redis]) { replies.count == 4 })
        #expect(try replies.results[1].get() == .bulk(value))
        #expect(try replies.results[3].get() == .bulk([]))
        redis.close()
    }

    @Test func tenThousandPipelinedCommandsCompleteInOrder() throws {
        let server = try RedisServer()
        let redis = try RedisLoop.connected(to: server.url)
        let total = 10_000
        var seen: [Int64] = []
        var failures = 0
        for _ in 0..<total {
            try redis.send(["INCR", "n"]) { result in
                if case .success(.integer(let value)) = result { seen.append(value) } else { failures += 1 }
            }
        }
        #expect(redis.wantsWrite)
        #expect(RedisLoop.run([redis], within: .seconds(60)) { seen.count + failures == total })
        #expect(failures == 0)
        #expect(seen == Array(1...Int64(total)))
        redis.close()
    }

    @Test func databaseFromTheURLIsSelectedFirst() throws {
        let server = try RedisServer()
        let third = try RedisLoop.connected(to: server.url + "/3")
        let first = try RedisLoop.connected(to: server.url)
        let replies = Replies()
        try third.send(["SET", "where", "three"], completion: replies.completion)
        #expect(RedisLoop.run([third]) { replies.count == 1 })
        try first.send(["GET", "where"], completion: replies.completion)
        try third.send(["GET", "where"], completion: replies.completion)
        #expect(RedisLoop.run([first, third]) { replies.count == 3 })
        #expect(try replies.results[1].get() == .null)
        #expect(try replies.results[2].get() == .bulk(Array("three".utf8)))
        first.close()
        third.close()
    }

    @Test func aDatabaseTheServerLacksClosesTheConnection() throws {
        let server = try RedisServer()
        let redis = try RedisConnection(endpoint: RedisEndpoint(url: server.url + "/999"))
        let replies = Replies()
        var closed: [RedisError] = []
        redis.onClose = { closed.append($0) }
        try redis.send(["PING"], completion: replies.completion)
        #expect(RedisLoop.run([redis]) { !closed.isEmpty })
        guard case .setupFailed(let reason) = closed.first else {
            Issue.record("closed with \(closed)")
            return
        }
        #expect(reason.contains("SELECT 999"))
        #expect(replies.count == 1)
        #expect(redis.descriptor == nil)
    }

    @Test func evalShaFallsBackToEvalOnNoScript() throws {
        let server = try RedisServer()
        let redis = try RedisLoop.connected(to: server.url)
        let script = RedisScript("return ARGV[1] .. ':' .. KEYS[1]")
        let replies = Replies()
        try redis.send(["SCRIPT", "EXISTS", script.sha1], completion: replies.completion)
        try redis.evaluate(script, keys: ["key"], arguments: ["first"], completion: replies.completion)
        #expect(RedisLoop.run([redis]) { replies.count == 2 })
        #expect(try replies.results[0].get() == .array([.integer(0)]))
        #expect(try replies.results[1].get() == .bulk(Array("first:key".utf8)))
        // The EVAL fallback cached the script under the digest computed here.
        try redis.send(["SCRIPT", "EXISTS", script.sha1], completion: replies.completion)
        try redis.send(["SCRIPT", "FLUSH"], completion: replies.completion)
        try redis.load(script, completion: replies.completion)
        try redis.evaluate(script, keys: ["k2"], arguments: ["second"], completion: replies.completion)
        #expect(RedisLoop.run([redis]) { replies.count == 6 })
        #expect(try replies.results[2].get() == .array([.integer(1)]))
        #expect(try replies.results[4].get() == .bulk(Array(script.sha1.utf8)))
        #expect(try replies.results[5].get() == .bulk(Array("second:k2".utf8)))
        redis.close()
    }

    @Test func aScriptErrorIsAReplyNotAFallback() throws {
        let server = try RedisServer()
        let redis = try RedisLoop.connected(to: server.url)
        let replies = Replies()
        try redis.evaluate(RedisScript("return redis.call('INCR', KEYS[1])"), keys: ["text"], completion: { _ in })
        try redis.send(["SET", "text", "abc"], completion: replies.completion)
        try redis.evaluate(RedisScript("return redis.call('INCR', KEYS[1])"), keys: ["text"]) {
            replies.record($0)
        }
        #expect(RedisLoop.run([redis]) { replies.count == 2 })
        guard case .success(.error(let message)) = replies.results[1] else {
            Issue.record("expected an error reply, got \(replies.results[1])")
            return
        }
        #expect(!message.hasPrefix("NOSCRIPT"))
        redis.close()
    }
}
