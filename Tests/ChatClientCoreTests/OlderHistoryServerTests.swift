import ChatProtocol
import ChatTestSupport
import Foundation
import Testing

@testable import ChatClientCore

/// A front end that stands in for the curses screen's scrollback: it records new lines, older batches and
/// clears in order, and lets the test press PgUp at the top (the handler the session registered).
final class PagingFrontEnd: FrontEnd {
    private let typed = Locked<[String]>([])
    private let events = Locked<[String]>([])
    private let batches = Locked<[[String]]>([])
    private let olderWanted = Locked<(@Sendable () -> Void)?>(nil)
    private let changed = DispatchSemaphore(value: 0)

    /// Everything shown, in order: new lines as they are, `[older N]` for a batch, `[clear]`.
    var shown: [String] { events.withLock { $0 } }
    /// The older batches, each oldest first.
    var older: [[String]] { batches.withLock { $0 } }

    func type(_ line: String) {
        typed.withLock { $0.append(line) }
        changed.signal()
    }

    /// PgUp with the pane at its oldest line.
    func pageUpAtTheTop() {
        olderWanted.withLock { $0 }?()
    }

    /// Waits at most 10 s for `condition`; the checks after it say what was missing.
    func wait(until condition: (PagingFrontEnd) -> Bool) {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition(self) && ContinuousClock.now < deadline {
            _ = changed.wait(timeout: .now() + .milliseconds(50))
        }
    }

    func start() throws {}
    func stop() {}
    func update(_ status: SessionStatus) {}
    func connectionClosed() { changed.signal() }

    func readLine(prompt: String) -> String? {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let line = typed.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return line }
            _ = changed.wait(timeout: .now() + .milliseconds(50))
        }
        return nil
    }

    func show(_ line: DisplayLine) {
        events.withLock { $0.append(line.text) }
        changed.signal()
    }

    func showOlder(_ lines: [DisplayLine]) {
        batches.withLock { $0.append(lines.map(\.text)) }
        events.withLock { $0.append("[older \(lines.count)]") }
        changed.signal()
    }

    func whenOlderLinesWanted(_ handler: @escaping @Sendable () -> Void) {
        olderWanted.withLock { $0 = handler }
    }

    func clear() {
        events.withLock { $0.append("[clear]") }
        changed.signal()
    }
}

/// Issue 11, item 7: PgUp past the top loads older lines through `history before`, against the real server.
@Suite(.timeLimit(.minutes(1))) struct OlderHistoryServerTests {
    /// A server with a backfill of 3, and leslie's `m1` ... `m<count>` in the lobby's history.
    private static func serverWithHistory(_ count: Int) throws -> (TestServer, RawClient) {
        let server = try TestServer { $0.backfill = 3 }
        let leslie = try RawClient.joined("leslie", port: server.port)
        for number in 1...count { try leslie.send(.chat(message: "m\(number)")) }
        _ = try leslie.receive(through: { $0 == .chat(nick: "leslie", message: "m\(count)") })
        return (server, leslie)
    }

    private static func messages(_ numbers: ClosedRange<Int>) -> [String] {
        numbers.map { "leslie: m\($0)" }
    }

    @Test func pageUpPastTheTopLoadsOlderBatchesAboveUntilNoneAreLeft() throws {
        let (server, leslie) = try Self.serverWithHistory(60)
        defer { server.stop() }
        let pat = PagingFrontEnd()
        let running = SessionThread(ChatSession(nick: "pat", host: "127.0.0.1", port: server.port), frontEnd: pat)
        pat.wait { $0.shown.contains("*** pat has joined the chat") }
        #expect(pat.shown.filter { $0.hasPrefix("leslie: ") } == Self.messages(58...60))

        pat.pageUpAtTheTop()
        pat.wait { $0.older.count == 1 }
        #expect(pat.older.first == Self.messages(8...57))
        pat.pageUpAtTheTop()
        pat.wait { $0.older.count == 2 }
        #expect(pat.older.last == ["*** no older messages in lobby"] + Self.messages(1...7))

        // Nothing older is left: PgUp asks no more. A live line still arrives as a new line, not above.
        pat.pageUpAtTheTop()
        try leslie.send(.chat(message: "live"))
        pat.wait { $0.shown.contains("leslie: live") }
        #expect(pat.older.count == 2)
        #expect(pat.shown.filter { $0.hasPrefix("leslie: ") } == Self.messages(58...60) + ["leslie: live"])
        pat.type("/q")
        #expect(running.outcome() == .quit)
    }

    /// A request while one is out is not sent twice; after `/clear`, PgUp brings the room's last messages back.
    @Test func oneRequestAtATimeAndClearBringsTheLastMessagesBack() throws {
        let (server, leslie) = try Self.serverWithHistory(10)
        defer { server.stop() }
        let pat = PagingFrontEnd()
        let running = SessionThread(ChatSession(nick: "pat", host: "127.0.0.1", port: server.port), frontEnd: pat)
        pat.wait { $0.shown.contains("*** pat has joined the chat") }
        pat.pageUpAtTheTop()
        pat.pageUpAtTheTop()
        pat.wait { $0.older.count == 1 }
        #expect(pat.older == [["*** no older messages in lobby"] + Self.messages(1...7)])

        try leslie.send(.chat(message: "m11"))
        pat.wait { $0.shown.contains("leslie: m11") }
        pat.type("/clear")
        pat.wait { $0.shown.last == "[clear]" }
        pat.pageUpAtTheTop()
        pat.wait { $0.older.count == 2 }
        #expect(pat.older.last == ["*** no older messages in lobby"] + Self.messages(1...11))
        #expect(pat.shown.suffix(2) == ["[clear]", "[older 12]"])
        pat.type("/q")
        #expect(running.outcome() == .quit)
    }

    /// Another room's history is another one: after a move, PgUp counts back from that room's messages.
    @Test func afterAMoveTheNewRoomsHistoryIsPagedBack() throws {
        let (server, leslie) = try Self.serverWithHistory(5)
        defer { server.stop() }
        try leslie.send(.join(room: "games"))
        for number in 1...5 { try leslie.send(.chat(message: "g\(number)")) }
        _ = try leslie.receive(through: { $0 == .chat(nick: "leslie", message: "g5") })
        let pat = PagingFrontEnd()
        let running = SessionThread(ChatSession(nick: "pat", host: "127.0.0.1", port: server.port), frontEnd: pat)
        pat.wait { $0.shown.contains("*** pat has joined the chat") }
        pat.type("/join games")
        pat.wait { $0.shown.contains("leslie: g5") }
        pat.pageUpAtTheTop()
        pat.wait { $0.older.count == 1 }
        #expect(pat.older == [["*** no older messages in games", "leslie: g1", "leslie: g2"]])
        pat.type("/q")
        #expect(running.outcome() == .quit)
    }
}
