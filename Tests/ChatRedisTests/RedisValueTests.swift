import ChatRedis
import Testing

/// The pure parts: URLs, script digests, reconnect waits, reply reading.
struct RedisValueTests {
    @Test(arguments: [
        ("redis://127.0.0.1:6380/2", RedisEndpoint(host: "127.0.0.1", port: 6380, database: 2)),
        ("redis://localhost", RedisEndpoint(host: "localhost", port: 6379, database: 0)),
        ("REDIS://h:1/", RedisEndpoint(host: "h", port: 1, database: 0)),
        ("redis://[::1]:7000/15", RedisEndpoint(host: "::1", port: 7000, database: 15)),
        ("redis://[::1]", RedisEndpoint(host: "::1", port: 6379, database: 0)),
    ])
    func validURLs(url: String, expected: RedisEndpoint) throws {
        #expect(try RedisEndpoint(url: url) == expected)
    }

    @Test(arguments: [
        "http://127.0.0.1:6379", "rediss://h:1", "redis://", "redis://:6379", "redis://h:0", "redis://h:65536",
        "redis://h:port", "redis://h:1/x", "redis://h:1/-1", "redis://user:pw@h:1", "redis://h:1/0?x=1",
        "redis://::1:6379", "redis://[::1:6379", "redis://[::1]x", "127.0.0.1:6379", "redis://h:+1",
    ])
    func invalidURLs(url: String) {
        #expect(throws: RedisEndpoint.InvalidURL.self) { try RedisEndpoint(url: url) }
    }

    @Test func endpointDescriptionParsesBack() throws {
        for endpoint in [RedisEndpoint(host: "::1", port: 1, database: 3), RedisEndpoint(host: "a.b")] {
            #expect(try RedisEndpoint(url: endpoint.description) == endpoint)
        }
    }

    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        ),
        ("return 1", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"),
    ])
    func scriptDigestsAreRedisNames(source: String, digest: String) {
        #expect(RedisScript(source).sha1 == digest)
    }

    @Test func aMillionBytesDigest() {
        let source = String(repeating: "a", count: 1_000_000)
        #expect(RedisScript(source).sha1 == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test func reconnectWaitsDoubleToTheCapAndResetAfterAStableConnection() {
        var policy = RedisReconnectPolicy(initialDelay: 100, maximumDelay: 1_000, stableAfter: 5_000)
        #expect(policy.nextAttempt(now: 42) == 42)
        var now: Int64 = 0
        var waits: [Int64] = []
        for _ in 0..<6 {
            policy.ended(now: now)
            let next = policy.nextAttempt(now: now)
            waits.append(next - now)
            now = next
        }
        #expect(waits == [100, 200, 400, 800, 1_000, 1_000])
        // A connection that lasted resets the backoff; a short one does not.
        policy.connected(now: now)
        policy.ended(now: now + 1_000)
        #expect(policy.currentDelay == 1_000)
        policy.connected(now: now + 2_000)
        policy.ended(now: now + 8_000)
        #expect(policy.currentDelay == 100)
        #expect(policy.nextAttempt(now: now + 8_050) == now + 8_100)
        #expect(policy.nextAttempt(now: now + 9_000) == now + 9_000)
    }

    @Test func publishedMessagesAreRecognised() {
        let message = RedisReply.array([.bulk(Array("message".utf8)), .bulk(Array("c".utf8)), .bulk([1, 2])])
        #expect(message.publishedMessage?.channel == "c")
        #expect(message.publishedMessage?.payload == [1, 2])
        let pattern = RedisReply.array([
            .bulk(Array("pmessage".utf8)), .bulk(Array("c*".utf8)), .bulk(Array("cd".utf8)), .bulk([3]),
        ])
        #expect(pattern.publishedMessage?.channel == "cd")
        let confirmation = RedisReply.array([.bulk(Array("subscribe".utf8)), .bulk(Array("c".utf8)), .integer(1)])
        #expect(confirmation.publishedMessage == nil)
        #expect(RedisReply.integer(5).string == "5" && RedisReply.bulk(Array("7".utf8)).integer == 7)
    }
}
