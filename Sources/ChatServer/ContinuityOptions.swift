import ArgumentParser
import ChatServerCore

/// History, resume and ping; every default comes from `ServerConfiguration`.
struct ContinuityOptions: ParsableArguments {
    @Option(help: "SQLite file that keeps room history across restarts (default: history in memory only).")
    var db: String?
    @Option(help: "Messages kept per room.") var historyLimit: Int = ServerConfiguration.defaultHistoryLimit
    @Option(help: "Messages replayed to a history client entering a room.")
    var backfill: Int = ServerConfiguration.defaultBackfill
    @Option(help: "Most messages in one replay; older ones are left out and counted.")
    var replayLimit: Int = ServerConfiguration.defaultReplayLimit
    @Option(help: "Seconds a resume session outlives its connection (0: no resuming).")
    var resumeGrace: Double = ServerConfiguration.defaultResumeGrace / .seconds(1)
    @Option(help: "Seconds of silence before a ping client is pinged, and again before it counts as gone.")
    var pingInterval: Double = ServerConfiguration.defaultPingInterval / .seconds(1)

    func validate() throws {
        guard historyLimit >= 0, backfill >= 0, replayLimit >= 0 else {
            throw ValidationError("--history-limit, --backfill and --replay-limit must be at least 0.")
        }
        guard resumeGrace >= 0, pingInterval > 0 else {
            throw ValidationError("--resume-grace must be at least 0 and --ping-interval positive.")
        }
    }

    func apply(to settings: inout ServerConfiguration) {
        settings.databasePath = db
        settings.historyLimit = historyLimit
        settings.backfill = backfill
        settings.replayLimit = replayLimit
        settings.resumeGrace = .milliseconds(Int64(resumeGrace * 1000))
        settings.pingInterval = .milliseconds(Int64(pingInterval * 1000))
    }
}
