import ArgumentParser
import ChatServerCore
import ChatWorld
import Foundation

/// `--world FILE`: world mode, with the world checked before the server listens.
struct WorldOption: ParsableArguments {
    @Option(help: "TOML world file: run the chat as a MUD in that world (see README, World mode).")
    var world: String?

    /// Reads and checks the world, and with `--db` where its players and items were; returns the lines to
    /// print, one per problem, when it cannot.
    func apply(to settings: inout ServerConfiguration) -> [String] {
        guard let path = world else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else { return ["\(path): cannot read it"] }
        guard let text = String(data: data, encoding: .utf8) else { return ["\(path): not UTF-8 text"] }
        do {
            settings.world = try World(toml: text)
        } catch {
            return error.problems.map { "\(path): \($0)" }
        }
        guard let database = settings.databasePath else { return [] }
        do {
            // Read here, before the loop opens the journal for itself; this connection closes at once.
            settings.savedWorld = try HistoryJournal(path: database).loadWorld()
        } catch {
            return ["\(error)"]
        }
        return []
    }
}
