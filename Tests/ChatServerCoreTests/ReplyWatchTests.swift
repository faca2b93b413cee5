import Testing

@testable import ChatServerCore

/// The rule that turns a Redis that does not answer into a Redis lost (`ReplyWatch`), on a test clock.
@Suite struct ReplyWatchTests {
    let start = ContinuousClock.now

    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    @Test func aConnectionWaitingForNothingIsNeverOverdue() {
        var watch = ReplyWatch(bound: .seconds(3))
        watch.observe(waiting: false, replies: 0, now: at(0))
        #expect(watch.deadline == nil)
        #expect(!watch.isOverdue(now: at(60_000)))
    }

    @Test func aReplyOutstandingForTheBoundIsOverdue() {
        var watch = ReplyWatch(bound: .seconds(3))
        watch.observe(waiting: true, replies: 0, now: at(0))
        watch.observe(waiting: true, replies: 0, now: at(1_000))
        #expect(watch.deadline == at(3_000))
        #expect(!watch.isOverdue(now: at(2_999)))
        #expect(watch.isOverdue(now: at(3_000)))
    }

    @Test func eachReplyStartsTheWaitAgain() {
        var watch = ReplyWatch(bound: .seconds(3))
        watch.observe(waiting: true, replies: 0, now: at(0))
        // A pipeline that keeps answering is never overdue, however long it stays busy.
        for second in 1...10 {
            watch.observe(waiting: true, replies: UInt64(second), now: at(second * 2_000))
            #expect(!watch.isOverdue(now: at(second * 2_000 + 2_999)))
        }
        #expect(watch.isOverdue(now: at(23_000)))
    }

    @Test func idleBetweenCommandsDoesNotCount() {
        var watch = ReplyWatch(bound: .seconds(3))
        watch.observe(waiting: true, replies: 0, now: at(0))
        watch.observe(waiting: false, replies: 1, now: at(500))
        watch.observe(waiting: true, replies: 1, now: at(10_000))
        #expect(watch.deadline == at(13_000))
        watch.reset()
        #expect(watch.deadline == nil)
    }

    @Test func theBoundComesFromTheLeaseAndTheTailGetsItsBlockOnTop() {
        let link = ClusterLink(
            settings: ClusterSettings(host: "127.0.0.1", node: "n", lease: .seconds(2)), logger: .init(label: "t"),
            now: start)
        #expect(ClusterLink.answerBound(lease: ClusterSettings.defaultLease) == .seconds(3))
        #expect(link.commandWatch.bound == .seconds(2))
        #expect(link.tailWatch.bound == .seconds(2) + .milliseconds(ClusterLink.blockMilliseconds))
    }
}
