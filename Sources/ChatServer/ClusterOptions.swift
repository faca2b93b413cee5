import ArgumentParser
import ChatServerCore

/// `--cluster`, `--node`, `--lease`: this server as one node of a chat shared over Redis (docs/CLUSTER.md);
/// every default comes from `ClusterSettings`.
struct ClusterOptions: ParsableArguments {
    @Option(
        help: "redis://HOST[:PORT][/DB]: be one node of the chat that this Redis orders (default: a single server).")
    var cluster: String?
    @Option(help: "This node's name in the cluster: letters, digits, - _ . (default: host name and process id).")
    var node: String?
    @Option(help: "Seconds this node stays alive in the cluster without refreshing its lease.")
    var lease: Double = ClusterSettings.defaultLease / .seconds(1)

    func validate() throws {
        guard lease >= 0.3 else { throw ValidationError("--lease must be at least 0.3 seconds.") }
        if let node, !ClusterSettings.isValidNodeName(node) {
            throw ValidationError("--node must be 1-64 letters, digits, '-', '_' or '.'.")
        }
        guard let cluster else {
            guard node == nil else { throw ValidationError("--node needs --cluster.") }
            return
        }
        guard ClusterSettings(url: cluster, node: "n") != nil else {
            throw ValidationError("--cluster must be redis://HOST[:PORT][/DB].")
        }
    }

    /// Whether `--db` or `--world` conflicts: a cluster keeps its history in Redis and replicates no world.
    func conflicts(database: String?, world: String?) -> String? {
        guard cluster != nil else { return nil }
        if database != nil { return "--cluster keeps the history in Redis: leave out --db" }
        if world != nil { return "--cluster does not run a world: leave out --world" }
        return nil
    }

    func apply(to settings: inout ServerConfiguration) {
        guard let cluster else { return }
        let name = node ?? ClusterSettings.defaultNodeName()
        settings.cluster = ClusterSettings(url: cluster, node: name, lease: .milliseconds(Int64(lease * 1000)))
    }
}
