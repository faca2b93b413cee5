import ChatProtocol
import ChatServerCore
import ChatSocket
import ChatTestSupport
import ChatWorld
import Foundation
import Testing

/// World mode over real sockets: a base client plays through chat text, and the world outlives a restart.
@Suite(.timeLimit(.minutes(1))) struct WorldServerTests {
    static func server(database: String? = nil) throws -> TestServer {
        let saved = try database.map { try HistoryJournal(path: $0).loadWorld() } ?? WorldChanges()
        return try TestServer { configuration in
            configuration.world = WorldModeTests.world()
            configuration.databasePath = database
            configuration.savedWorld = saved
        }
    }

    static func base(_ nick: String, port: UInt16, room: String) throws -> RawClient {
        let client = try RawClient(port: port, name: nick)
        try client.send(.hello(nick: nick, features: []))
        let joined = try client.receive(through: { $0 == .join(nick: nick, room: room) })
        #expect(joined.count == 1)
        return client
    }

    static func line(_ text: String) -> ServerPacket { .chat(nick: "*", message: text) }

    @Test func aBaseClientPlaysThroughChatTextAndTheWorldOutlivesARestart() throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("world-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: database) }
        let first = try Self.server(database: database)
        let pat = try Self.base("pat", port: first.port, room: "Hall")
        _ = try pat.receive(through: { $0 == Self.line("You see a brass lamp.") })
        let leslie = try Self.base("leslie", port: first.port, room: "Hall")
        _ = try pat.receive(through: { $0 == .join(nick: "leslie", room: "Hall") })
        // Both reach for the lamp at once: the hub takes one command at a time, so exactly one gets it.
        try pat.send(.chat(message: "/take lamp"))
        try leslie.send(.chat(message: "/take lamp"))
        let patSaw = try pat.receive(through: {
            $0 == Self.line("You take the lamp.") || $0 == Self.line("There is no 'lamp' here.")
        })
        let leslieSaw = try leslie.receive(through: {
            $0 == Self.line("You take the lamp.") || $0 == Self.line("There is no 'lamp' here.")
        })
        let winners = [patSaw.last, leslieSaw.last].filter { $0 == Self.line("You take the lamp.") }
        #expect(winners.count == 1)
        let holder = patSaw.last == Self.line("You take the lamp.") ? pat : leslie
        try holder.send(.chat(message: "/go north"))
        _ = try holder.receive(through: { $0 == Self.line("[Yard] A yard.") })
        first.stop()
        pat.close()
        leslie.close()

        let second = try Self.server(database: database)
        defer { second.stop() }
        let back = try Self.base(holder.name, port: second.port, room: "Yard")
        try back.send(.chat(message: "/inventory"))
        _ = try back.receive(through: { $0 == Self.line("You carry a brass lamp.") })
        let other = try Self.base(holder === pat ? "leslie" : "pat", port: second.port, room: "Hall")
        try other.send(.chat(message: "/look"))
        let look = try other.receive(through: { $0 == Self.line("Exits: north.") })
        #expect(!look.contains(Self.line("You see a brass lamp.")))
    }
}
