/// Where a Redis server is: `redis://HOST[:PORT][/DB]`, parsed without touching the network.
///
/// The host is handed to hiredis, which resolves it with `getaddrinfo(3)`: that blocks on a name, never on a
/// numeric address, so a loop that must not block gives an address (`127.0.0.1`, `[::1]`).
public struct RedisEndpoint: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The host name or address, without the brackets of an IPv6 literal.
    public var host: String
    /// The TCP port, 6379 when the URL names none.
    public var port: UInt16
    /// The database index selected after connecting (`SELECT db`), 0 when the URL names none.
    public var database: Int

    /// Redis's own port.
    public static let defaultPort: UInt16 = 6379

    public init(host: String, port: UInt16 = defaultPort, database: Int = 0) {
        self.host = host
        self.port = port
        self.database = database
    }

    /// Why a URL was not understood; the description is the sentence a command line prints.
    public struct InvalidURL: Error, Equatable, Sendable, CustomStringConvertible {
        public let url: String
        public let reason: String
        public var description: String { "invalid Redis URL '\(url)': \(reason) (expected redis://HOST:PORT[/DB])" }
    }

    /// Parses `redis://HOST[:PORT][/DB]`. Passwords (`redis://user:pass@…`), TLS (`rediss://`), query strings and
    /// Unix sockets are refused, not ignored: a URL that asks for them must not quietly connect without them.
    public init(url: String) throws(InvalidURL) {
        func invalid(_ reason: String) -> InvalidURL { InvalidURL(url: url, reason: reason) }
        let scheme = "redis://"
        guard url.lowercased().hasPrefix(scheme) else { throw invalid("the scheme must be redis://") }
        var rest = Substring(url.dropFirst(scheme.count))
        guard !rest.contains("@") else { throw invalid("passwords are not supported") }
        guard !rest.contains("?"), !rest.contains("#") else { throw invalid("options are not supported") }
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard path.allSatisfy(\.isASCIIDigit), let index = Int(path), index <= 1_000_000 else {
                    throw invalid("the database must be a number")
                }
                database = index
            }
        }
        let (host, portText) = try Self.split(rest, invalid: invalid)
        guard !host.isEmpty else { throw invalid("no host") }
        var port = Self.defaultPort
        if let portText {
            guard portText.allSatisfy(\.isASCIIDigit), let number = Int(portText), (1...65_535).contains(number)
            else { throw invalid("the port must be 1 to 65535") }
            port = UInt16(number)
        }
        self.init(host: String(host), port: port, database: database)
    }

    /// Splits `host[:port]` and `[v6]:port`.
    private static func split(
        _ authority: Substring, invalid: (String) -> InvalidURL
    ) throws(InvalidURL) -> (host: Substring, port: Substring?) {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid("an unclosed [") }
            let host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.isEmpty { return (host, nil) }
            guard after.hasPrefix(":") else { throw invalid("text after ]") }
            return (host, after.dropFirst())
        }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (parts[0], nil)
        case 2: return (parts[0], parts[1])
        default: throw invalid("an IPv6 address must be in brackets")
        }
    }

    /// The URL again, in its full form.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "redis://\(shownHost):\(port)/\(database)"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
