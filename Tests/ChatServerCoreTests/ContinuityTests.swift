import ChatProcess
import ChatProtocol
import ChatServerCore
import ChatTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Sessions that outlive their connections, over real sockets: cuts and stalls through a proxy, the grace
/// period, quit, server pings, and a server killed with `kill -9` and restarted on its database.
@Suite(.timeLimit(.minutes(2))) struct ContinuityTests {
    static let everything = Features.all.union(.session)

    /// A `history`/`resume` client that remembers its token and the last id it saw, as our client does.
    final class Resumer: @unchecked Sendable {  // Used by one thread at a time: the test's, or the one it starts.
        var client: RawClient
        var token: String
        var lastID = 0
        var chats: [String] = []
        let nick: String

        init(_ nick: String, port: UInt16, after: Int? = nil) throws {
            self.nick = nick
            client = try RawClient(port: port, name: nick)
            token = ""
            try hello(options: .init(after: after))
        }

        func hello(options: ClientPacket.HelloOptions) throws {
            try client.send(.hello(nick: nick, features: ContinuityTests.everything, options: options))
            guard case .welcome(let welcome) = try client.receive() else {
                throw RawClient.Failure("\(nick): no welcome")
            }
            token = try #require(welcome.resume)
            try take(client.receive(through: { if case .history = $0 { true } else { false } }))
        }

        /// Reconnects through `port` and takes the session back with everything after the last id seen.
        func resume(port: UInt16) throws -> ServerPacket.Welcome? {
            client = try RawClient(port: port, name: nick)
            try client.send(
                .hello(nick: nick, features: ContinuityTests.everything, options: .init(after: lastID, resume: token)))
            guard case .welcome(let welcome) = try client.receive() else { return nil }
            token = welcome.resume ?? token
            try take(client.receive(through: { if case .history = $0 { true } else { false } }))
            return welcome
        }

        /// Keeps chats in order, each id once.
        func take(_ packets: [ServerPacket]) {
            for case .chat(_, let message, let stamp?) in packets where stamp.id > lastID {
                lastID = stamp.id
                chats.append(message)
            }
        }

        func receiveChats(until last: String) throws {
            while chats.last != last { take([try client.receive()]) }
        }
    }

    @Test func aCutConnectionResumesWithEveryMessageOnceAndNobodySeesLeaveOrJoin() throws {
        let server = try TestServer { $0.rate = 0 }
        defer { server.stop() }
        let proxy = try CuttingProxy(to: server.port)
        defer { proxy.stop() }
        let talker = try RawClient.joined("talker", port: server.port)
        let listener = try Resumer("listener", port: proxy.port)
        _ = try talker.receive()  // listener's join
        for index in 1...10 { try talker.send(.chat(message: "m\(index)")) }
        try listener.receiveChats(until: "m10")
        proxy.cutAll()
        for index in 11...50 { try talker.send(.chat(message: "m\(index)")) }
        _ = try talker.receive(50, within: .seconds(10))
        let welcome = try #require(try listener.resume(port: proxy.port))
        #expect(welcome.resumed)
        for index in 51...60 { try talker.send(.chat(message: "m\(index)")) }
        try listener.receiveChats(until: "m60")
        #expect(listener.chats == (1...60).map { "m\($0)" })
        // Talker saw only its own echoes: no leave, no join for the listener.
        let echoes = try talker.receive(10)
        #expect(echoes.allSatisfy { if case .chat = $0 { true } else { false } })
        try talker.expectNothing(for: .milliseconds(200))
    }

    @Test func aStalledConnectionIsReplacedSilentlyOnResume() throws {
        let server = try TestServer { $0.rate = 0 }
        defer { server.stop() }
        let proxy = try CuttingProxy(to: server.port)
        defer { proxy.stop() }
        let talker = try RawClient.joined("talker", port: server.port)
        let listener = try Resumer("listener", port: proxy.port)
        _ = try talker.receive()
        proxy.stallAll()
        try talker.send(.chat(message: "while stalled"))
        _ = try talker.receive()
        let ghost = listener.client
        let welcome = try #require(try listener.resume(port: proxy.port))
        #expect(welcome.resumed)
        #expect(listener.chats == ["while stalled"])
        try talker.expectNothing(for: .milliseconds(300))
        withExtendedLifetime(ghost) {}
    }

    @Test func theGracePeriodEndsInLeaveAndQuitLeavesAtOnce() throws {
        let server = try TestServer { $0.resumeGrace = .milliseconds(500) }
        defer { server.stop() }
        let talker = try RawClient.joined("talker", port: server.port)
        let dropped = try Resumer("dropped", port: server.port)
        let quitter = try Resumer("quitter", port: server.port)
        _ = try talker.receive(2)
        let cut = ContinuousClock.now
        dropped.client.reset()
        try talker.expectNothing(for: .milliseconds(250))
        #expect(try talker.receive() == .leave(nick: "dropped", room: "lobby"))
        #expect(ContinuousClock.now - cut >= .milliseconds(450))
        try quitter.client.send(.quit)
        #expect(try talker.receive(within: .milliseconds(400)) == .leave(nick: "quitter", room: "lobby"))
        try quitter.client.waitForClose()
    }

    @Test func aPingClientThatStopsAnsweringIsCountedGone() throws {
        let server = try TestServer {
            $0.pingInterval = .milliseconds(200)
            $0.resumeGrace = .zero
        }
        defer { server.stop() }
        let talker = try RawClient.joined("talker", port: server.port)
        let silent = try Resumer("silent", port: server.port)
        let lively = try Resumer("lively", port: server.port)
        _ = try talker.receive(2)
        // lively answers every ping; silent reads them and says nothing.
        let stop = Locked(false)
        let answering = Thread {
            while !stop.withLock({ $0 }) {
                if case .ping(let token)? = try? lively.client.receive(within: .milliseconds(50)) {
                    try? lively.client.send(.pong(token: token))
                }
            }
        }
        answering.start()
        defer { stop.withLock { $0 = true } }
        _ = try silent.client.receive(through: { if case .ping = $0 { true } else { false } }, within: .seconds(2))
        #expect(try talker.receive(within: .seconds(3)) == .leave(nick: "silent", room: "lobby"))
        try talker.expectNothing(for: .milliseconds(600))
    }

    @Test func killNineWithADatabaseLosesNothingStoredAndIdsContinue() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chat-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("history.db").path
        let first = try ServerProcess(["--db", database, "--rate", "0"])
        let talker = try RawClient.joined("talker", port: first.port)
        let listener = try Resumer("listener", port: first.port)
        _ = try talker.receive()
        for index in 1...150 { try talker.send(.chat(message: "m\(index)")) }
        try listener.receiveChats(until: "m150")
        first.signal(SIGKILL)
        #expect(first.waitForExit(within: .seconds(5)) == .signaled(SIGKILL))
        let second = try ServerProcess(["--db", database, "--rate", "0"])
        defer { second.finish() }
        // A client that saw up to 100 comes back after the restart and gets the rest, with the same ids.
        let late = try Resumer("late", port: second.port, after: 100)
        #expect(late.chats == (101...150).map { "m\($0)" })
        #expect(late.lastID == listener.lastID)
        let again = try RawClient.joined("talker", port: second.port)
        try again.send(.chat(message: "after the restart"))
        try late.receiveChats(until: "after the restart")
        #expect(late.lastID == listener.lastID + 1)
    }
}
