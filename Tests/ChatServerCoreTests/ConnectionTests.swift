import ChatProtocol
import Testing

@testable import ChatServerCore

/// The connection state machine and its rate limit, driven with a test clock: every instant is `start` plus so
/// many milliseconds, so each timer rule is checked to the millisecond without sleeping.
@Suite struct ConnectionTests {
    let start = ContinuousClock.now
    func at(_ milliseconds: Int64) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    static func frames(_ count: Int) throws -> [UInt8] {
        let one = try PacketEncoder.frame(payload: Array(#"{"type":"chat","message":"x"}"#.utf8))
        return Array((0..<count).map { _ in one }.joined())
    }

    func connection(rate: Double = 200, burst: Double = 1_000) -> Connection {
        Connection(
            id: ClientID(slot: 5), peer: "test", bucket: TokenBucket(rate: rate, burst: burst, now: start),
            helloDeadline: at(10_000))
    }

    // MARK: - Rate limit

    @Test func theDefaultRateIs200PerSecondWithABurstOf1000() {
        let defaults = ServerConfiguration(port: 0)
        #expect(defaults.rate == 200)
        #expect(defaults.burst == 1_000)
        var bucket = TokenBucket(rate: defaults.rate, burst: defaults.burst, now: start)
        for _ in 0..<1_000 { check(bucket.take(now: start), nil) }
        // One token accrues every 5 ms at 200 a second.
        check(bucket.take(now: start), at(5))
        check(bucket.take(now: at(5)), nil)
        check(bucket.take(now: at(5)), at(10))
        check(bucket.take(now: at(10)), nil)
    }

    @Test func theBucketRefillsWithTimeButNeverPastTheBurst() {
        var bucket = TokenBucket(rate: 100, burst: 3, now: start)
        for _ in 0..<3 { check(bucket.take(now: start), nil) }
        check(bucket.take(now: start), at(10))
        // A long quiet spell refills to the burst and no further.
        for _ in 0..<3 { check(bucket.take(now: at(60_000)), nil) }
        check(bucket.take(now: at(60_000)), at(60_010))
    }

    @Test func rateZeroTurnsTheLimitOff() {
        var bucket = TokenBucket(rate: 0, burst: 1, now: start)
        for _ in 0..<10_000 { check(bucket.take(now: start), nil) }
    }

    @Test func aThrottledConnectionIsNotReadUntilItsTokenAccrues() throws {
        var connection = connection(rate: 50, burst: 2)
        let bytes = try Self.frames(3)
        check(bytes.withUnsafeBytes { connection.received($0, now: start) }, true)
        connection.joined(now: start)
        check(packet(connection.nextPacket(handledThisPass: 0, now: start)), true)
        check(packet(connection.nextPacket(handledThisPass: 1, now: start)), true)
        check(connection.nextPacket(handledThisPass: 2, now: start), .throttled(until: at(20)))
        #expect(!connection.wantsRead)
        #expect(!connection.hasFrameWaiting)
        #expect(connection.nextDeadline == at(20))
        check(connection.nextPacket(handledThisPass: 0, now: at(19)), .none)
        check(connection.deadlineReached(now: at(19)), nil)
        check(connection.deadlineReached(now: at(20)), .throttleEnded)
        #expect(connection.hasFrameWaiting)
        check(packet(connection.nextPacket(handledThisPass: 0, now: at(20))), true)
        #expect(connection.wantsRead)
        #expect(connection.nextDeadline == nil)
    }

    // MARK: - The share of a pass

    @Test func atMost64PacketsAreHandledPerPass() throws {
        #expect(Connection.packetsPerPass == 64)
        var connection = connection()
        let bytes = try Self.frames(100)
        _ = bytes.withUnsafeBytes { connection.received($0, now: start) }
        for handled in 0..<64 { check(packet(connection.nextPacket(handledThisPass: handled, now: start)), true) }
        check(connection.nextPacket(handledThisPass: 64, now: start), .budgetSpent)
        // The rest waits, and the socket is not read while whole frames wait.
        #expect(connection.hasFrameWaiting)
        #expect(!connection.wantsRead)
        for handled in 0..<36 { check(packet(connection.nextPacket(handledThisPass: handled, now: start)), true) }
        check(connection.nextPacket(handledThisPass: 36, now: start), .none)
        #expect(connection.wantsRead)
    }

    @Test func aFrameSplitAcrossReadsIsHandedOverWhole() throws {
        var connection = connection()
        let bytes = try Self.frames(1)
        _ = bytes[..<3].withUnsafeBytes { connection.received($0, now: start) }
        check(connection.nextPacket(handledThisPass: 0, now: start), .none)
        #expect(connection.wantsRead)
        _ = bytes[3...].withUnsafeBytes { connection.received($0, now: start) }
        check(packet(connection.nextPacket(handledThisPass: 0, now: start)), true)
    }

    // MARK: - Hello timeout

    @Test func theHelloDeadlineIsTenSecondsAndGoesAwayOnJoin() {
        #expect(ServerConfiguration(port: 0).helloTimeout == .seconds(10))
        var greeting = connection()
        #expect(greeting.nextDeadline == at(10_000))
        check(greeting.deadlineReached(now: at(9_999)), nil)
        check(greeting.deadlineReached(now: at(10_000)), .helloTimeout)

        var joined = connection()
        joined.joined(now: start)
        #expect(joined.nextDeadline == nil)
        check(joined.deadlineReached(now: at(10_000)), nil)
        #expect(joined.holdsSlot)
    }

    // MARK: - Lingering close

    @Test func aClosingConnectionDiscardsInputAndEndsAtItsDeadline() throws {
        var connection = connection()
        check(connection.close(now: at(1_000), grace: .seconds(2)), true)
        check(connection.close(now: at(1_001), grace: .seconds(2)), false)
        #expect(!connection.holdsSlot)
        let bytes = try Self.frames(2)
        check(bytes.withUnsafeBytes { connection.received($0, now: start) }, false)
        check(connection.nextPacket(handledThisPass: 0, now: at(1_000)), .none)
        // Still read, to see the peer's FIN.
        #expect(connection.wantsRead)
        #expect(connection.nextDeadline == at(3_000))
        check(connection.deadlineReached(now: at(2_999)), nil)
        check(connection.deadlineReached(now: at(3_000)), .lingerEnded)
        #expect(connection.isClosed)
        #expect(!connection.wantsRead)
    }

    @Test func writesAreShutDownOnceTheLastByteHasGone() {
        var connection = connection()
        check(connection.flushed(remaining: 0), false)
        _ = connection.close(now: start, grace: .seconds(2))
        check(connection.flushed(remaining: 10), false)
        check(connection.flushed(remaining: 0), true)
        check(connection.flushed(remaining: 0), false)
    }

    @Test func endOfStreamSaysWhyAndOnlyOnce() {
        var open = connection()
        open.joined(now: start)
        check(open.endOfStream(), "closed by peer")
        check(open.endOfStream(), nil)
        var closing = connection()
        _ = closing.close(now: start, grace: .seconds(2))
        check(closing.endOfStream(), "closed after lingering")
        check(closing.fail(), false)
    }

    private func packet(_ action: Connection.PacketAction) -> Bool {
        if case .packet = action { return true }
        return false
    }
}
