import ChatProtocol
import ChatTestSupport
import Foundation
import Synchronization
import Testing

@testable import ChatClientCore

/// A front end that types a script and records what is shown, standing in for the terminal only.
final class ScriptedFrontEnd: FrontEnd {
    private let script: Locked<[String]>
    private let shown = Locked<[String]>([])
    private let closed = Atomic<Bool>(false)
    private let lineArrived = DispatchSemaphore(value: 0)
    /// Before each scripted line, wait until a shown line contains this text.
    private let waits: [String: String]
    private let drafts = Locked<[String]>([])
    let holdsInputWhileDisconnected: Bool

    /// Answers to questions (`ask`), in order; nil for a front end that cannot ask (plain mode).
    private let answers: Locked<[String]>
    let canAsk: Bool
    private let asked = Locked<[(question: String, hidden: Bool)]>([])

    init(
        _ script: [String], waitingFor waits: [String: String] = [:], holdsInput: Bool = true,
        answers: [String]? = nil
    ) {
        self.script = Locked(script)
        self.waits = waits
        holdsInputWhileDisconnected = holdsInput
        self.answers = Locked(answers ?? [])
        canAsk = answers != nil
    }

    /// The questions asked, with whether the answer was to be hidden.
    var questions: [(question: String, hidden: Bool)] { asked.withLock { $0 } }

    func ask(_ question: String, hidden: Bool) -> String? {
        asked.withLock { $0.append((question, hidden)) }
        return answers.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }

    /// The lines the session gave back to the input line.
    var keptDrafts: [String] { drafts.withLock { $0 } }

    func keepDraft(_ text: String) {
        drafts.withLock { $0.append(text) }
    }

    var lines: [String] { shown.withLock { $0 } }

    private let promptsSeen = Locked<[String]>([])
    private let ownSeen = Locked<[String]>([])
    /// The lines shown as this client's own.
    var ownLines: [String] { ownSeen.withLock { $0 } }
    private let rostersSeen = Locked<[[String]]>([])
    private let statusesSeen = Locked<[SessionStatus]>([])
    /// The prompt of each `readLine`, in order.
    var prompts: [String] { promptsSeen.withLock { $0 } }
    /// Each `rosterChanged` list, in order.
    var rosters: [[String]] { rostersSeen.withLock { $0 } }
    /// Each status given to `update`, in order.
    var statuses: [SessionStatus] { statusesSeen.withLock { $0 } }

    func rosterChanged(_ others: [String]) {
        rostersSeen.withLock { $0.append(others) }
        lineArrived.signal()
    }

    func start() throws {}
    func stop() {}
    func update(_ status: SessionStatus) {
        statusesSeen.withLock { $0.append(status) }
    }

    func show(_ line: DisplayLine) {
        shown.withLock { $0.append(line.shownText) }
        if line.isOwn { ownSeen.withLock { $0.append(line.text) } }
        lineArrived.signal()
    }

    func connectionClosed() {
        closed.store(true, ordering: .sequentiallyConsistent)
        lineArrived.signal()
    }

    func readLine(prompt: String) -> String? {
        promptsSeen.withLock { $0.append(prompt) }
        guard let next = script.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
            // Out of script: wait for the connection to end, as a user reading the screen would; give up (and end
            // the session with end of input) if it has not within 30 s.
            let deadline = ContinuousClock.now + .seconds(30)
            while !closed.load(ordering: .sequentiallyConsistent) {
                guard ContinuousClock.now < deadline else {
                    Issue.record("the connection did not end within 30 s of the script's end")
                    return nil
                }
                _ = lineArrived.wait(timeout: .now() + .milliseconds(50))
            }
            return nil
        }
        if let awaited = waits[next] { waitUntilShown(awaited) }
        return next
    }

    /// Waits at most `timeout` until `condition` holds; the checks after it say what was missing.
    func waitUntil(timeout: Duration = .seconds(10), _ condition: () -> Bool) {
        let deadline = ContinuousClock.now + timeout
        while !condition() && ContinuousClock.now < deadline {
            _ = lineArrived.wait(timeout: .now() + .milliseconds(50))
        }
    }

    /// Waits at most `timeout` for a shown line containing `text`; the checks after it say what was missing.
    func waitUntilShown(_ text: String, timeout: Duration = .seconds(10)) {
        let deadline = ContinuousClock.now + timeout
        while !lines.contains(where: { $0.contains(text) }) && ContinuousClock.now < deadline {
            _ = lineArrived.wait(timeout: .now() + .milliseconds(50))
        }
    }
}

