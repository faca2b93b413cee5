import ChatProtocol
import ChatTestSupport
import ChatWorld
import Foundation
import Testing

@testable import ChatClientCore

/// Our client against a world server: slash commands it does not know go to the server as chat text.
@Suite(.timeLimit(.minutes(1))) struct WorldClientTests {
    static let world = """
        start = "Yard"
        [[places]]
        name = "Yard"
        description = "A muddy yard."
        exits = { north = "Barn" }
        [[places]]
        name = "Barn"
        description = "Hay everywhere."
        exits = { south = "Yard" }
        [[items]]
        name = "lamp"
        place = "Barn"
        """

    @Test func unknownSlashCommandsGoToAWorldServerAndStayLocalElsewhere() throws {
        let world = try World(toml: Self.world)
        let server = try TestServer { $0.world = world }
        defer { server.stop() }
        let pat = ScriptedFrontEnd(
            ["/look", "/north", "/take lamp", "/q"], waitingFor: ["/q": "*** You take the lamp."])
        let outcome = try Self.run(pat, port: server.port)
        #expect(outcome == .quit)
        #expect(pat.lines.contains { $0.hasPrefix("*** Yard") || $0.contains("A muddy yard.") })
        #expect(pat.lines.contains("*** You take the lamp."))

        let plain = try TestServer()
        defer { plain.stop() }
        let leslie = ScriptedFrontEnd(["/look", "/q"])
        #expect(try Self.run(leslie, port: plain.port) == .quit)
        #expect(leslie.lines.contains("*** unknown command: /look (try /help)"))
    }

    static func run(_ frontEnd: ScriptedFrontEnd, port: UInt16) throws -> ChatSession.Outcome? {
        let session = ChatSession(nick: "pat", host: "127.0.0.1", port: port)
        guard let outcome = SessionThread(session, frontEnd: frontEnd).outcome() else {
            Issue.record("the session did not end")
            return nil
        }
        return outcome
    }
}
