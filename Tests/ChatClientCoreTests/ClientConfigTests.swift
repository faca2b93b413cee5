import Foundation
import Testing

@testable import ChatClientCore

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 11, item 13: the config file, its errors, and which source wins.
@Suite struct ClientConfigTests {
    static func problem(_ text: String) -> ConfigProblem? {
        do {
            _ = try ClientConfigFile.choices(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    @Test func anEmptyFileChoosesNothing() throws {
        #expect(try ClientConfigFile.choices(parsing: "") == PreferenceChoices())
        #expect(try ClientConfigFile.choices(parsing: "# nothing yet\n\n") == PreferenceChoices())
    }

    @Test func everyKeyIsRead() throws {
        let text = """
            # chat-client preferences
            timestamps = true
            bell = false
            colors = "256"
            log = "~/chat.log"
            """
        #expect(
            try ClientConfigFile.choices(parsing: text, home: "/home/pat")
                == PreferenceChoices(timestamps: true, bell: false, colors: .full256, log: "/home/pat/chat.log"))
        for choice in ColorChoice.allCases {
            #expect(try ClientConfigFile.choices(parsing: "colors = \"\(choice.rawValue)\"").colors == choice)
        }
        #expect(try ClientConfigFile.choices(parsing: "log = \"logs/chat.log\"", home: "/h").log == "logs/chat.log")
    }

    @Test(arguments: [
        (
            "timestamps = true\ncolour = \"none\"\n", 2,
            "unknown key \"colour\" (the keys are timestamps, bell, colors, log)"
        ),
        (
            "bell = true\n\n  \"nick\" = \"pat\"\n", 3,
            "unknown key \"nick\" (the keys are timestamps, bell, colors, log)"
        ),
        ("bell = false\n[colors]\nx = 1\n", 2, "\"colors\" must be one of \"auto\", \"8\", \"256\", \"none\""),
        ("timestamps = \"yes\"\n", 1, "\"timestamps\" must be true or false"),
        ("bell = 1\n", 1, "\"bell\" must be true or false"),
        ("colors = \"16\"\n", 1, "\"colors\" must be one of \"auto\", \"8\", \"256\", \"none\""),
        ("log = \"\"\n", 1, "\"log\" must be a file name in quotes"),
        ("log = 3\n", 1, "\"log\" must be a file name in quotes"),
    ])
    func aWrongKeyOrTypeNamesTheLine(text: String, line: Int, message: String) {
        #expect(Self.problem(text) == ConfigProblem(message, line: line))
    }

    @Test func theFirstProblemByLineIsTheOneReported() {
        #expect(Self.problem("zeta = 1\nalpha = 2\n")?.line == 1)
        #expect(Self.problem("bell = false\nalpha = 2\nzeta = 1\n")?.line == 2)
    }

    @Test func textThatIsNotTOMLSaysWhere() throws {
        let problem = try #require(Self.problem("timestamps = true\nbell = \n"))
        #expect(problem.line == 2)
        #expect(problem.message.hasPrefix("not valid TOML at column "))
        #expect(!problem.message.contains("\n"))
        #expect(Self.problem("bell = true\0")?.message == "holds a NUL character")
    }

    @Test func theDefaultPathFollowsXDG() {
        #expect(
            ClientConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/home/pat"])
                == "/x/chat-client/config.toml")
        #expect(
            ClientConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "", "HOME": "/home/pat"])
                == "/home/pat/.config/chat-client/config.toml")
        #expect(ClientConfigFile.defaultPath(environment: [:]) == nil)
    }

    @Test func aMissingFileIsAnErrorOnlyWhenNamed() throws {
        let path = "/nonexistent-dir/config.toml"
        #expect(try ClientConfigFile.load(path, required: false, home: nil) == PreferenceChoices())
        #expect(throws: ClientConfigError(path: path, line: nil, problem: "cannot read it (No such file or directory)"))
        {
            try ClientConfigFile.load(path, required: true, home: nil)
        }
    }

    @Test func aBrokenFileIsOneLineNamingFileAndLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString).toml")
            .path
        defer { unlink(path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data("bell = true\ncolour = 8\n".utf8)))
        do {
            _ = try ClientConfigFile.load(path, required: false, home: nil)
            Issue.record("a broken file was accepted")
        } catch {
            #expect(
                error.description
                    == "\(path): line 2: unknown key \"colour\" (the keys are timestamps, bell, colors, log)")
        }
    }

    @Test func theCommandLineBeatsTheFileWhichBeatsTheEnvironmentAndTheDefaults() {
        #expect(ClientPreferences.resolved(environment: [:]) == ClientPreferences())
        #expect(ClientPreferences().timestamps == false && ClientPreferences().bell && ClientPreferences().log == nil)
        #expect(ClientPreferences.resolved(environment: ["NO_COLOR": "1"]).colors == .none)
        #expect(ClientPreferences.resolved(environment: ["NO_COLOR": ""]).colors == .auto)
        let file = PreferenceChoices(timestamps: true, colors: .eight, log: "file.log")
        let fromFile = ClientPreferences.resolved(file: file, environment: ["NO_COLOR": "1"])
        #expect(fromFile.timestamps && fromFile.colors == .eight && fromFile.log == "file.log" && fromFile.bell)
        let options = PreferenceChoices(timestamps: false, bell: false, log: "option.log")
        let both = ClientPreferences.resolved(file: file, options: options, environment: [:])
        #expect(!both.timestamps && !both.bell && both.colors == .eight && both.log == "option.log")
    }
}