@Suite(.timeLimit(.minutes(5))) struct ChatSessionTests {
    @Test func sessionSendsTypedLinesAndShowsWhatArrives() throws {
        let server = try TestServer()
        defer { server.stop() }
        let leslie = try RawClient.joined("leslie", port: server.port)
        let pat = ScriptedFrontEnd(["Hello?", "/me waves", "/dance", "/q"], waitingFor: ["/q": "[pat waves]"])
        let outcome = ChatSession(nick: "pat", host: "localhost", port: server.port).run(frontEnd: pat)
        #expect(outcome == .quit)
        #expect(pat.lines.contains("*** pat has joined the chat"))
        #expect(pat.lines.contains("*** Welcome! Type /help for the commands."))
        #expect(pat.lines.contains("pat: Hello?"))
        #expect(pat.lines.contains("*** unknown command: /dance (try /help)"))
        #expect(
            try leslie.receive(4) == [
                .join(nick: "pat", room: "lobby"), .chat(nick: "pat", message: "Hello?"),
                .chat(nick: "*", message: "pat waves"), .leave(nick: "pat", room: "lobby"),
            ])
        try leslie.expectNothing()
    }

    @Test func aLineTooLongToSendIsRefusedLocally() throws {
        let server = try TestServer()
        defer { server.stop() }
        let pat = ScriptedFrontEnd([String(repeating: "x", count: 70_000), "/q"])
        #expect(ChatSession(nick: "pat", host: "localhost", port: server.port).run(frontEnd: pat) == .quit)
        #expect(pat.lines.contains("*** message too long to send"))
    }

    /// `/q` at once, before the server's answer: the client waits for the `welcome`, says `quit` (the server
    /// has `resume`, so a bare close would keep the session for its grace period), and the room hears `leave`.
    @Test func quitBeforeTheWelcomeStillSaysQuit() throws {
        let server = try TestServer()
        defer { server.stop() }
        let leslie = try RawClient.joined("leslie", port: server.port)
        let outcome = ChatSession(nick: "pat", host: "127.0.0.1", port: server.port).run(
            frontEnd: ScriptedFrontEnd(["/q"]))
        #expect(outcome == .quit)
        #expect(try leslie.receive(2) == [.join(nick: "pat", room: "lobby"), .leave(nick: "pat", room: "lobby")])
        try leslie.expectNothing()
    }

    @Test func rejectedNickEndsTheRunWithTheServersReason() throws {
        let server = try TestServer()
        defer { server.stop() }
        let taken = try RawClient.joined("pat", port: server.port)
        defer { withExtendedLifetime(taken) {} }
        let outcome = ChatSession(nick: "PAT", host: "localhost", port: server.port).run(frontEnd: ScriptedFrontEnd([]))
        #expect(outcome == .rejected("nick already in use: PAT"))
    }

    @Test func refusedConnectionIsReported() throws {
        let server = try TestServer()
        let port = server.port
        server.stop()
        let outcome = ChatSession(nick: "pat", host: "127.0.0.1", port: port).run(frontEnd: ScriptedFrontEnd([]))
        guard case .connectFailed(let reason) = outcome else {
            Issue.record("expected a connect failure, got \(outcome)")
            return
        }
        #expect(reason.contains("Connection refused"))
    }

    @Test func serverShutdownShowsDisconnected() throws {
        let server = try TestServer()
        let frontEnd = ScriptedFrontEnd([])
        let session = ChatSession(nick: "pat", host: "localhost", port: server.port, timing: .oneQuickAttempt)
        let stopper = Thread {
            frontEnd.waitUntilShown("has joined")
            server.stop()
        }
        stopper.start()
        let outcome = session.run(frontEnd: frontEnd)
        guard case .disconnected = outcome else {
            Issue.record("expected disconnected, got \(outcome)")
            return
        }
        #expect(
            frontEnd.lines.suffix(3) == [
                "*** server shutting down", "*** disconnected from server (connection closed by server)",
                "*** gave up reconnecting after 1 attempt",
            ])
    }
}
