import ChatProtocol
import ChatTestSupport
import ChatWorld
import Foundation
import Testing

@testable import ChatClientCore

/// `/nick`, the nick asked for again at start, and the roster, against the real server (in process).
@Suite(.timeLimit(.minutes(2))) struct RenameAndRosterTests {
    static let fast = LinkStateMachine.Timing.forTests()

    /// After `/nick lee` the client is lee: its own lines, the prompt, the status bar; the room saw the rename.
    @Test func aRenameChangesTheNickThroughTheClient() throws {
        let server = try TestServer()
        defer { server.stop() }
        let leslie = try RawClient.joined("leslie", port: server.port)
        let pat = ScriptedFrontEnd(
            ["/nick lee", "after the rename", "/q"],
            waitingFor: ["after the rename": "*** pat is now known as lee", "/q": "lee: after the rename"])
        // Read once: with CHAT_TEST_CLUSTER each read of `server.port` names the next node.
        let port = server.port
        let session = ChatSession(nick: "pat", host: "127.0.0.1", port: port)
        #expect(session.run(frontEnd: pat) == .quit)
        #expect(session.currentNick == "lee")
        #expect(pat.ownLines == ["lee: after the rename"])
        #expect(pat.prompts.first == "pat> ")
        #expect(pat.prompts.last == "lee> ")
        #expect(pat.statuses.last?.summary == "lee@127.0.0.1:\(port) in lobby")
        let seen = try leslie.receive(through: { if case .leave = $0 { true } else { false } })
        #expect(
            seen == [
                .join(nick: "pat", room: "lobby"), .chat(nick: "*", message: "pat is now known as lee"),
                .chat(nick: "lee", message: "after the rename"), .leave(nick: "lee", room: "lobby"),
            ])
    }

    /// A refused rename keeps the old nick and shows the server's reason; a rename to oneself stays local.
    @Test func aRefusedRenameKeepsTheOldNick() throws {
        let server = try TestServer()
        defer { server.stop() }
        let leslie = try RawClient.joined("leslie", port: server.port)
        defer { withExtendedLifetime(leslie) {} }
        let pat = ScriptedFrontEnd(
            ["/nick LESLIE", "/nick pat", "/nick two words", "still pat", "/q"],
            waitingFor: ["/nick pat": "*** error: nick already in use: LESLIE", "/q": "pat: still pat"])
        let session = ChatSession(nick: "pat", host: "127.0.0.1", port: server.port)
        #expect(session.run(frontEnd: pat) == .quit)
        #expect(session.currentNick == "pat")
        #expect(pat.lines.contains("*** you are already pat"))
        #expect(pat.lines.contains("*** usage: /nick NEW"))
        #expect(pat.ownLines == ["pat: still pat"])
        #expect(pat.prompts.allSatisfy { $0 == "pat> " })
    }

    /// The resume after a cut says hello as the new nick: the server takes the session back, and the room
    /// sees no leave and no join.
    @Test func aResumeAfterARenameUsesTheNewNick() throws {
        let server = try TestServer()
        defer { server.stop() }
        let proxy = try CuttingProxy(to: server.port)
        defer { proxy.stop() }
        let leslie = try RawClient.joined("leslie", port: server.port)
        let pat = ScriptedFrontEnd(
            ["/nick lee", "back", "/q"], waitingFor: ["back": "--- reconnected", "/q": "lee: back"])
        let session = ChatSession(nick: "pat", host: "127.0.0.1", port: proxy.port, timing: Self.fast)
        let running = SessionThread(session, frontEnd: pat)
        pat.waitUntilShown("*** pat is now known as lee")
        proxy.cutAll()
        #expect(running.outcome() == .quit)
        #expect(proxy.acceptedCount == 2)
        #expect(pat.ownLines == ["lee: back"])
        let seen = try leslie.receive(through: { if case .leave = $0 { true } else { false } })
        #expect(
            seen == [
                .join(nick: "pat", room: "lobby"), .chat(nick: "*", message: "pat is now known as lee"),
                .chat(nick: "lee", message: "back"), .leave(nick: "lee", room: "lobby"),
            ])
    }

    /// A fresh hello (the server lost the session) after a rename is the new nick's, in the room it was in.
    @Test func aFreshHelloAfterARenameUsesTheNewNick() throws {
        let hellos = Recorder<String>()
        let server = try ScriptedServer([
            { peer in
                let hello = try peer.hello()
                hellos.append(hello.nick)
                try peer.welcome(hello.nick, features: Features.all.union(.session))
                try peer.send(.join(nick: hello.nick, room: "lobby"))
                // The client's own `who` on entering comes first.
                while let packet = try peer.receive(timeout: .seconds(5)) {
                    guard case .nick(let new) = packet else { continue }
                    try peer.send(.nick(old: hello.nick, new: new))
                    return
                }
            },
            { peer in
                let hello = try peer.hello()
                hellos.append(hello.nick)
                try peer.welcome(hello.nick, features: Features.all.union(.session))
                try peer.send(.join(nick: hello.nick, room: "lobby"))
                _ = peer.receiveUntilClosed()
            },
        ])
        let pat = ScriptedFrontEnd(["/nick lee", "/q"], waitingFor: ["/q": "*** lee has joined the chat"])
        let session = ChatSession(nick: "pat", host: "127.0.0.1", port: server.port, timing: Self.fast)
        #expect(session.run(frontEnd: pat) == .quit)
        server.wait()
        #expect(hellos.all == ["pat", "lee"])
    }

    /// The roster follows the room: filled by the client's own `who` on entering (not shown the first time),
    /// then joins, moves and renames; a move shows who is in the new room.
    @Test func theRosterFollowsMovesAndRenames() throws {
        let server = try TestServer()
        defer { server.stop() }
        let chris = try RawClient.joined("chris", port: server.port)
        defer { withExtendedLifetime(chris) {} }
        let leslie = try RawClient.joined("leslie", port: server.port)
        let pat = ScriptedFrontEnd(
            ["/join games", "/leave", "/q"],
            waitingFor: [
                "/join games": "*** leslie moved to games", "/leave": "*** leslie is now known as lee",
                "/q": "*** in lobby: chris, pat",
            ])
        let session = ChatSession(nick: "pat", host: "127.0.0.1", port: server.port)
        let running = SessionThread(session, frontEnd: pat)
        pat.waitUntil { pat.rosters.last == ["chris", "leslie"] }
        #expect(pat.rosters.last == ["chris", "leslie"])
        try leslie.send(.join(room: "games"))
        pat.waitUntilShown("*** in games: leslie, pat")
        #expect(pat.rosters.last == ["leslie"])
        try leslie.send(.nick("lee"))
        #expect(running.outcome() == .quit)
        #expect(!pat.lines.contains { $0.hasPrefix("*** in lobby: chris, leslie") })
        #expect(pat.rosters.contains(["chris"]))
        #expect(pat.rosters.contains(["lee"]))
        #expect(pat.rosters.last == ["chris"])
        #expect(
            pat.lines.filter { $0.hasPrefix("*** in ") } == ["*** in games: leslie, pat", "*** in lobby: chris, pat"])
    }

    /// A world server names the players of each place on arrival: walking keeps the roster, silently.
    @Test func walkingInAWorldKeepsTheRosterWithoutAWhoLine() throws {
        let world = try World(toml: WorldClientTests.world)
        let server = try TestServer { $0.world = world }
        defer { server.stop() }
        let pat = ScriptedFrontEnd(["/north", "/q"], waitingFor: ["/north": "has joined", "/q": "Hay everywhere"])
        let session = ChatSession(nick: "pat", host: "127.0.0.1", port: server.port)
        #expect(session.run(frontEnd: pat) == .quit)
        #expect(
            session.state.withLock { $0.roster }
                == {
                    var barn = Roster(); barn.enter("Barn", me: "pat"); return barn
                }())
        #expect(!pat.lines.contains { $0.hasPrefix("*** in ") })
    }

    /// Curses mode: a nick in use at start is asked for again; an invalid answer is refused locally.
    @Test func aNickInUseAtStartAsksForAnother() throws {
        let server = try TestServer()
        defer { server.stop() }
        let taken = try RawClient.joined("pat", port: server.port)
        defer { withExtendedLifetime(taken) {} }
        let pat = ScriptedFrontEnd(
            ["/q"], waitingFor: ["/q": "*** pat2 has joined the chat"], answers: ["two words", " pat2 "])
        let session = ChatSession(nick: "pat", host: "127.0.0.1", port: server.port)
        #expect(session.run(frontEnd: pat) == .quit)
        #expect(session.currentNick == "pat2")
        let question = "nick pat is in use; try another nick: "
        #expect(pat.questions.map(\.question) == [question, question])
        #expect(pat.questions.allSatisfy { !$0.hidden })
        #expect(pat.lines.contains("*** error: nick already in use: pat"))
        #expect(pat.lines.contains("*** invalid nick: two words (a nick is \(Names.ruleDescription))"))
        #expect(pat.prompts == ["pat2> "])
    }

    /// No answer (an empty line, Ctrl-C) ends the run as the refusal did before: exit 1 with the reason.
    @Test func noOtherNickEndsTheRun() throws {
        let server = try TestServer()
        defer { server.stop() }
        let taken = try RawClient.joined("pat", port: server.port)
        defer { withExtendedLifetime(taken) {} }
        let pat = ScriptedFrontEnd([], answers: [""])
        let outcome = ChatSession(nick: "pat", host: "127.0.0.1", port: server.port).run(frontEnd: pat)
        #expect(outcome == .rejected("nick already in use: pat"))
        #expect(pat.questions.count == 1)
    }

    /// `/nick` to a server whose `welcome` does not list `nick` is refused locally.
    @Test func aServerWithoutNickIsNotAsked() throws {
        let received = Recorder<ClientPacket>()
        let server = try ScriptedServer([
            { peer in
                let hello = try peer.hello()
                try peer.welcome(hello.nick, features: Features.all)
                try peer.send(.join(nick: hello.nick, room: "lobby"))
                received.append(contentsOf: peer.receiveUntilClosed())
            }
        ])
        let pat = ScriptedFrontEnd(["/nick lee", "/q"], waitingFor: ["/nick lee": "has joined"])
        #expect(ChatSession(nick: "pat", host: "127.0.0.1", port: server.port).run(frontEnd: pat) == .quit)
        server.wait()
        #expect(pat.lines.contains("*** this server does not support /nick"))
        #expect(!received.all.contains(.nick("lee")))
    }
}
