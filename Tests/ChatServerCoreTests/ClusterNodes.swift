import ChatProcess
import ChatProtocol
import ChatTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The redis engineer's `ClusterHarness` (a real Redis and real `chat-server` nodes in child processes, so that
/// one can be killed with `SIGKILL`), with a way to join clients to its nodes.
final class ClusterNodes {
    let harness: ClusterHarness
    static let everything = Features.all.union(.session)

    init(count: Int, lease: Double = 2, arguments: [String] = []) throws {
        harness = try ClusterHarness(nodes: count, arguments: ["--lease", "\(lease)"] + arguments)
    }

    var redis: RedisServer { harness.redis }

    func port(_ index: Int) -> UInt16 { harness.ports[index] }

    /// Kills node `index` at once, as a crash would.
    func kill(_ index: Int) { harness.killNode(index) }

    /// Starts node `index` again, under its old name, on its old port.
    func restart(_ index: Int) throws { try harness.startNode(index) }

    /// Stops every node still running (each must exit 0, with nothing from a sanitizer), then Redis.
    func finish(sourceLocation: SourceLocation = #_sourceLocation) {
        harness.finish(sourceLocation: sourceLocation)
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
