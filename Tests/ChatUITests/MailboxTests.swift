import Synchronization
import Testing

@testable import ChatUI

@Suite struct MailboxTests {
    @Test func onlyTheFirstPostBeforeACollectAsksForAWakeUp() {
        var mailbox = Mailbox(capacity: 100)
        let first = mailbox.post("one", style: .plain)
        let second = mailbox.post("two", style: .plain)
        let third = mailbox.markWake()
        #expect(first)
        #expect(!second)
        #expect(!third)
        let delivery = mailbox.collect()
        #expect(delivery.lines.map(\.text) == ["one", "two"])
        let afterCollect = mailbox.post("three", style: .notice)
        #expect(afterCollect)
        let styles = mailbox.collect().lines.map(\.style)
        #expect(styles == [.notice])
    }

    @Test func collectTakesStatusAndClosedFlagOnce() {
        var mailbox = Mailbox(capacity: 100)
        mailbox.pending.status = "connected"
        mailbox.pending.inputClosed = true
        let first = mailbox.collect()
        #expect(first.status == "connected")
        #expect(first.inputClosed)
        let second = mailbox.collect()
        #expect(second.status == nil)
        #expect(!second.inputClosed)
    }

    @Test func floodKeepsOnlyTheNewestLinesWithinTwiceTheCapacity() {
        var mailbox = Mailbox(capacity: 10)
        for number in 1...1_000 { _ = mailbox.post("\(number)", style: .plain) }
        let lines = mailbox.collect().lines.map(\.text)
        #expect(lines.count < 20)
        #expect(lines.count >= 10)
        #expect(lines.last == "1000")
    }
}

@Suite struct ChatUIWithoutTerminalTests {
    @Test func readCommandBeforeInitWindowsIsEndOfInput() {
        let ui = ChatUI(colors: .none)
        #expect(ui.readCommand("pat> ") == nil)
    }

    @Test(.timeLimit(.minutes(5)))
    func printingFromManyThreadsWhileTheInputThreadPollsIsRaceFree() async {
        let ui = ChatUI(colors: .none)
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for number in 0..<500 {
                        ui.printMessage("\(writer): \(number)", style: MessageStyle(nick: "\(writer)"))
                        if number % 100 == 0 { ui.setStatus("status \(number)") }
                    }
                }
            }
            group.addTask {
                for _ in 0..<100 { #expect(ui.readCommand("> ") == nil) }
                ui.closeInput()
            }
        }
    }
}
