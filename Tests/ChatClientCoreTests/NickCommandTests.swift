import ChatProtocol
import Testing

@testable import ChatClientCore

@Suite struct NickCommandTests {
    @Test(arguments: [
        ("/nick lee", Command.send(.nick("lee"))),
        ("/NICK  東京 ", .send(.nick("東京"))),
        ("/nick", .notice("*** usage: /nick NEW")),
        ("/nick two words", .notice("*** usage: /nick NEW")),
        ("/nick bad!", .notice("*** invalid nick: bad! (a nick is \(Names.ruleDescription))")),
    ])
    func parsing(_ line: String, _ expected: Command) {
        #expect(Command(parsing: line) == expected)
    }

    @Test func helpAndCompletionKnowNick() throws {
        guard case .notice(let help) = Command(parsing: "/help") else {
            Issue.record("help is local")
            return
        }
        #expect(help.contains("/nick NEW"))
        #expect(Command.names.contains("nick"))
        #expect(Command.names == Command.names.sorted(by: Names.areInOrder))
    }

    /// Every name Tab offers is a command this client knows (none is `unknown`).
    @Test func everyCompletedNameIsACommand() {
        for name in Command.names {
            if case .unknown = Command(parsing: "/\(name)") {
                Issue.record("/\(name) is not a command")
            }
        }
    }
}
