import ChatProcess
import ChatProtocol
import ChatTestSupport
import Foundation
import Testing

/// One misbehaving client costs only its own connection.
@Suite(.timeLimit(.minutes(5))) struct SlowAndHostilePeerTests {
    @Test func slowConsumerIsDroppedWhileTheOthersKeepReceiving() throws {
        let server = try ServerProcess(["--rate", "0", "--max-send-queue", "262144", "--log-level", "warning"])
        defer { server.finish() }
        let sloth = try RawClient(port: server.port, receiveBuffer: 4096)
        try sloth.send(.hello(nick: "sloth", features: []))
        let chatters = try (0..<10).map { Handoff(try RawClient.joined("c\($0)", port: server.port)) }
        let rssBefore = try server.residentKiB()
        let messages = 2_000
        let batch = 10
        let text = String(repeating: "x", count: 1_000)
        let received = Locked([Int](repeating: 0, count: 10))
        let sawLeave = Locked([Bool](repeating: false, count: 10))
        // Ten writers and ten readers at once: 20 MB for every client, the sloth included. Each writer stays at
        // most two batches ahead of its own reader, so the readers keep up however slow the machine (or a
        // sanitizer) makes them, as people reading a chat do; only the sloth falls behind.
        concurrently(20) { task in
            let client = chatters[task % 10].value
            if task < 10 {
                for round in 0..<(messages / batch) {
                    let behind = max(0, round - 1) * batch * 10
                    let deadline = ContinuousClock.now + .seconds(60)
                    while received.withLock({ $0[task] }) < behind {
                        // The reader records why it stopped; the writer only stops waiting for it.
                        guard ContinuousClock.now < deadline else { return }
                        usleep(1_000)
                    }
                    for _ in 0..<batch { try? client.send(.chat(message: text)) }
                }
                return
            }
            var chats = 0
            while chats < messages * 10 || !sawLeave.withLock({ $0[task - 10] }) {
                let packet: ServerPacket
                do {
                    packet = try client.receive(within: .seconds(20))
                } catch {
                    Issue.record("reader \(task - 10) after \(chats) chats: \(error)")
                    break
                }
                switch packet {
                case .chat:
                    chats += 1
                    received.withLock { $0[task - 10] = chats }
                case .leave(let nick, _, _) where nick == "sloth": sawLeave.withLock { $0[task - 10] = true }
                default: continue
                }
            }
        }
        #expect(received.withLock { $0 } == [Int](repeating: messages * 10, count: 10))
        #expect(sawLeave.withLock { $0 } == [Bool](repeating: true, count: 10))
        let growth = try server.residentKiB() - rssBefore
        // AddressSanitizer's quarantine holds freed memory on purpose; the bound is judged on normal builds.
        if ProcessInfo.processInfo.environment["CHAT_SANITIZER"] != "address" {
            #expect(growth < 16 * 1024, "server RSS grew by \(growth) KiB")
        }
        #expect(server.log.contains("slow consumer"))
        withExtendedLifetime(sloth) {}
    }

    /// A member whose queue would pass the limit takes the slow path (flush, then queue again); the frame queued
    /// again must still be the downgraded form for a base client. A 2 KiB limit and bursts of 40 emotes and DMs
    /// read in one pass take chris's queue over the limit several times per burst; chris reads between bursts,
    /// so each flush empties the queue and nobody is dropped.
    @Test func aBaseClientGetsDowngradedFormsOnTheSlowPathToo() throws {
        let server = try TestServer {
            $0.rate = 0
            $0.maxSendQueue = 2_048
        }
        defer { server.stop() }
        let pat = try RawClient.joined("pat", port: server.port, features: .all)
        let chris = try RawClient.joined("chris", port: server.port)
        #expect(try pat.receive() == .join(nick: "chris", room: "lobby"))
        let text = String(repeating: "s", count: 200)
        for round in 0..<10 {
            var burst: [UInt8] = []
            var downgraded: [ServerPacket] = []
            var extended: [ServerPacket] = []
            for index in 0..<40 {
                let message = "\(round).\(index) \(text)"
                if index.isMultiple(of: 2) {
                    burst += try PacketEncoder.frame(ClientPacket.emote(message: message))
                    downgraded.append(.chat(nick: "*", message: "pat \(message)"))
                    extended.append(.emote(nick: "pat", message: message))
                } else {
                    burst += try PacketEncoder.frame(ClientPacket.dm(to: "chris", message: message))
                    downgraded.append(.chat(nick: "pat -> chris", message: message))
                    extended.append(.dm(nick: "pat", to: "chris", message: message))
                }
            }
            try pat.send(bytes: burst)
            #expect(try chris.receive(40) == downgraded, "round \(round)")
            #expect(try pat.receive(40) == extended, "round \(round)")
        }
        try chris.expectNothing()
        try pat.expectNothing()
    }

    @Test func slowlorisHalfHeaderOrHalfPayloadStallsNobody() throws {
        let server = try TestServer { $0.helloTimeout = .seconds(1) }
        defer { server.stop() }
        let halfHeader = try RawClient(port: server.port)
        try halfHeader.send(bytes: [0])
        let halfPayload = try RawClient(port: server.port)
        let hello = try PacketEncoder.frame(ClientPacket.hello(nick: "lori", features: []))
        try halfPayload.send(bytes: Array(hello.prefix(hello.count / 2)))
        let pat = try RawClient.joined("pat", port: server.port)
        let stalled = try RawClient.joined("stalled", port: server.port)
        try stalled.send(bytes: Array(try PacketEncoder.frame(ClientPacket.chat(message: "half")).prefix(9)))
        #expect(try pat.receive() == .join(nick: "stalled", room: "lobby"))
        try pat.send(.chat(message: "unaffected"))
        #expect(try pat.receive() == .chat(nick: "pat", message: "unaffected"))
        #expect(try stalled.receive() == .chat(nick: "pat", message: "unaffected"))
        for client in [halfHeader, halfPayload] {
            guard case .error(.timeout, _) = try client.receive(within: .seconds(5)) else {
                throw RawClient.Failure("expected error timeout")
            }
            #expect(try client.waitForClose() == [])
        }
    }

    @Test func aFloodDoesNotStarveAnotherSender() throws {
        let server = try TestServer { $0.rate = 0 }
        defer { server.stop() }
        let observer = try RawClient.joined("observer", port: server.port)
        let flooder = try RawClient.joined("flooder", port: server.port)
        let polite = try RawClient.joined("polite", port: server.port)
        #expect(
            try observer.receive(2) == [.join(nick: "flooder", room: "lobby"), .join(nick: "polite", room: "lobby")])
        let flood = 20_000
        let frames = try (0..<flood).flatMap { try PacketEncoder.frame(ClientPacket.chat(message: "f\($0)")) }
        let writer = Handoff(flooder)
        let thread = Thread { try? writer.value.send(bytes: frames) }
        thread.start()
        // Once the flood is arriving, the polite client speaks once.
        _ = try observer.receive(through: { if case .chat("flooder", _, _) = $0 { true } else { false } })
        try polite.send(.chat(message: "excuse me"))
        var position = 1
        while case .chat("flooder", _, _) = try observer.receive() { position += 1 }
        #expect(position < flood / 2, "the polite message waited behind \(position) flood messages")
    }

    @Test func rateLimitSlowsAFlooderWithoutDroppingAnything() throws {
        let server = try TestServer {
            $0.rate = 50
            $0.burst = 10
        }
        defer { server.stop() }
        let pat = try RawClient.joined("pat", port: server.port)
        let start = ContinuousClock.now
        for index in 0..<60 { try pat.send(.chat(message: "\(index)")) }
        for index in 0..<60 { #expect(try pat.receive() == .chat(nick: "pat", message: "\(index)")) }
        // 10 at once, then 50 at 50 per second: at least a second. A lower bound, so never flaky.
        #expect(ContinuousClock.now - start >= .milliseconds(950))
    }

    @Test func hugeNickAndByteByByteDelivery() throws {
        let server = try TestServer()
        defer { server.stop() }
        let huge = try RawClient(port: server.port)
        try huge.send(.hello(nick: String(repeating: "n", count: 60_000), features: []))
        guard case .error(.badNick, _) = try huge.receive() else { throw RawClient.Failure("expected bad_nick") }
        let slow = try RawClient(port: server.port)
        for byte in try PacketEncoder.frame(ClientPacket.hello(nick: "drip", features: [])) {
            try slow.send(bytes: [byte])
        }
        #expect(try slow.receive() == .join(nick: "drip", room: "lobby"))
    }
}
