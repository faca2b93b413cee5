import ChatRedis
import ChatTestSupport
import Testing

/// Replies that come later than their command, or without one: a blocking stream read and pub/sub.
@Suite(.timeLimit(.minutes(2)))
struct RedisPushTests {
    @Test func blockedStreamReadWakesOnAppendAndIsReissued() throws {
        let server = try RedisServer()
        let reader = try RedisLoop.connected(to: server.url)
        let writer = try RedisLoop.connected(to: server.url)
        var entries: [[UInt8]] = []
        var lastID = "$"
        var failures: [RedisError] = []
        // As the cluster's reader does: one XREAD BLOCK at a time, issued again after each reply.
        func readNext() {
            try? reader.send(["XREAD", "BLOCK", "30000", "STREAMS", "chat:log", lastID]) { result in
                switch result {
                case .success(let reply):
                    for (id, payload) in Self.streamEntries(reply) {
                        lastID = id
                        entries.append(payload)
                    }
                    readNext()
                case .failure(let error):
                    failures.append(error)
                }
            }
        }
        readNext()
        // Served until the read has left the buffer: the server now holds it blocked.
        #expect(RedisLoop.run([reader]) { !reader.wantsWrite })
        RedisLoop.turn([reader], waitingAtMost: .milliseconds(100))
        #expect(entries.isEmpty)
        let appended = Replies()
        try writer.send(["XADD", "chat:log", "*", "m", "one"], completion: appended.completion)
        #expect(RedisLoop.run([reader, writer], within: .seconds(10)) { entries.count == 1 })
        try writer.send(["XADD", "chat:log", "*", "m", "two"], completion: appended.completion)
        try writer.send(["XADD", "chat:log", "*", "m", "three"], completion: appended.completion)
        #expect(RedisLoop.run([reader, writer], within: .seconds(10)) { entries.count == 3 })
        #expect(entries == ["one", "two", "three"].map { Array($0.utf8) })
        writer.close()
        reader.close()
        #expect(failures == [.closed])
    }

    @Test func subscriberGetsEveryPublishedMessageInOrder() throws {
        let server = try RedisServer()
        let subscriber = try RedisLoop.connected(to: server.url)
        let publisher = try RedisLoop.connected(to: server.url)
        var confirmations = 0
        var messages: [(channel: String, payload: [UInt8])] = []
        var failures: [RedisError] = []
        try subscriber.send(["SUBSCRIBE", "room:a", "room:b"]) { result in
            switch result {
            case .success(let reply):
                if let message = reply.publishedMessage {
                    messages.append(message)
                } else if reply.elements?.first?.string == "subscribe" {
                    confirmations += 1
                }
            case .failure(let error):
                failures.append(error)
            }
        }
        #expect(RedisLoop.run([subscriber]) { confirmations == 2 })
        let receivers = Replies()
        let payloads: [[UInt8]] = (0..<100).map { Array("message \($0)".utf8) } + [[0, 0xFF, 13, 10]]
        for (index, payload) in payloads.enumerated() {
            let channel = Array((index % 2 == 0 ? "room:a" : "room:b").utf8)
            try publisher.send([Array("PUBLISH".utf8), channel, payload], completion: receivers.completion)
        }
        #expect(RedisLoop.run([subscriber, publisher]) { messages.count == payloads.count })
        #expect(messages.map(\.payload) == payloads)
        #expect(messages.first?.channel == "room:a")
        #expect(messages.dropFirst().first?.channel == "room:b")
        #expect(receivers.results.allSatisfy { (try? $0.get()) == .integer(1) })
        // Closing fails the subscription's handler once, however many channels it covered.
        subscriber.close()
        #expect(failures == [.closed])
        publisher.close()
    }

    /// The entries of an XREAD reply: `[[stream, [[id, [field, value]]…]]]`, the value of the first field.
    static func streamEntries(_ reply: RedisReply) -> [(id: String, payload: [UInt8])] {
        guard let streams = reply.elements else { return [] }
        return streams.flatMap { stream -> [(id: String, payload: [UInt8])] in
            guard let entries = stream.elements?.last?.elements else { return [] }
            return entries.compactMap { entry in
                guard let parts = entry.elements, parts.count == 2, let id = parts[0].string,
                    let fields = parts[1].elements, fields.count >= 2, let value = fields[1].bytes
                else { return nil }
                return (id, value)
            }
        }
    }
}
