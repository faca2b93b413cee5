#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What `--cluster`, `--node` and `--lease` say: the Redis that orders the cluster's changes, this node's name
/// in it, and how long the node counts as alive without refreshing its lease (docs/CLUSTER.md).
public struct ClusterSettings: Sendable, Equatable {
    /// The Redis server's host name or address.
    public var host: String
    /// The Redis server's TCP port.
    public var port: UInt16
    /// The Redis database number (`SELECT`), 0 by default.
    public var database: Int
    /// This node's name: unique in the cluster, it owns the node's sessions and lease.
    public var node: String
    /// How long the node's lease lives without a refresh; it is refreshed every third of it. When it runs out,
    /// another node ends this node's sessions.
    public var lease: Duration

    /// 3 s: a node killed is noticed a few seconds later, while a loop pass stalled by a burst (tens of
    /// milliseconds) or a Redis pause of a second never costs a live node its sessions.
    public static let defaultLease = Duration.seconds(3)
    /// The Redis port when the URL names none.
    public static let defaultRedisPort: UInt16 = 6379

    public init(
        host: String, port: UInt16 = Self.defaultRedisPort, database: Int = 0, node: String,
        lease: Duration = Self.defaultLease
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.node = node
        self.lease = lease
    }

    /// Reads `redis://HOST[:PORT][/DB]`; nil when it is not of that form. An IPv6 address goes in brackets.
    public init?(url: String, node: String, lease: Duration = Self.defaultLease) {
        guard url.hasPrefix("redis://") else { return nil }
        var rest = Substring(url.dropFirst("redis://".count))
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let number = rest[rest.index(after: slash)...]
            guard number.isEmpty || Int(number).map({ $0 >= 0 }) == true else { return nil }
            database = Int(number) ?? 0
            rest = rest[..<slash]
        }
        var host: Substring
        var port = Self.defaultRedisPort
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            rest = rest[rest.index(after: close)...]
        } else {
            host = rest.prefix { $0 != ":" }
            rest = rest[host.endIndex...]
        }
        if rest.hasPrefix(":") {
            guard let number = UInt16(rest.dropFirst()), number > 0 else { return nil }
            port = number
        } else if !rest.isEmpty {
            return nil
        }
        guard !host.isEmpty, Self.isValidNodeName(node) else { return nil }
        self.init(host: String(host), port: port, database: database, node: node, lease: lease)
    }

    /// The host name and the process id: unique among live nodes without configuration.
    public static func defaultNodeName() -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let host =
            gethostname(&buffer, buffer.count - 1) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self) : "node"
        let name = String(host.unicodeScalars.filter { $0.isASCII && isValidNodeName(String($0)) }.prefix(48))
        return "\(name.isEmpty ? "node" : name)-\(getpid())"
    }

    /// A node name is 1 to 64 letters, digits, `-`, `_` or `.`: it goes into Redis keys and stream fields.
    public static func isValidNodeName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x2D
                    || byte == 0x5F || byte == 0x2E
            }
    }
}
