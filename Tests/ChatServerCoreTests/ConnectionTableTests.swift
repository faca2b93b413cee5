import ChatProtocol
import ChatSocket
import Glibc
import Testing

@testable import ChatServerCore

/// Every timer of the server, admission and identity, through the pure connection table and a test clock.
@Suite struct ConnectionTableTests {
    let start = ContinuousClock.now
    func at(_ milliseconds: Int64) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    func table(maxClients: Int = 100, rate: Double = 200) -> ConnectionTable {
        ConnectionTable(configuration: ServerConfiguration(port: 0, maxClients: maxClients, rate: rate))
    }

    /// Every expiry due at `now`, in order.
    func expiries(_ table: inout ConnectionTable, at now: ContinuousClock.Instant) -> [ConnectionTable.Expiry] {
        var found: [ConnectionTable.Expiry] = []
        while let expiry = table.nextExpiry(now: now) { found.append(expiry) }
        return found
    }

    // MARK: - Hello timeout

    @Test func aConnectionWithoutHelloTimesOutAtTenSecondsExactly() {
        var table = table()
        let (id, admitted) = table.accept(slot: 7, peer: "p", now: start)
        #expect(admitted)
        check(table.nextDeadline(), at(10_000))
        check(expiries(&table, at: at(9_999)), [])
        check(expiries(&table, at: at(10_000)), [.helloTimeout(id)])
    }

    @Test func joiningCancelsTheHelloTimeoutAndItNeverWakesTheLoop() {
        var table = table()
        let ids = (0..<3).map { table.accept(slot: Int32(10 + $0), peer: "p", now: at(Int64($0))).id }
        for id in ids { table.joined(id, pings: false, now: start) }
        check(table.nextDeadline(), nil)
        check(expiries(&table, at: at(60_000)), [])
    }

    @Test func greetingsExpireInTheirOwnOrder() {
        var table = table()
        let first = table.accept(slot: 3, peer: "p", now: start).id
        let second = table.accept(slot: 4, peer: "p", now: at(500)).id
        check(expiries(&table, at: at(10_499)), [.helloTimeout(first)])
        check(expiries(&table, at: at(10_500)), [.helloTimeout(second)])
    }

    // MARK: - Lingering close and slots

    @Test func aLingeringCloseReleasesItsSlotAtOnceAndEndsAfterTwoSeconds() throws {
        #expect(ServerConfiguration(port: 0).shutdownGrace == .seconds(2))
        var table = table(maxClients: 1)
        let first = table.accept(slot: 5, peer: "p", now: start).id
        check(table.accept(slot: 6, peer: "p", now: start).admitted, false)
        table.close(table.ids[1], now: start)
        table.close(first, now: at(100))
        #expect(table.openCount == 0)
        // Both closing connections still hold their descriptors, yet a new one is admitted.
        check(table.accept(slot: 8, peer: "p", now: at(200)).admitted, true)
        #expect(table.count == 3)
        // Input to a closing connection is discarded.
        let frame = try PacketEncoder.frame(.chat(message: "late"))
        check(frame.withUnsafeBytes { table.received($0, from: first, now: start) }, false)
        check(table.nextPacket(from: first, handledThisPass: 0, now: at(150)), .none)
        check(expiries(&table, at: at(2_099)), [.lingerEnded(table.ids[1])])
        check(expiries(&table, at: at(2_100)), [.lingerEnded(first)])
        #expect(table[first]?.isClosed == true)
        table.remove(first)
        #expect(table[first] == nil)
    }

    @Test func oneMoreThanMaxClientsIsNotAdmitted() {
        var table = table(maxClients: 2)
        check(table.accept(slot: 3, peer: "p", now: start).admitted, true)
        check(table.accept(slot: 4, peer: "p", now: start).admitted, true)
        check(table.accept(slot: 5, peer: "p", now: start).admitted, false)
        let dropped = table.ids[0]
        check(table.fail(dropped), true)
        check(table.fail(dropped), false)
        #expect(table.openCount == 2)
        table.remove(dropped)
        check(table.accept(slot: 3, peer: "p", now: start).admitted, false)
    }

