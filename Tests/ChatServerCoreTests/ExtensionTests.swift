import ChatProtocol
import ChatTestSupport
import Testing

/// PROTOCOL.md's extensions: feature negotiation and downgrades, DMs, emotes, who, rooms.
@Suite(.timeLimit(.minutes(5))) struct ExtensionTests {
    let server: TestServer
    init() throws { server = try TestServer() }

    func join(_ nick: String, _ features: Features = .all) throws -> RawClient {
        try RawClient.joined(nick, port: server.port, features: features)
    }

    @Test func welcomeInfoOnlyForClientsThatAnnouncedIt() throws {
        defer { server.stop() }
        let extended = try RawClient(port: server.port)
        try extended.send(.hello(nick: "pat", features: .all))
        #expect(try extended.receive() == .join(nick: "pat", room: "lobby"))
        guard case .info = try extended.receive() else { throw RawClient.Failure("no welcome info") }
        let base = try RawClient(port: server.port)
        try base.send(.hello(nick: "chris", features: []))
        #expect(try base.receive() == .join(nick: "chris", room: "lobby"))
        try base.expectNothing()
    }

    @Test func emptyOrNullFeaturesMakeABaseClient() throws {
        defer { server.stop() }
        // Kept open to the end: a leave of the first, which a cluster may order after the second's join, is
        // not what this test is about.
        var clients: [RawClient] = []
        for (nick, json) in [
            ("empty", #"{"type":"hello","nick":"empty","features":[]}"#),
            ("null", #"{"type":"hello","nick":"null","features":null}"#),
        ] {
            let client = try RawClient(port: server.port)
            try client.send(json: json)
            #expect(try client.receive() == .join(nick: nick, room: "lobby"))
            try client.send(.emote(message: "waves"))
            #expect(try client.receive() == .chat(nick: "*", message: "\(nick) waves"))
            try client.expectNothing()
            clients.append(client)
        }
    }

    @Test func baseClientSeesDowngradedEmoteAndDM() throws {
        defer { server.stop() }
        let pat = try join("pat")
        let chris = try join("chris", [])
        _ = try pat.receive()
        try pat.send(.emote(message: "goes out to buy some snacky cakes"))
        #expect(try pat.receive() == .emote(nick: "pat", message: "goes out to buy some snacky cakes"))
        #expect(try chris.receive() == .chat(nick: "*", message: "pat goes out to buy some snacky cakes"))
        try pat.send(.dm(to: "chris", message: "how's it going?"))
        #expect(try chris.receive() == .chat(nick: "pat -> chris", message: "how's it going?"))
        #expect(try pat.receive() == .dm(nick: "pat", to: "chris", message: "how's it going?"))
        try chris.send(.dm(to: "PAT", message: "fine"))
        #expect(try chris.receive() == .chat(nick: "chris -> pat", message: "fine"))
        #expect(try pat.receive() == .dm(nick: "chris", to: "pat", message: "fine"))
    }

    @Test func dmCrossesRoomsAndToSelfArrivesOnce() throws {
        defer { server.stop() }
        let pat = try join("pat")
        let leslie = try join("leslie")
        _ = try pat.receive()
        try leslie.send(.join(room: "Games"))
        #expect(try leslie.receive() == .join(nick: "leslie", room: "Games"))
        #expect(try pat.receive() == .leave(nick: "leslie", room: "lobby", to: "Games"))
        try pat.send(.dm(to: "leslie", message: "over there?"))
        #expect(try leslie.receive() == .dm(nick: "pat", to: "leslie", message: "over there?"))
        #expect(try pat.receive() == .dm(nick: "pat", to: "leslie", message: "over there?"))
        try pat.send(.dm(to: "pat", message: "note to self"))
        #expect(try pat.receive() == .dm(nick: "pat", to: "pat", message: "note to self"))
        try pat.expectNothing()
    }

    @Test func chatAndEmoteStayInTheRoom() throws {
        defer { server.stop() }
        let pat = try join("pat")
        let leslie = try join("leslie")
        let chris = try join("chris")
        #expect(try pat.receive(2) == [.join(nick: "leslie", room: "lobby"), .join(nick: "chris", room: "lobby")])
        #expect(try leslie.receive() == .join(nick: "chris", room: "lobby"))
        try leslie.send(.join(room: "games"))
        #expect(try leslie.receive() == .join(nick: "leslie", room: "games"))
        #expect(try chris.receive() == .leave(nick: "leslie", room: "lobby", to: "games"))
        try chris.send(.join(room: "GAMES"))
        #expect(try leslie.receive() == .join(nick: "chris", room: "games"))
        #expect(try chris.receive() == .join(nick: "chris", room: "games"))
        #expect(
            try pat.receive(2) == [
                .leave(nick: "leslie", room: "lobby", to: "games"), .leave(nick: "chris", room: "lobby", to: "games"),
            ])
        try chris.send(.chat(message: "in games"))
        try chris.send(.emote(message: "waves"))
        #expect(
            try leslie.receive(2) == [
                .chat(nick: "chris", message: "in games"), .emote(nick: "chris", message: "waves"),
            ]
        )
        try leslie.expectNothing()
        try pat.expectNothing()
    }

    @Test func whoListsTheRoomSorted() throws {
        defer { server.stop() }
        let pat = try join("pat")
        let leslie = try join("Leslie")
        let chris = try join("chris")
        #expect(try pat.receive(2) == [.join(nick: "Leslie", room: "lobby"), .join(nick: "chris", room: "lobby")])
        defer { withExtendedLifetime((leslie, chris)) {} }
        try pat.send(.who)
        #expect(try pat.receive() == .who(room: "lobby", nicks: ["chris", "Leslie", "pat"]))
    }

    @Test func roomsListSortedLobbyAlwaysAndRoomsDisappearWhenEmpty() throws {
        defer { server.stop() }
        let pat = try join("pat")
        try pat.send(.join(room: "Zoo"))
        #expect(try pat.receive() == .join(nick: "pat", room: "Zoo"))
        let leslie = try join("leslie")
        try leslie.send(.join(room: "games"))
        #expect(try leslie.receive() == .join(nick: "leslie", room: "games"))
        // By code point "Zoo" would come first; ignoring case it comes last.
        try pat.send(.rooms)
        #expect(
            try pat.receive()
                == .rooms([
                    .init(name: "games", count: 1), .init(name: "lobby", count: 0),
                    .init(name: "Zoo", count: 1),
                ]))
        try leslie.send(.leave)
        #expect(try leslie.receive() == .join(nick: "leslie", room: "lobby"))
        try pat.send(.rooms)
        #expect(try pat.receive() == .rooms([.init(name: "lobby", count: 1), .init(name: "Zoo", count: 1)]))
    }

    @Test func joiningTheSameRoomOrLeavingTheLobbyDoesNothing() throws {
        defer { server.stop() }
        let pat = try join("pat")
        try pat.send(.join(room: "LOBBY"))
        try pat.send(.leave)
        try pat.send(.join(room: "games"))
        try pat.send(.join(room: "Games"))
        #expect(try pat.receive() == .join(nick: "pat", room: "games"))
        try pat.expectNothing()
    }

    @Test func movingSendsLeaveToTheOldRoomThenJoinToTheNew() throws {
        defer { server.stop() }
        let pat = try join("pat")
        let leslie = try join("leslie")
        let chris = try join("chris")
        #expect(try pat.receive(2) == [.join(nick: "leslie", room: "lobby"), .join(nick: "chris", room: "lobby")])
        #expect(try leslie.receive() == .join(nick: "chris", room: "lobby"))
        try chris.send(.join(room: "games"))
        #expect(try chris.receive() == .join(nick: "chris", room: "games"))
        #expect(try pat.receive() == .leave(nick: "chris", room: "lobby", to: "games"))
        #expect(try leslie.receive() == .leave(nick: "chris", room: "lobby", to: "games"))
        try leslie.send(.join(room: "games"))
        #expect(try leslie.receive() == .join(nick: "leslie", room: "games"))
        #expect(try chris.receive() == .join(nick: "leslie", room: "games"))
        try chris.send(.leave)
        #expect(try leslie.receive() == .leave(nick: "chris", room: "games", to: "lobby"))
        #expect(try pat.receive() == .leave(nick: "leslie", room: "lobby", to: "games"))
        #expect(try pat.receive() == .join(nick: "chris", room: "lobby"))
        chris.close()
        #expect(try pat.receive() == .leave(nick: "chris", room: "lobby"))
        try leslie.expectNothing()
    }

    @Test func nicksAreUniqueIgnoringCaseAndNormalization() throws {
        defer { server.stop() }
        let pat = try join("pat")
        let other = try RawClient(port: server.port)
        try other.send(.hello(nick: "Pat", features: []))
        guard case .error(.nickInUse, _) = try other.receive() else { throw RawClient.Failure("no nick_in_use") }
        #expect(try other.waitForClose() == [])
        let emile = try join("\u{E9}mile")
        defer { withExtendedLifetime(emile) {} }
        let composed = try RawClient(port: server.port)
        try composed.send(.hello(nick: "E\u{301}mile", features: []))
        guard case .error(.nickInUse, _) = try composed.receive() else { throw RawClient.Failure("no nick_in_use") }
        try pat.send(.dm(to: "E\u{301}MILE", message: "hi"))
        #expect(
            try pat.receive(2) == [
                .join(nick: "\u{E9}mile", room: "lobby"), .dm(nick: "pat", to: "\u{E9}mile", message: "hi"),
            ])
    }

    @Test func packetsOfOneSenderKeepTheirOrderAcrossTypes() throws {
        defer { server.stop() }
        let pat = try join("pat")
        try pat.send(.chat(message: "1"))
        try pat.send(.emote(message: "2"))
        try pat.send(.join(room: "games"))
        try pat.send(.chat(message: "3"))
        try pat.send(.dm(to: "pat", message: "4"))
        try pat.send(.leave)
        #expect(
            try pat.receive(6) == [
                .chat(nick: "pat", message: "1"), .emote(nick: "pat", message: "2"), .join(nick: "pat", room: "games"),
                .chat(nick: "pat", message: "3"), .dm(nick: "pat", to: "pat", message: "4"),
                .join(nick: "pat", room: "lobby"),
            ])
        try pat.expectNothing()
    }
}
