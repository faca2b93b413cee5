import ChatSystem
import ChatText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The `--log FILE` transcript: one line per shown line, `2026-12-02 12:04:05 pat: hi`.
///
/// The file is opened for appending (never truncated) and created with mode 0600, since it holds private
/// messages. Each line is one `write(2)`, so it is on disk (in the page cache) as soon as it is shown, and an
/// `O_APPEND` write keeps two clients logging to one file from cutting into each other's lines.
public final class Transcript: Sendable {
    /// The file name as given.
    public let path: String
    private let fd: CInt

    /// Opens (or creates) `path`; throws one line to print when it cannot.
    public init(path: String) throws(TranscriptError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0o600)
        guard fd >= 0 else {
            throw TranscriptError(
                "--log \(DisplaySanitizer.sanitized(path)): cannot open it (\(String(cString: strerror(errno))))")
        }
        self.path = path
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// Appends `text` after `stamp` as one line. The text is sanitized again, so nothing received can put a
    /// newline or an escape sequence into the file, whatever the caller did.
    public func append(_ text: String, stamp: String) throws(TranscriptError) {
        let line = "\(stamp) \(DisplaySanitizer.sanitized(text))\n"
        do {
            try DescriptorOutput.writeAll(Array(line.utf8), to: fd)
        } catch {
            throw TranscriptError("cannot write to \(DisplaySanitizer.sanitized(path)) (\(error))")
        }
    }
}

/// Why the transcript cannot be used: one line.
public struct TranscriptError: Error, Equatable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
