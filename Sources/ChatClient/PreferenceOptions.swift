import ArgumentParser
import ChatClientCore
import ChatCommandLine
import Foundation

/// The preferences on the command line, over the config file's (README, "Config file"): an option given
/// here wins, one left out leaves the file's choice (or the default) in force.
struct PreferenceOptions: ParsableArguments {
    @Flag(
        inversion: .prefixedNo,
        help: "Show the local time (HH:MM) before each line, and a date line when the day changes.")
    var timestamps: Bool?
    @Option(
        help: ArgumentHelp(
            "Append a transcript of every line shown, with date and time, to this file (created mode 600).",
            valueName: "file"))
    var log: String?
    @Option(
        help: ArgumentHelp(
            "Read preferences from this file (default: $XDG_CONFIG_HOME/chat-client/config.toml, else ~/.config/chat-client/config.toml).",
            valueName: "file"))
    var config: String?
    @Flag(help: "Read no config file.") var noConfig = false
    @Flag(help: "Do not ring the terminal bell for a mention or a direct message.") var noBell = false
    @Option(help: "Colours; auto: 256 where the terminal has them (the default, or none when NO_COLOR is set).")
    var colors: ColorChoice?

    /// What the command line itself chooses.
    var choices: PreferenceChoices {
        PreferenceChoices(timestamps: timestamps, bell: noBell ? false : nil, colors: colors, log: log)
    }

    func validate() throws {
        guard !noConfig || config == nil else { throw ValidationError("--config and --no-config exclude each other.") }
    }

    /// The preferences in force and the open transcript. A config file that cannot be used is one line and exit
    /// 2 (a bad argument, in a file); a transcript that cannot be opened is one line and exit 1. Both happen
    /// before connecting.
    func load(environment: [String: String]) throws -> (ClientPreferences, Transcript?) {
        var file = PreferenceChoices()
        if !noConfig, let path = config ?? ClientConfigFile.defaultPath(environment: environment) {
            do {
                file = try ClientConfigFile.load(path, required: config != nil, home: environment["HOME"])
            } catch {
                ChatClientCommand.printError("chat-client: \(error)")
                throw ExitCode(2)
            }
        }
        let preferences = ClientPreferences.resolved(file: file, options: choices, environment: environment)
        do {
            return (preferences, try preferences.log.map { path throws(TranscriptError) in try Transcript(path: path) })
        } catch {
            ChatClientCommand.printError("chat-client: \(error)")
            throw ExitCode(1)
        }
    }
}

/// `--colors auto|256|8|none`, by the config file's names.
extension ColorChoice: ExpressibleByArgument {}
