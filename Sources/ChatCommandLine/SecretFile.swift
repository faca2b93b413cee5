import Foundation

/// A password kept in a file, so that it never appears on a command line, where `ps` would show it.
public enum SecretFile {
    /// The file's first line, without its line ending. Throws one line to print for a missing, unreadable or
    /// empty file.
    public static func read(_ path: String, option: String) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SecretFileError(message: "\(option) \(path): cannot read it (\(Self.reason(error)))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SecretFileError(message: "\(option) \(path): not UTF-8 text")
        }
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let secret = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        guard !secret.isEmpty else { throw SecretFileError(message: "\(option) \(path): the first line is empty") }
        return secret
    }

    private static func reason(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.code, underlying?.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(code)))
        }
        return (error as NSError).localizedDescription
    }
}

/// Why a secret file could not be used: one line for the command line.
public struct SecretFileError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
