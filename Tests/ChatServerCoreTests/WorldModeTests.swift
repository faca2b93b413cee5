import ChatProtocol
import ChatWorld
import Testing

@testable import ChatServerCore

/// World mode through the pure hub: places are rooms, slash chats are commands, lines go as `info` or as
/// `chat` from `*`.
@Suite struct WorldModeTests: HubDriving {
    static let file = """
        start = "Hall"
        [[places]]
        name = "Hall"
        description = "A hall."
        exits = { north = "Yard" }
        [[places]]
        name = "Yard"
        description = "A yard."
        exits = { south = "Hall" }
        [[items]]
        name = "lamp"
        description = "a brass lamp"
        place = "Hall"
        [[characters]]
        name = "Tam"
        place = "Yard"
        greeting = "Shut the door."
        """
    static func world() -> World? { try? World(toml: file) }

    var hub: ChatHub = Self.hub { $0.world = Self.world() }
    var time = HubTime(instant: .now, epochMilliseconds: 1_764_621_914_123)

    mutating func command(_ text: String, from id: ClientID) throws -> [HubAction] {
        try send(.chat(message: text), from: id)
    }

    @Test mutating func welcomeListsWorldOnlyInWorldMode() throws {
        let joined = try hello("pat", Self.pat, Self.everything.union(.world))
        #expect(Self.welcome(joined)?.features.contains(.world) == true)
        #expect(Self.welcome(joined)?.room == "Hall")
        hub = Self.hub()
        #expect(
            Self.welcome(try hello("pat", Self.pat, Self.everything.union(.world)))?.features.contains(.world) == false)
    }

    @Test mutating func othersSeeDeparturesAndArrivalsWithDirections() throws {
        try hello("pat", Self.pat, [])
        try hello("chris", Self.chris, [.info, .rooms])
        _ = try command("/n", from: Self.chris)
        try hello("leslie", Self.leslie, [.info])
        let moved = try command("/north", from: Self.leslie)
        #expect(
            try Self.packets(to: Self.pat, [], in: moved) == [
                .leave(nick: "leslie", room: "Hall"), .chat(nick: "*", message: "leslie leaves north."),
            ])
        let seenInYard = try Self.packets(to: Self.chris, [.info, .rooms], in: moved)
        #expect(
            seenInYard == [
                .join(nick: "leslie", room: "Yard"), .info(message: "leslie arrives from the south."),
                .info(message: "Tam says: \u{201C}Shut the door.\u{201D}"),
            ])
        let mover = try Self.packets(to: Self.leslie, [.info], in: moved)
        #expect(mover.first == .join(nick: "leslie", room: "Yard"))
        #expect(mover.contains(.info(message: "[Yard] A yard.")))
        #expect(!mover.contains(.info(message: "leslie arrives from the south.")))
    }

    @Test mutating func takeGoesToTheFirstAndBaseClientsGetChatFromStar() throws {
        try hello("pat", Self.pat, [])
        try hello("leslie", Self.leslie, [.info])
        let first = try command("/take lamp", from: Self.leslie)
        let second = try command("/take lamp", from: Self.pat)
        #expect(try Self.packets(to: Self.leslie, [.info], in: first) == [.info(message: "You take the lamp.")])
        #expect(try Self.packets(to: Self.pat, [], in: first) == [.chat(nick: "*", message: "leslie takes the lamp.")])
        #expect(
            try Self.packets(to: Self.pat, [], in: second) == [.chat(nick: "*", message: "There is no 'lamp' here.")])
    }

    @Test mutating func sayAndDoubleSlashAreChatsAndRoomsArePlaces() throws {
        try hello("pat", Self.pat, [])
        #expect(
            try Self.packets(to: Self.pat, [], in: command("/say hi", from: Self.pat)) == [
                .chat(nick: "pat", message: "hi")
            ])
        #expect(
            try Self.packets(to: Self.pat, [], in: command("//shrug", from: Self.pat)) == [
                .chat(nick: "pat", message: "/shrug")
            ])
        let join = try Self.packets(to: Self.pat, [], in: send(.join(room: "games"), from: Self.pat))
        guard case .error(.badRoom, _)? = join.first else { throw Failure("join was not refused: \(join)") }
        let rooms = try Self.packets(to: Self.pat, [.rooms], in: send(.rooms, from: Self.pat))
        #expect(rooms == [.rooms([.init(name: "Hall", count: 1), .init(name: "Yard", count: 0)])])
    }

    @Test mutating func placeAndInventorySurviveAResumeAndANewHello() throws {
        let joined = try hello("pat", Self.pat, [.resume, .welcome, .info])
        let token = try #require(Self.welcome(joined)?.resume)
        _ = try command("/take lamp", from: Self.pat)
        _ = try command("/n", from: Self.pat)
        event(.disconnected(Self.pat))
        var options = ClientPacket.HelloOptions()
        options.resume = token
        let resumed = try hello("pat", Self.leslie, [.resume, .welcome, .info], options)
        #expect(Self.welcome(resumed)?.room == "Yard" && Self.welcome(resumed)?.resumed == true)
        #expect(
            try Self.packets(to: Self.leslie, [.info], in: command("/i", from: Self.leslie)) == [
                .info(message: "You carry a brass lamp.")
            ])
        _ = try send(.quit, from: Self.leslie)
        let again = try hello("PAT", Self.chris, [.welcome])
        #expect(Self.welcome(again)?.room == "Yard")
    }

    @Test mutating func aRenameCannotTakeAnAbsentPlayersName() throws {
        try hello("pat", Self.pat, [])
        _ = try send(.quit, from: Self.pat)
        try hello("leslie", Self.leslie, [])
        let renamed = try Self.packets(to: Self.leslie, [], in: send(.nick("Pat"), from: Self.leslie))
        guard case .error(.nickInUse, _)? = renamed.first else { throw Failure("rename was not refused: \(renamed)") }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
