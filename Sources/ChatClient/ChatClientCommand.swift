import ArgumentParser
import ChatClientCore
import ChatCommandLine
import ChatProtocol
import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@main
struct ChatClientCommand: ChatCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat-client", abstract: "Chat in a terminal. Type /help once connected.")

    @Argument(help: ArgumentHelp("Your nick: \(Names.ruleDescription)")) var nick: String
    @Argument(help: "Server host name or address.") var host: String
    @Argument(help: "Server TCP port (1-65535).") var port: Int
    @Flag(
        help:
            "Line mode: read lines from stdin, print received lines to stdout (the default when stdin is not a terminal)."
    )
    var plain = false
    @OptionGroup var access: ClientAccessOptions
    @Option(
        help: "Reconnect attempts in a row before giving up with exit 1 (default: 8 in plain mode, no limit in curses)."
    )
    var reconnectAttempts: Int?
    @Option(
        name: .customLong("also"),
        help: ArgumentHelp(
            "Another node of the same chat (cluster), tried in turn when the connection is lost or refused; repeatable.",
            valueName: "host:port"))
    var alsoServers: [String] = []

    /// Reconnect attempts in plain mode before exiting 1: 1+2+4+8+16+30+30+30 s, about two and a half minutes.
    static let plainModeAttempts = 8

    func validate() throws {
        guard Names.isValid(nick) else {
            throw ValidationError("Invalid nick '\(nick)': use \(Names.ruleDescription)")
        }
        guard !host.isEmpty else { throw ValidationError("HOST must not be empty.") }
        guard (1...65535).contains(port) else { throw ValidationError("PORT must be 1-65535, not \(port).") }
        for server in alsoServers where ServerAddress(parsing: server) == nil {
            throw ValidationError("--also wants HOST:PORT (a port 1-65535), not '\(server)'.")
        }
        guard reconnectAttempts.map({ $0 >= 0 }) ?? true else {
            throw ValidationError("--reconnect-attempts must be at least 0.")
        }
    }

    func run() throws {
        let settings: ClientAccess
        do {
            settings = try access.makeAccess()
        } catch {
            Self.printError("chat-client: \(error)")
            throw ExitCode(1)
        }
        let caught = CaughtSignal()
        let (frontEnd, signals) = makeFrontEnd(caught)
        // A script cannot press a key: plain mode gives up after a bounded number of attempts.
        var timing = LinkStateMachine.Timing.standard
        if frontEnd is PlainFrontEnd { timing.maxAttempts = Self.plainModeAttempts }
        if let reconnectAttempts { timing.maxAttempts = reconnectAttempts }
        let session = ChatSession(
            nick: nick, host: host, port: UInt16(port), timing: timing, access: settings,
            alsoServers: alsoServers.compactMap(ServerAddress.init(parsing:)))
        defer { signals.forEach { $0.cancel() } }
        switch session.run(frontEnd: frontEnd) {
        case .quit:
            // Ended by SIGTERM, SIGHUP or SIGINT: the shell's 128 + signal, so a supervisor can tell.
            if let number = caught.number { throw ExitCode(128 + number) }
            return
        case .connectFailed(let reason), .rejected(let reason), .frontEndFailed(let reason):
            Self.printError("chat-client: \(reason)")
            throw ExitCode(1)
        case .disconnected(let reason):
            Self.printError("chat-client: gave up reconnecting: \(reason)")
            throw ExitCode(1)
        }
    }

    /// The curses screen on a terminal, else the plain line mode. The curses front end takes termination
    /// signals itself: their default action would kill the process with the terminal still in raw mode.
    /// A terminal that cannot address the cursor (`TERM=dumb`, an unknown `TERM`) gets plain mode, said on
    /// one line before connecting.
    private func makeFrontEnd(_ caught: CaughtSignal) -> (FrontEnd, [any DispatchSourceSignal]) {
        guard !plain, isatty(0) == 1, isatty(1) == 1 else { return (PlainFrontEnd(), []) }
        if let problem = CursesFrontEnd.terminalProblem() {
            Self.printError("chat-client: \(problem): using plain mode")
            return (PlainFrontEnd(), [])
        }
        let colors = getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true
        let curses = CursesFrontEnd(colors: colors)
        let signals = [SIGTERM, SIGHUP, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                caught.record(number)
                curses.interrupt()
            }
            source.resume()
            return source
        }
        return (curses, signals)
    }
}
