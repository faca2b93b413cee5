import ChatProtocol
import Foundation
import Testing

@testable import ChatClientCore

/// Whole sessions against scripted servers that drop, restart, ping and fall silent.
@Suite(.timeLimit(.minutes(1))) struct ReconnectTests {
    static let everything = Features.all.union(.session).union(.world)
    static let fast = LinkStateMachine.Timing.forTests(handshakeTimeout: 2_000, backoff: 20, maximum: 40, attempts: 3)

    static func chat(_ id: Int, replay: Bool = false) -> ServerPacket {
        .chat(nick: "leslie", message: "m\(id)", stamp: .init(id: id, time: "2026-12-01T20:45:14.123Z", replay: replay))
    }

    func run(_ server: ScriptedServer, _ frontEnd: ScriptedFrontEnd, timing: LinkStateMachine.Timing = fast)
        -> ChatSession.Outcome
    {
        let outcome = ChatSession(nick: "pat", host: "127.0.0.1", port: server.port, timing: timing).run(
            frontEnd: frontEnd)
        server.wait()
        return outcome
    }

    @Test func aDropIsResumedAndOnlyMissedMessagesAreShown() throws {
        let hellos = Recorder<ClientPacket.HelloOptions>()
        let afterResume = Recorder<ClientPacket>()
        let server = try ScriptedServer([
            { peer in
                let hello = try peer.hello()
                #expect(hello.features == Self.everything)
                hellos.append(hello.options)
                try peer.welcome("pat", features: Self.everything, token: "T1")
                try peer.send(.join(nick: "pat", room: "lobby"))
                try peer.send(Self.chat(1))
                try peer.send(Self.chat(2))
            },
            { peer in
                hellos.append(try peer.hello().options)
                try peer.welcome("pat", features: Self.everything, token: "T2", resumed: true)
                try peer.send(Self.chat(2, replay: true))
                try peer.send(Self.chat(3, replay: true))
                try peer.send(.history(.init(room: "lobby", count: 2, truncated: false)))
                try peer.send(Self.chat(3))
                try peer.send(Self.chat(4))
                afterResume.append(contentsOf: peer.receiveUntilClosed())
            },
        ])
        let pat = ScriptedFrontEnd(["/q"], waitingFor: ["/q": "leslie: m4"])
        #expect(run(server, pat) == .quit)
        #expect(
            pat.lines == [
                "*** pat has joined the chat", "leslie: m1", "leslie: m2",
                "*** disconnected from server (connection closed by server)",
                "--- reconnected: 1 message you missed ---", "leslie: m3", "leslie: m4",
            ])
        #expect(hellos.all == [.init(), .init(after: 2, resume: "T1")])
        // On a resume the client asks who is in the room now: joins and leaves during the outage were missed.
        #expect(afterResume.all == [.who, .quit])
    }

    @Test func afterARestartTheHelloAsksForTheRoomAndWhatCameAfter() throws {
        let hellos = Recorder<ClientPacket.HelloOptions>()
        let server = try ScriptedServer([
            { peer in
                _ = try peer.hello()
                try peer.welcome("pat", features: Self.everything, token: "T1")
                try peer.send(.join(nick: "pat", room: "Games"))
                try peer.send(Self.chat(7))
            },
            { peer in
                hellos.append(try peer.hello().options)
                try peer.send(
                    .welcome(.init(nick: "pat", room: "Games", features: Self.everything, resume: "T9", server: "new")))
                try peer.send(Self.chat(8, replay: true))
                try peer.send(.history(.init(room: "Games", count: 1, truncated: false)))
                try peer.send(.join(nick: "pat", room: "Games"))
                _ = peer.receiveUntilClosed()
            },
        ])
        let pat = ScriptedFrontEnd(["/q"], waitingFor: ["/q": "leslie: m8"])
        #expect(run(server, pat) == .quit)
        #expect(hellos.all == [.init(room: "Games", after: 7, resume: "T1")])
        #expect(
            pat.lines.suffix(3) == [
                "--- reconnected: 1 message you missed ---", "leslie: m8", "*** pat has joined Games",
            ])
        #expect(pat.lines.filter { $0 == "leslie: m7" }.count == 1)
    }

    @Test func pingsAreAnsweredAndASilentServerIsLeft() throws {
        let fromClient = Recorder<ClientPacket>()
        let server = try ScriptedServer([
            { peer in
                _ = try peer.hello()
                try peer.welcome("pat", features: Self.everything)
                try peer.send(.ping(token: "abc"))
                // Then silence: no pong to the client's ping.
                fromClient.append(contentsOf: peer.receiveUntilClosed(timeout: .seconds(2)))
            },
            { peer in
                _ = try peer.hello()
                try peer.welcome("pat", features: Self.everything)
                try peer.send(.history(.init(room: "lobby", count: 0, truncated: false)))
                _ = peer.receiveUntilClosed()
            },
        ])
        var timing = Self.fast
        timing.idleBeforePing = 200
        timing.pingTimeout = 200
        let pat = ScriptedFrontEnd(["/q"], waitingFor: ["/q": "--- reconnected"])
        #expect(run(server, pat, timing: timing) == .quit)
        #expect(fromClient.all.first == .pong(token: "abc"))
        #expect(fromClient.all.dropFirst().first.map { if case .ping = $0 { true } else { false } } == true)
        #expect(pat.lines.contains("*** disconnected from server (the server went silent)"))
    }

    @Test func aServerThatNeverAnswersEndsTheRunWithAClearLine() throws {
        let server = try ScriptedServer([
            { peer in
                _ = try peer.hello()
                _ = peer.receiveUntilClosed(timeout: .seconds(2))
            }
        ])
        var timing = Self.fast
        timing.handshakeTimeout = 300
        let pat = ScriptedFrontEnd([])
        #expect(run(server, pat, timing: timing) == .connectFailed("no answer from the server within 300 ms"))
        #expect(pat.lines == ["*** no answer from the server within 300 ms"])
    }

    @Test func aLineTypedWhileDisconnectedIsKeptNotSent() throws {
        let received = Recorder<ClientPacket>()
        let server = try ScriptedServer([
            { peer in
                _ = try peer.hello()
                try peer.welcome("pat", features: Self.everything)
                try peer.send(.join(nick: "pat", room: "lobby"))
            },
            { peer in
                usleep(300_000)
                _ = try peer.hello()
                try peer.welcome("pat", features: Self.everything, resumed: true)
                try peer.send(.history(.init(room: "lobby", count: 0, truncated: false)))
                received.append(contentsOf: peer.receiveUntilClosed())
            },
        ])
        var timing = Self.fast
        timing.backoff = Backoff(initial: 5_000, maximum: 5_000, jitter: 0)
        let pat = ScriptedFrontEnd(
            ["while away", "/q"], waitingFor: ["while away": "*** disconnected", "/q": "--- reconnected"],
            holdsInput: false)
        #expect(run(server, pat, timing: timing) == .quit)
        #expect(pat.lines.contains("*** not connected: press Enter to send when reconnected"))
        #expect(pat.keptDrafts == ["while away"])
        #expect(received.all == [.who, .quit])
    }

    @Test func aNickTakenOnReconnectEndsTheRun() throws {
        let server = try ScriptedServer([
            { peer in
                _ = try peer.hello()
                try peer.welcome("pat", features: Self.everything)
            },
            { peer in
                _ = try peer.hello()
                try peer.send(.error(code: .nickInUse, message: "nick already in use: pat"))
            },
        ])
        let pat = ScriptedFrontEnd([])
        #expect(run(server, pat) == .rejected("nick already in use: pat"))
        #expect(pat.lines.last == "*** error: nick already in use: pat")
    }
}
