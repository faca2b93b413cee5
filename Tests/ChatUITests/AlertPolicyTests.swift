import Testing

@testable import ChatUI

@Suite struct AlertPolicyTests {
    let start = ContinuousClock.now
    let mention = MessageStyle(nick: "leslie", isMention: true)
    let direct = MessageStyle(nick: "chris", isDirectMessage: true)

    @Test func aMentionRingsAndShowsInTheStatusBar() {
        var policy = AlertPolicy(bell: true)
        let rang = policy.received(mention, at: start)
        #expect(rang)
        #expect(policy.isPending)
        #expect(policy.statusText == "[mention: leslie]")
    }

    @Test func aDirectMessageRings() {
        var policy = AlertPolicy(bell: true)
        let rang = policy.received(direct, at: start)
        #expect(rang)
        #expect(policy.statusText == "[DM: chris]")
    }

    @Test(arguments: [
        MessageStyle(nick: "pat", isOwn: true, isMention: true),
        MessageStyle(nick: "pat", isOwn: true, isDirectMessage: true),
        MessageStyle(nick: "leslie", isMention: true, isReplay: true),
        MessageStyle(nick: "leslie", isDirectMessage: true, isReplay: true),
        MessageStyle(nick: "leslie"),
        MessageStyle.notice,
        MessageStyle(isMention: true, isNotice: true),
    ])
    func ownLinesReplaysAndOrdinaryLinesNeverAlert(style: MessageStyle) {
        var policy = AlertPolicy(bell: true)
        let rang = policy.received(style, at: start)
        #expect(!rang)
        #expect(!policy.isPending)
        #expect(policy.statusText.isEmpty)
    }

    @Test func aBurstRingsOnceAndIsCounted() {
        var policy = AlertPolicy(bell: true)
        var rings = 0
        for index in 0..<50 {
            let style = index % 2 == 0 ? mention : MessageStyle(nick: "chris", isMention: true)
            // Spread over a minute: the pending alert, not only the 2 s limit, keeps it to one bell.
            if policy.received(style, at: start + .seconds(index)) { rings += 1 }
        }
        if policy.received(direct, at: start + .seconds(60)) { rings += 1 }
        #expect(rings == 1)
        #expect(policy.statusText == "[50 mentions: leslie, chris] [DM: chris]")
    }

    @Test func aKeyClearsAndTheNextAlertRingsAgainAfterTheInterval() {
        var policy = AlertPolicy(bell: true)
        var outcomes = [policy.received(mention, at: start), policy.acknowledge()]
        #expect(!policy.isPending)
        #expect(policy.statusText.isEmpty)
        // Nothing left to clear; then within 2 s of the last bell: shown, silent.
        outcomes += [policy.acknowledge(), policy.received(mention, at: start + .milliseconds(1_999))]
        #expect(policy.statusText == "[mention: leslie]")
        outcomes += [policy.acknowledge(), policy.received(mention, at: start + .seconds(2))]
        #expect(outcomes == [true, true, false, false, true, true])
    }

    @Test func noBellStillShowsAlerts() {
        var policy = AlertPolicy(bell: false)
        let rings = [policy.received(mention, at: start), policy.received(direct, at: start + .seconds(10))]
        #expect(rings == [false, false])
        #expect(policy.statusText == "[mention: leslie] [DM: chris]")
    }

    @Test func aDirectMessageThatNamesTheUserCountsOnceAsADirectMessage() {
        let both = MessageStyle(nick: "leslie", isMention: true, isDirectMessage: true)
        #expect(AlertPolicy.kind(of: both) == .directMessage)
        var policy = AlertPolicy(bell: true)
        _ = policy.received(both, at: start)
        #expect(policy.statusText == "[DM: leslie]")
    }

    @Test func theStatusTextNamesTwoNicksThenCounts() {
        var policy = AlertPolicy(bell: true)
        for nick in ["leslie", "chris", "leslie", "sam", "kim"] {
            _ = policy.received(MessageStyle(nick: nick, isMention: true), at: start)
        }
        _ = policy.received(direct, at: start)
        _ = policy.received(direct, at: start)
        #expect(policy.statusText == "[5 mentions: leslie, chris +2] [2 DMs: chris]")
    }
}
