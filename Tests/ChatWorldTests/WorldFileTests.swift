import ChatProtocol
import Foundation
import Testing

@testable import ChatWorld

@Suite struct WorldFileTests {
    static let tiny = """
        title = "Tiny"
        start = "Hall"
        [[places]]
        name = "Hall"
        description = "A hall."
        exits = { north = "Yard", u = "Attic" }
        [[places]]
        name = "Yard"
        description = "A yard."
        exits = { south = "Hall" }
        [[places]]
        name = "Attic"
        description = "An attic."
        exits = { down = "Hall" }
        [[items]]
        name = "lamp"
        description = "a brass lamp"
        place = "Hall"
        examine = "Brass."
        [[items]]
        name = "anvil"
        place = "Yard"
        takeable = false
        [[characters]]
        name = "Tam"
        place = "Yard"
        greeting = "Shut the door."
        lines = ["One.", "Two."]
        """

    static func problems(_ text: String) -> [String] {
        do {
            _ = try World(toml: text)
            return []
        } catch {
            return error.problems
        }
    }

    @Test func aGoodFileGivesTheWorld() throws {
        let world = try World(toml: Self.tiny)
        #expect(world.title == "Tiny")
        #expect(world.start == "hall")
        #expect(world.places["hall"]?.exits == [.north: "yard", .up: "attic"])
        #expect(world.items["anvil"]?.isTakeable == false)
        #expect(world.items["anvil"]?.description == "a anvil")
        #expect(world.characters["tam"]?.lines == ["One.", "Two."])
    }

    @Test func theSampleWorldLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("worlds/saltmarsh.toml"), encoding: .utf8)
        let world = try World(toml: text)
        #expect(world.places.count >= 12)
        #expect(world.items.count >= 3)
        #expect(world.characters.count >= 2)
    }

    @Test(arguments: [
        (
            "start = \"A\"\n[[places]]\nname = \"A\"\ndescription = \"a\"\nexits = { north = \"Attic\" }",
            "place \"A\": exit north leads to \"Attic\", which is not a place"
        ),
        (
            "start = \"A\"\n[[places]]\nname = \"A\"\ndescription = \"a\"\n[[places]]\nname = \"a\"\ndescription = \"b\"",
            "place \"a\" is defined twice"
        ),
        (
            "start = \"A\"\n[[places]]\nname = \"A\"\ndescription = \"a\"\n[[items]]\nname = \"lamp\"",
            "item \"lamp\" is in no place (\"place\" must name one)"
        ),
        (
            "start = \"A\"\n[[places]]\nname = \"A\"\ndescription = \"a\"\n[[items]]\nname = \"lamp\"\nplace = \"B\"",
            "item \"lamp\": its place \"B\" is not a place"
        ),
        (
            "start = \"A\"\n[[places]]\nname = \"A\"\ndescription = \"a\"\n[[items]]\nname = \"x\"\nplace = \"A\"\n"
                + "[[characters]]\nname = \"X\"\nplace = \"A\"",
            "character \"X\": the name is used twice"
        ),
        (
            "start = \"A\"\n[[places]]\nname = \"A\"\ndescription = \"a\"\nexits = { sideways = \"A\" }",
            "place \"A\": \"sideways\" is not a direction; use \(Direction.spelling)"
        ),
        ("start = \"B\"\n[[places]]\nname = \"A\"\ndescription = \"a\"", "start \"B\" is not a place"),
        ("start = \"A\"", "\"places\" must be a non-empty array of places"),
        (
            "start = \"A\"\n[[places]]\nname = \"A\"\ndescription = \"a\"\n[[places]]\nname = \"Two words\"",
            "place 2: \"Two words\" is not a room name (\(Names.ruleDescription))"
        ),
        ("start = \"A\"\n[[places]]\nname = \"A\"", "place \"A\": \"description\" is missing"),
    ])
    func eachProblemIsOneClearLine(file: String, problem: String) {
        #expect(Self.problems(file) == [problem])
    }

    @Test func everyProblemIsReported() {
        let file = """
            start = "Nowhere"
            [[places]]
            name = "A"
            description = "a"
            exits = { north = "B" }
            [[places]]
            name = "A"
            description = "again"
            [[items]]
            name = "box"
            """
        #expect(Self.problems(file).count == 4)
    }

    @Test func hostileFilesAreRefusedWithOneLine() {
        let deep = "x = " + String(repeating: "[", count: 100_000)
        #expect(Self.problems(deep).count == 1)
        #expect(Self.problems("x = [").first?.hasPrefix("not valid TOML at line 1") == true)
        #expect(Self.problems("start = \"A\"\u{0}") == ["the file holds a NUL character"])
        #expect(Self.problems(String(repeating: "#", count: World.maximumFileSize + 1)).count == 1)
        let long = String(repeating: "é", count: World.maximumText + 1)
        let problems = Self.problems("start = \"A\"\n[[places]]\nname = \"A\"\ndescription = \"\(long)\"")
        #expect(problems == ["place \"A\": \"description\" is longer than \(World.maximumText) characters"])
        let huge = String(repeating: "ж", count: 60_000)
        let named = Self.problems("start = \"\(huge)\"\n[[places]]\nname = \"\(huge)\"\ndescription = \"a\"")
        #expect(named.allSatisfy { $0.unicodeScalars.count < 200 })
    }

    @Test func controlCharactersInTextAreReplaced() throws {
        let world = try World(
            toml: "start = \"A\"\n[[places]]\nname = \"A\"\ndescription = \"bell\\u0007\\u001b[2J\"")
        #expect(world.places["a"]?.description == "bell\u{FFFD}\u{FFFD}[2J")
    }
}