    // MARK: - Identity

    @Test func aReusedDescriptorIsANewConnection() {
        var table = table()
        let old = table.accept(slot: 9, peer: "p", now: start).id
        _ = table.fail(old)
        table.remove(old)
        let new = table.accept(slot: 9, peer: "p", now: at(5_000)).id
        #expect(new.slot == old.slot)
        #expect(new != old)
        #expect(table[old] == nil)
        #expect(table[new] != nil)
        // The old connection's hello deadline fires for nobody; the new one's fires on time.
        check(expiries(&table, at: at(10_000)), [])
        check(expiries(&table, at: at(15_000)), [.helloTimeout(new)])
        // Events for the old identity reach nothing.
        check(table.endOfStream(from: old), nil)
        #expect(table[new]?.isClosed == false)
    }

    @Test func aLateFrameForAnEarlierConnectionNeverReachesItsSuccessor() throws {
        var queues = OutboundQueues()
        let old = ClientID(slot: 4, generation: 1)
        let new = ClientID(slot: 4, generation: 2)
        queues.open(for: old)
        queues.open(for: new)
        let frame = try PacketEncoder.frame(.chat(nick: "pat", message: "hi"))
        frame.withUnsafeBufferPointer { frame in
            check(queues.queue(frame, for: old, limit: 1 << 20), .refused)
            check(queues.queue(frame, for: new, limit: 1 << 20), .queuedFirst)
            check(queues.queue(frame, for: new, limit: 1 << 20), .queued)
        }
        queues[new.slot].stopTaking()
        frame.withUnsafeBufferPointer { check(queues.queue($0, for: new, limit: 1 << 20), .refused) }
        #expect(queues[new.slot].pending == 2 * frame.count)
    }

    // MARK: - Rate limit through the table

    @Test func aFlooderIsThrottledAfterItsBurstAndResumesFiveMillisecondsLater() throws {
        var table = table()
        let id = table.accept(slot: 3, peer: "p", now: start).id
        table.joined(id, pings: false, now: start)
        let frames = try ConnectionTests.frames(1_001)
        _ = frames.withUnsafeBytes { table.received($0, from: id, now: start) }
        var handled = 0
        while case .packet = table.nextPacket(from: id, handledThisPass: handled % 64, now: start) { handled += 1 }
        #expect(handled == 1_000)
        check(table.nextPacket(from: id, handledThisPass: 0, now: start), .none)
        #expect(table[id]?.wantsRead == false)
        check(table.nextDeadline(), at(5))
        check(expiries(&table, at: at(4)), [])
        check(expiries(&table, at: at(5)), [.throttleEnded(id)])
        if case .packet = table.nextPacket(from: id, handledThisPass: 0, now: at(5)) {
        } else {
            Issue.record("the 1,001st packet should be handed over once its token accrued")
        }
    }

    // MARK: - Pings

    @Test func aSilentPingClientIsPingedAfterThirtySecondsAndGoneThirtyLater() throws {
        #expect(ServerConfiguration(port: 0).pingInterval == .seconds(30))
        var table = table()
        let id = table.accept(slot: 3, peer: "p", now: start).id
        table.joined(id, pings: true, now: start)
        check(table.nextDeadline(), at(30_000))
        // Heard from at 10 s: the check at 30 s only moves on to 40 s.
        let frame = try PacketEncoder.frame(.chat(message: "hi"))
        _ = frame.withUnsafeBytes { table.received($0, from: id, now: at(10_000)) }
        check(expiries(&table, at: at(30_000)), [])
        check(table.nextDeadline(), at(40_000))
        check(expiries(&table, at: at(39_999)), [])
        check(expiries(&table, at: at(40_000)), [.sendPing(id)])
        check(expiries(&table, at: at(69_999)), [])
        check(expiries(&table, at: at(70_000)), [.pingTimeout(id)])
    }

