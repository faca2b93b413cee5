import ArgumentParser
import ChatSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What both command lines share: PROTOCOL.md's exit statuses and one-line errors on standard error.
public protocol ChatCommand: ParsableCommand {}

extension ChatCommand {
    /// Parses and runs the command; bad arguments print usage and exit 2, as PROTOCOL.md asks, rather than
    /// ArgumentParser's 64.
    public static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            printError(fullMessage(for: error))
            exit(withError: ExitCode(2))
        }
    }

    /// Writes one line to standard error, unbuffered, for the single fatal message a command prints.
    public static func printError(_ line: String) {
        try? DescriptorOutput.writeAll(Array((line + "\n").utf8), to: STDERR_FILENO)
    }
}
