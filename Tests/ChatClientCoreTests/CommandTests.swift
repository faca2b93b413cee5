import ChatProtocol
import Testing

@testable import ChatClientCore

@Suite struct CommandTests {
    static let cases: [(String, Command)] = [
        ("hows it going", .send(.chat(message: "hows it going"))),
        ("", .nothing),
        ("  spaced  ", .send(.chat(message: "  spaced  "))),
        // Issue 11: blanks alone send nothing; extra blanks around arguments do not matter.
        ("   ", .nothing),
        ("\t ", .nothing),
        ("/me    ", .notice("*** usage: /me TEXT")),
        ("/join  games", .send(.join(room: "games"))),
        ("/join games  ", .send(.join(room: "games"))),
        ("/msg  chris   hi", .send(.dm(to: "chris", message: "hi"))),
        ("/msg chris    ", .notice("*** usage: /msg NICK TEXT")),
        ("/q ", .quit),
        ("/q", .quit),
        ("/quit", .quit),
        ("/Q", .quit),
        ("/msg chris how's it going?", .send(.dm(to: "chris", message: "how's it going?"))),
        ("/message chris hi  there", .send(.dm(to: "chris", message: "hi  there"))),
        ("/me goes out to buy some snacky cakes", .send(.emote(message: "goes out to buy some snacky cakes"))),
        ("/who", .send(.who)),
        ("/names", .send(.who)),
        ("/names x", .notice("*** usage: /names")),
        ("/join games", .send(.join(room: "games"))),
        ("/leave", .send(.leave)),
        ("/timestamps", .timestamps(nil)),
        ("/timestamps on", .timestamps(true)),
        ("/TIMESTAMPS  OFF ", .timestamps(false)),
        ("/timestamps maybe", .notice("*** usage: /timestamps [on|off]")),
        ("/rooms", .send(.rooms)),
        // Issue 11: /clear is local.
        ("/clear", .clear),
        ("/CLEAR", .clear),
        ("/clear all", .notice("*** usage: /clear")),
        ("//etc/passwd is a file", .send(.chat(message: "/etc/passwd is a file"))),
        ("//", .send(.chat(message: "/"))),
        ("/msg chris", .notice("*** usage: /msg NICK TEXT")),
        ("/msg", .notice("*** usage: /msg NICK TEXT")),
        ("/message", .notice("*** usage: /message NICK TEXT")),
        ("/me", .notice("*** usage: /me TEXT")),
        ("/join", .notice("*** usage: /join ROOM")),
        ("/join two words", .notice("*** usage: /join ROOM")),
        ("/join bad!", .notice("*** invalid room name: bad! (a room name is \(Names.ruleDescription))")),
        ("/msg bad! hi", .notice("*** invalid nick: bad!")),
        ("/who me", .notice("*** usage: /who")),
        ("/q now", .notice("*** usage: /q")),
        ("/dance", .unknown(name: "dance", line: "/dance")),
        ("/", .unknown(name: "", line: "/")),
    ]

    @Test(arguments: cases) func parsing(_ line: String, _ expected: Command) {
        #expect(Command(parsing: line) == expected)
    }

    @Test func helpListsEveryCommand() {
        guard case .notice(let text) = Command(parsing: "/help") else {
            Issue.record("help is local")
            return
        }
        let commands = [
            "/msg", "/me", "/who", "/join", "/leave", "/rooms", "/clear", "/help", "/q", "//", "/timestamps",
        ]
        for command in commands {
            #expect(text.contains(command))
        }
        #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix("***") })
    }
}
