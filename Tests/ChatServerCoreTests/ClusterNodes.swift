import ChatProcess
import ChatProtocol
import ChatTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real Redis and `count` real `chat-server` nodes of one cluster (child processes, so that one can be
/// killed with `SIGKILL`), and helpers to join clients to them.
final class ClusterNodes {
    let redis: RedisServer
    private(set) var nodes: [ServerProcess] = []
    /// Nodes killed on purpose, which `finish()` does not expect to exit 0.
    private var killed: Set<Int> = []
    static let everything = Features.all.union(.session)

    private let lease: Double
    private let arguments: [String]

    init(count: Int, lease: Double = 2, arguments: [String] = []) throws {
        redis = try RedisServer()
        self.lease = lease
        self.arguments = arguments
        for _ in 0..<count { try addNode() }
    }

    /// Starts one more node; returns its index.
    @discardableResult
    func addNode() throws -> Int {
        let index = nodes.count
        nodes.append(
            try ServerProcess(["--cluster", redis.url, "--node", "n\(index)", "--lease", "\(lease)"] + arguments))
        return index
    }

    func port(_ index: Int) -> UInt16 { nodes[index].port }

    /// Kills node `index` at once, as a crash would.
    func kill(_ index: Int) {
        nodes[index].signal(SIGKILL)
        _ = nodes[index].waitForExit(within: .seconds(10))
        killed.insert(index)
    }

    /// Stops every node still running (each must exit 0, with nothing from a sanitizer), then Redis.
    func finish(sourceLocation: SourceLocation = #_sourceLocation) {
        for (index, node) in nodes.enumerated() where !killed.contains(index) {
            node.finish(sourceLocation: sourceLocation)
        }
        redis.stop()
    }

    /// Connects to node `index` and says hello; returns the client and what it received up to its own `join`
    /// (welcome, replay and the end marker first), or up to `welcome` on a resume.
    func join(
        _ nick: String, node index: Int, features: Features = everything,
        options: ClientPacket.HelloOptions = .init()
    ) throws -> (client: RawClient, packets: [ServerPacket]) {
        let client = try RawClient(port: port(index), name: nick)
        try client.send(.hello(nick: nick, features: features, options: options))
        let packets = try client.receive(through: { packet in
            switch packet {
            case .join(let who, _): return Names.key(who) == Names.key(nick)
            case .welcome(let welcome): return welcome.resumed
            case .error: return true
            default: return false
            }
        })
        if features.contains(.info), case .join? = packets.last { _ = try client.receive() }
        return (client, packets)
    }
}