    @Test func anAnswerKeepsAPingClientAlive() throws {
        var table = table()
        let id = table.accept(slot: 3, peer: "p", now: start).id
        table.joined(id, pings: true, now: start)
        check(expiries(&table, at: at(30_000)), [.sendPing(id)])
        let pong = try PacketEncoder.frame(ClientPacket.pong(token: "p1"))
        _ = pong.withUnsafeBytes { table.received($0, from: id, now: at(31_000)) }
        check(expiries(&table, at: at(60_000)), [])
        check(table.nextDeadline(), at(61_000))
        check(expiries(&table, at: at(61_000)), [.sendPing(id)])
    }

    @Test func aClientWithoutPingIsNeverPinged() {
        var table = table()
        let id = table.accept(slot: 3, peer: "p", now: start).id
        table.joined(id, pings: false, now: start)
        check(table.nextDeadline(), nil)
        check(expiries(&table, at: at(3_600_000)), [])
    }

    // MARK: - The server's own timers

    @Test func acceptingPausesForOneHundredMilliseconds() {
        var table = table()
        #expect(table.mayAccept(acceptedThisPass: 0))
        table.pauseAccepting(now: start)
        #expect(!table.mayAccept(acceptedThisPass: 0))
        check(expiries(&table, at: at(99)), [])
        check(expiries(&table, at: at(100)), [.resumeAccepting])
        #expect(table.mayAccept(acceptedThisPass: 0))
    }

    @Test func atMost256AcceptsPerPass() {
        let table = table()
        #expect(table.mayAccept(acceptedThisPass: 255))
        #expect(!table.mayAccept(acceptedThisPass: 256))
    }

    @Test func shutdownClosesEveryOpenConnectionWithATwoSecondGrace() {
        var table = table()
        let greeting = table.accept(slot: 3, peer: "p", now: start).id
        let joined = table.accept(slot: 4, peer: "p", now: start).id
        table.joined(joined, pings: false, now: start)
        let closing = table.accept(slot: 5, peer: "p", now: start).id
        table.close(closing, now: start)
        table.pauseAccepting(now: start)
        check(table.beginShutdown(now: at(50)), [greeting, joined])
        check(table.beginShutdown(now: at(60)), [])
        #expect(!table.mayAccept(acceptedThisPass: 0))
        // The accept pause ending does not reopen a listener that is shutting down.
        check(expiries(&table, at: at(100)), [])
        check(expiries(&table, at: at(2_049)), [.lingerEnded(closing)])
        check(expiries(&table, at: at(2_050)), [.shutdownGraceEnded])
    }

    @Test func idleBuffersAreSweptOncePerSecondWhileAnyHoldsMemory() {
        var table = table()
        table.scheduleSweep(now: start)
        table.scheduleSweep(now: at(500))
        check(table.nextDeadline(), at(1_000))
        check(expiries(&table, at: at(999)), [])
        check(expiries(&table, at: at(1_000)), [.sweep])
        check(table.nextDeadline(), nil)
        table.scheduleSweep(now: at(1_200))
        check(table.nextDeadline(), at(2_200))
    }

    @Test func theSweepFreesOnlyABufferLeftEmptyAndUnusedForAWholeInterval() throws {
        var pair: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { pair.forEach { _ = Glibc.close($0) } }
        let socket = SocketDescriptor(rawValue: pair[0])
        var queue = OutboundQueue(recipient: 1)
        let frame = try PacketEncoder.frame(.chat(nick: "pat", message: "hi"))
        _ = frame.withUnsafeBufferPointer { queue.queue($0, for: 1, limit: 1 << 20) }
        #expect(queue.capacity >= frame.count)
        // Pending output is never freed, and a queue used since the last sweep keeps its buffer once drained.
        #expect(queue.sweep() == (freed: 0, holding: true))
        _ = frame.withUnsafeBufferPointer { queue.queue($0, for: 1, limit: 1 << 20) }
        #expect(queue.send(on: socket) == .progress(remaining: 0))
        #expect(queue.sweep() == (freed: 0, holding: true))
        // Empty and unused for a whole interval: freed.
        let capacity = queue.capacity
        #expect(capacity >= 2 * frame.count)
        #expect(queue.sweep() == (freed: capacity, holding: false))
        #expect(queue.capacity == 0)
    }
}
