import ChatProtocol
import ChatTestSupport
import Testing

/// The assignment's protocol over real loopback sockets, with raw clients that announce no features.
@Suite(.timeLimit(.minutes(5))) struct BaseProtocolTests {
    @Test func joinGoesToEveryoneIncludingTheJoiner() throws {
        let server = try TestServer()
        defer { server.stop() }
        let pat = try RawClient.joined("pat", port: server.port)
        let leslie = try RawClient.joined("leslie", port: server.port)
        #expect(try pat.receive() == .join(nick: "leslie", room: "lobby"))
        let chris = try RawClient.joined("chris", port: server.port)
        #expect(try pat.receive() == .join(nick: "chris", room: "lobby"))
        #expect(try leslie.receive() == .join(nick: "chris", room: "lobby"))
        try chris.expectNothing()
    }

    @Test func chatIsEchoedToTheSenderAndNickComesFromTheConnection() throws {
        let server = try TestServer()
        defer { server.stop() }
        let pat = try RawClient.joined("pat", port: server.port)
        let leslie = try RawClient.joined("leslie", port: server.port)
        _ = try pat.receive()
        try pat.send(json: #"{"type":"chat","nick":"mallory","message":"hows it going"}"#)
        #expect(try pat.receive() == .chat(nick: "pat", message: "hows it going"))
        #expect(try leslie.receive() == .chat(nick: "pat", message: "hows it going"))
    }

    @Test func emptyMessageIsRelayed() throws {
        let server = try TestServer()
        defer { server.stop() }
        let pat = try RawClient.joined("pat", port: server.port)
        try pat.send(.chat(message: ""))
        #expect(try pat.receive() == .chat(nick: "pat", message: ""))
    }

    @Test func leaveGoesToTheRestWhenAClientDisconnects() throws {
        let server = try TestServer()
        defer { server.stop() }
        let pat = try RawClient.joined("pat", port: server.port)
        let chris = try RawClient.joined("chris", port: server.port)
        _ = try pat.receive()
        chris.close()
        #expect(try pat.receive() == .leave(nick: "chris", room: "lobby"))
    }

    @Test func aConnectionThatNeverSaidHelloCausesNoJoinOrLeave() throws {
        let server = try TestServer()
        defer { server.stop() }
        let pat = try RawClient.joined("pat", port: server.port)
        let silent = try RawClient(port: server.port)
        let half = try RawClient(port: server.port)
        try half.send(bytes: [0, 40, UInt8(ascii: "{")])
        silent.close()
        half.reset()
        try pat.send(.chat(message: "still here"))
        #expect(try pat.receive() == .chat(nick: "pat", message: "still here"))
        try pat.expectNothing()
    }

    @Test func controlCharactersAreReplacedBeforeRelaying() throws {
        let server = try TestServer()
        defer { server.stop() }
        let pat = try RawClient.joined("pat", port: server.port)
        try pat.send(.chat(message: "a\u{1B}[2J\tb\u{7}\n"))
        #expect(try pat.receive() == .chat(nick: "pat", message: "a\u{FFFD}[2J b\u{FFFD}\u{FFFD}"))
    }

    @Test func twentyClientsTwoHundredMessagesEachExactlyOnceInOrder() throws {
        let server = try TestServer()
        defer { server.stop() }
        let count = 20
        let perSender = 200
        var clients: [RawClient] = []
        for index in 0..<count { clients.append(try RawClient.joined("c\(index)", port: server.port)) }
        // Everyone's join announcements for later joiners.
        for (index, client) in clients.enumerated() {
            for later in (index + 1)..<count {
                #expect(try client.receive() == .join(nick: "c\(later)", room: "lobby"))
            }
        }
        for sequence in 0..<perSender {
            for (index, client) in clients.enumerated() { try client.send(.chat(message: "\(index):\(sequence)")) }
        }
        for client in clients {
            var next = [Int](repeating: 0, count: count)
            for _ in 0..<(count * perSender) {
                guard case .chat(let nick, let message, _) = try client.receive() else {
                    Issue.record("expected a chat")
                    return
                }
                let parts = message.split(separator: ":").compactMap { Int($0) }
                try #require(parts.count == 2 && nick == "c\(parts[0])")
                #expect(parts[1] == next[parts[0]], "sender \(parts[0]) out of order or duplicated")
                next[parts[0]] = parts[1] + 1
            }
            #expect(next == [Int](repeating: perSender, count: count))
        }
        try clients[0].expectNothing()
    }

    @Test func abruptResetMidPacketDoesNotDisturbTheOthers() throws {
        let server = try TestServer()
        defer { server.stop() }
        let pat = try RawClient.joined("pat", port: server.port)
        let chris = try RawClient.joined("chris", port: server.port)
        _ = try pat.receive()
        let frame = try PacketEncoder.frame(ClientPacket.chat(message: "never finished"))
        try chris.send(bytes: Array(frame.prefix(7)))
        chris.reset()
        #expect(try pat.receive() == .leave(nick: "chris", room: "lobby"))
        try pat.send(.chat(message: "ok"))
        #expect(try pat.receive() == .chat(nick: "pat", message: "ok"))
    }

    @Test func aPeerThatClosesWhileTheServerWritesDoesNotKillTheServer() throws {
        let server = try TestServer { $0.rate = 0 }
        defer { server.stop() }
        let pat = try RawClient.joined("pat", port: server.port)
        let sink = try RawClient.joined("sink", port: server.port)
        _ = try pat.receive()
        let text = String(repeating: "x", count: 1_000)
        for _ in 0..<300 { try pat.send(.chat(message: text)) }
        sink.reset()
        for _ in 0..<300 { try pat.send(.chat(message: text)) }
        var chats = 0
        var sawLeave = false
        while chats < 600 || !sawLeave {
            switch try pat.receive() {
            case .chat: chats += 1
            case .leave(let nick, _, _): sawLeave = nick == "sink"
            case let other: Issue.record("unexpected \(other)")
            }
        }
        let late = try RawClient.joined("late", port: server.port)
        try late.send(.chat(message: "alive"))
        #expect(try late.receive() == .chat(nick: "late", message: "alive"))
    }
}
