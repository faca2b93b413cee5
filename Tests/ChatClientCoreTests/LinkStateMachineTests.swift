import ChatProtocol
import Testing

@testable import ChatClientCore

/// The link's timers, in milliseconds on a test clock: no sleeps.
@Suite struct LinkStateMachineTests {
    static let noJitter = Backoff(initial: 1_000, maximum: 30_000, jitter: 0)

    func machine(maxAttempts: Int? = nil) -> LinkStateMachine {
        var timing = LinkStateMachine.Timing.standard
        timing.backoff = Self.noJitter
        timing.maxAttempts = maxAttempts
        return LinkStateMachine(timing: timing, connectedAt: 0)
    }

    @Test func backoffDoublesFromOneSecondToThirty() {
        var generator = SeededGenerator(seed: 1)
        let delays = (1...8).map { Self.noJitter.delay(beforeAttempt: $0, using: &generator) }
        #expect(delays == [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000])
        #expect(Self.noJitter.delay(beforeAttempt: 500, using: &generator) == 30_000)
    }

    @Test func jitterTakesOffAtMostAFifthAndIsReproducible() {
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        let a = (1...20).map { Backoff.standard.delay(beforeAttempt: $0, using: &first) }
        let b = (1...20).map { Backoff.standard.delay(beforeAttempt: $0, using: &second) }
        #expect(a == b)
        for (index, delay) in a.enumerated() {
            let base = min(30_000, Int64(1_000) << Int64(index))
            #expect(delay <= base && delay >= base - base / 5)
        }
        #expect(Set(a.suffix(10)).count > 1)
    }

    @Test func aServerThatNeverAnswersIsDroppedAfterTenSeconds() {
        var link = machine()
        #expect(link.deadline == 10_000)
        #expect(link.tick(at: 9_999) == .none)
        #expect(link.tick(at: 10_000) == .drop(.noAnswer(milliseconds: 10_000)))
        #expect(LinkStateMachine.DropReason.noAnswer(milliseconds: 10_000).description.hasSuffix("within 10 s"))
    }

    @Test func anyPacketEndsTheHandshakeWait() {
        var link = machine()
        link.heard(at: 500)
        #expect(link.phase == .open(lastHeard: 500, pingSent: nil))
        #expect(link.tick(at: 60_000) == .none)
        #expect(link.deadline == nil)
    }

    @Test func aServerWithPingIsPingedAfterThirtySilentSecondsAndDroppedThirtyLater() {
        var link = machine()
        link.heard(at: 0)
        link.serverTakesPing(true)
        #expect(link.deadline == 30_000)
        #expect(link.tick(at: 29_999) == .none)
        #expect(link.tick(at: 30_000) == .sendPing)
        #expect(link.tick(at: 30_001) == .none)
        #expect(link.deadline == 60_000)
        #expect(link.tick(at: 59_999) == .none)
        #expect(link.tick(at: 60_000) == .drop(.silent))
    }

    @Test func anyPacketAnswersThePing() {
        var link = machine()
        link.heard(at: 0)
        link.serverTakesPing(true)
        #expect(link.tick(at: 30_000) == .sendPing)
        link.heard(at: 45_000)
        #expect(link.tick(at: 60_000) == .none)
        #expect(link.tick(at: 75_000) == .sendPing)
    }

    @Test func aServerWithoutPingIsNeverPinged() {
        var link = machine()
        link.heard(at: 0)
        #expect(link.tick(at: 1_000_000) == .none)
    }

    @Test func reconnectWaitsDoubleAndResetAfterAnAnswer() {
        var link = machine()
        var generator = SeededGenerator(seed: 7)
        link.heard(at: 0)
        #expect(link.lost(at: 100, using: &generator) == .none)
        #expect(link.phase == .waiting(retryAt: 1_100, attempt: 1))
        #expect(link.tick(at: 1_099) == .none)
        #expect(link.tick(at: 1_100) == .connect(attempt: 1))
        #expect(link.tick(at: 1_200) == .none)
        _ = link.lost(at: 1_150, using: &generator)
        #expect(link.phase == .waiting(retryAt: 3_150, attempt: 2))
        #expect(link.tick(at: 3_150) == .connect(attempt: 2))
        link.connected(at: 3_160)
        #expect(link.phase == .greeting(deadline: 13_160))
        _ = link.lost(at: 3_170, using: &generator)
        #expect(link.phase == .waiting(retryAt: 4_170, attempt: 1))
    }

    @Test func retryNowSkipsTheRestOfTheWait() {
        var link = machine()
        var generator = SeededGenerator(seed: 7)
        link.heard(at: 0)
        _ = link.lost(at: 0, using: &generator)
        link.retryNow(at: 200)
        #expect(link.tick(at: 200) == .connect(attempt: 1))
    }

    @Test func itGivesUpAfterTheLastAttempt() {
        var link = machine(maxAttempts: 2)
        var generator = SeededGenerator(seed: 7)
        link.heard(at: 0)
        #expect(link.lost(at: 0, using: &generator) == .none)
        #expect(link.tick(at: 1_000) == .connect(attempt: 1))
        #expect(link.lost(at: 1_000, using: &generator) == .none)
        #expect(link.tick(at: 3_000) == .connect(attempt: 2))
        #expect(link.lost(at: 3_000, using: &generator) == .giveUp(attempts: 2))
        #expect(link.phase == .stopped)
        #expect(link.tick(at: 100_000) == .none)
    }

    @Test func aStoppedLinkDoesNothing() {
        var link = machine()
        var generator = SeededGenerator(seed: 7)
        link.stop()
        #expect(link.lost(at: 0, using: &generator) == .none)
        link.connected(at: 0)
        #expect(link.phase == .stopped)
        #expect(link.deadline == nil)
    }

    @Test func theStatusBarCountsDownInWholeSeconds() {
        let status = SessionStatus(
            server: "localhost:9999", nick: "pat", room: "games", link: .reconnecting(seconds: 4, attempt: 3))
        #expect(status.summary == "pat@localhost:9999 reconnecting in 4 s (attempt 3)")
        var connected = status
        connected.link = .connected
        #expect(connected.summary == "pat@localhost:9999 in games")
    }
}
