/// One server the client may connect to: the command line's `HOST PORT`, or an `--also HOST:PORT`.
///
/// Several addresses name nodes of one chat (a cluster): when the connection is lost, or a reconnect is refused,
/// the client moves on to the next address, round robin, and resumes its session there.
public struct ServerAddress: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// A host name or address, without the brackets of an IPv6 literal.
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` or `[IPv6]:PORT`; nil when the host is empty or the port is not 1 to 65535.
    public init?(parsing text: String) {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[close...].hasPrefix("]:") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            guard !host.contains(":") else { return nil }
        }
        guard !host.isEmpty, port.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(port),
            (1...65_535).contains(number)
        else { return nil }
        self.init(host: String(host), port: UInt16(number))
    }

    /// `host:port`, or `[host]:port` for an IPv6 address: as the status bar shows it.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
