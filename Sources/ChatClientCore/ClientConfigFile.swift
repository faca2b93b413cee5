import ChatText
import TOMLKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The client's config file (README, "Config file"): a small TOML file of preferences, read once at start.
///
/// Only the keys below are allowed; an unknown key, a value of the wrong type, or text that is not TOML is an
/// error naming the file and the line, so that a typo (`colour = "none"`) is never silently ignored.
public enum ClientConfigFile {
    /// The keys the file takes, in the order the error message lists them.
    public static let keys = ["timestamps", "bell", "colors", "log"]

    /// Bigger than any config file needs to be; a larger one is refused rather than parsed.
    static let maximumSize = 64 * 1024

    /// `$XDG_CONFIG_HOME/chat-client/config.toml`, else `$HOME/.config/chat-client/config.toml`; nil when
    /// neither variable is set.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/chat-client/config.toml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/chat-client/config.toml" }
        return nil
    }

    /// What the file at `path` chooses. A missing file chooses nothing, unless `required` (named with
    /// `--config`), when it is an error like any other. A `log` path starting with `~/` starts in `home`.
    public static func load(_ path: String, required: Bool, home: String?) throws(ClientConfigError)
        -> PreferenceChoices
    {
        let text: String
        do throws(ConfigProblem) {
            guard let read = try contents(of: path) else {
                guard !required else { throw ConfigProblem("cannot read it (\(String(cString: strerror(ENOENT))))") }
                return PreferenceChoices()
            }
            text = read
        } catch {
            throw ClientConfigError(path: path, line: error.line, problem: error.message)
        }
        do throws(ConfigProblem) {
            return try choices(parsing: text, home: home)
        } catch {
            throw ClientConfigError(path: path, line: error.line, problem: error.message)
        }
    }

    /// What a config file's `text` chooses; throws the first problem, by line.
    public static func choices(parsing text: String, home: String? = nil) throws(ConfigProblem) -> PreferenceChoices {
        guard text.utf8.count <= maximumSize else { throw ConfigProblem("larger than \(maximumSize / 1024) KiB") }
        // toml++ stops at the first NUL; a file holding one is refused rather than read in part.
        guard !text.utf8.contains(0) else { throw ConfigProblem("holds a NUL character") }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let position = error.source.begin
            throw ConfigProblem(
                "not valid TOML at column \(position.column): \(DisplaySanitizer.sanitized(error.description))",
                line: position.line)
        } catch {
            throw ConfigProblem("not valid TOML")
        }
        var choices = PreferenceChoices()
        var problems: [ConfigProblem] = []
        for (key, value) in table {
            do throws(ConfigProblem) {
                try take(key, value, into: &choices, home: home)
            } catch {
                problems.append(ConfigProblem(error.message, line: line(ofKey: key, in: text)))
            }
        }
        // The table's order is not the file's: report the problem nearest the top, as a reader would meet it.
        if let first = problems.min(by: { ($0.line ?? .max) < ($1.line ?? .max) }) { throw first }
        return choices
    }

    private static func take(
        _ key: String, _ value: any TOMLValueConvertible, into choices: inout PreferenceChoices, home: String?
    ) throws(ConfigProblem) {
        let shown = "\"\(DisplaySanitizer.sanitized(key))\""
        switch key {
        case "timestamps": choices.timestamps = try flag(value, shown)
        case "bell": choices.bell = try flag(value, shown)
        case "colors":
            guard value.type == .string, let name = value.string, let choice = ColorChoice(rawValue: name) else {
                let names = ColorChoice.names.map { "\"\($0)\"" }.joined(separator: ", ")
                throw ConfigProblem("\(shown) must be one of \(names)")
            }
            choices.colors = choice
        case "log":
            guard value.type == .string, let path = value.string, !path.isEmpty else {
                throw ConfigProblem("\(shown) must be a file name in quotes")
            }
            choices.log = expandingHome(path, home: home)
        default:
            throw ConfigProblem("unknown key \(shown) (the keys are \(keys.joined(separator: ", ")))")
        }
    }

    private static func flag(_ value: any TOMLValueConvertible, _ key: String) throws(ConfigProblem) -> Bool {
        guard value.type == .bool, let flag = value.bool else { throw ConfigProblem("\(key) must be true or false") }
        return flag
    }

    /// `~/x` as `home/x`; any other path as written (a relative one is from the directory the client runs in).
    static func expandingHome(_ path: String, home: String?) -> String {
        guard path.hasPrefix("~/"), let home, !home.isEmpty else { return path }
        return home + path.dropFirst()
    }

    /// The first line (from 1) that assigns `key` or opens a table named `key`: TOMLKit keeps no positions.
    static func line(ofKey key: String, in text: String) -> Int? {
        let forms = [key, "\"\(key)\"", "'\(key)'"]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = line.drop(while: { $0 == " " || $0 == "\t" || $0 == "[" })
            for form in forms where rest.hasPrefix(form) {
                rest = rest.dropFirst(form.count).drop(while: { $0 == " " || $0 == "\t" })
                if rest.first == "=" || rest.first == "]" || rest.first == "." { return index + 1 }
            }
        }
        return nil
    }

    /// The file as UTF-8 text (invalid bytes repaired), nil when it does not exist. Read with `read(2)`:
    /// Foundation's file readers leak a buffer on an empty file, which AddressSanitizer reports.
    private static func contents(of path: String) throws(ConfigProblem) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw ConfigProblem("cannot read it (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= maximumSize {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw ConfigProblem("cannot read it (\(String(cString: strerror(errno))))") }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// One problem in a config file's text: what, and on which line when that is known.
public struct ConfigProblem: Error, Equatable {
    public var message: String
    public var line: Int?

    public init(_ message: String, line: Int? = nil) {
        self.message = message
        self.line = line
    }
}

/// A config file that cannot be used, as the one line the client prints before it exits 2:
/// `/home/pat/.config/chat-client/config.toml: line 3: unknown key "colour" (the keys are …)`.
public struct ClientConfigError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var problem: String

    public var description: String {
        let file = DisplaySanitizer.sanitized(path)
        return line.map { "\(file): line \($0): \(problem)" } ?? "\(file): \(problem)"
    }
}
