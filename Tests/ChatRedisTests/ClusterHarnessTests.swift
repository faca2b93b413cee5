import ChatProcess
import ChatSocket
import ChatTestSupport
import Foundation
import Testing

/// The cluster test support itself: nodes that listen, die, come back on their ports, and a Redis that does too.
/// Runs once `chat-server` takes `--cluster` (the cluster branch); what the nodes do together is tested there.
@Suite(.timeLimit(.minutes(2)), .enabled(if: ClusterHarness.isSupported))
struct ClusterHarnessTests {
    @Test func nodesAndRedisAreKilledAndRestartedWhereTheyWere() throws {
        let cluster = try ClusterHarness(nodes: 3)
        #expect(Set(cluster.ports).count == 3)
        #expect(cluster.names == ["node1", "node2", "node3"])
        for port in cluster.ports { #expect(accepts(port)) }
        cluster.killNode(2)
        #expect(cluster.nodes[2] == nil && !accepts(cluster.ports[2]))
        try cluster.startNode(2)
        #expect(accepts(cluster.ports[2]))
        cluster.killRedis()
        #expect(!RedisServer.answersPing(port: cluster.redis.port))
        try cluster.restartRedis()
        #expect(RedisServer.answersPing(port: cluster.redis.port))
        cluster.finish()
        #expect(cluster.nodes.allSatisfy { $0 == nil })
    }
}

/// `scripts/cluster.sh`: Redis and N nodes on consecutive ports, all stopped by PID when the script gets SIGTERM.
@Suite(.timeLimit(.minutes(2)), .enabled(if: ClusterHarness.isSupported))
struct ClusterScriptTests {
    @Test func startsRedisAndTheNodesAndStopsThemAllOnSigterm() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var environment = ProcessInfo.processInfo.environment
        environment["CHAT_BIN"] = ServerProcess.binaryDirectory.path
        var script: ServerProcess?
        var ports: [UInt16] = []
        // Two consecutive free ports: a pick whose neighbour is taken costs one attempt of three.
        for _ in 0..<3 where script == nil {
            let base = try ServerProcess.freePort()
            guard base < 65_535 else { continue }
            ports = [base, base + 1]
            script = try? ServerProcess(
                command: ["/bin/bash", repository.path + "/scripts/cluster.sh", "2", String(base)], port: ports[1],
                environment: environment, startTimeout: .seconds(60))
        }
        let running = try #require(script)
        // The script was taken as started when the last node's port answered; the others may come up later.
        for port in ports { #expect(eventuallyAccepts(port, within: .seconds(30))) }
        let (status, killed) = running.stop(grace: .seconds(15))
        #expect(!killed && status == .exited(143))
        for port in ports { #expect(!accepts(port)) }
    }
}

/// Whether something on 127.0.0.1 accepts a connection on `port` within `timeout`.
private func eventuallyAccepts(_ port: UInt16, within timeout: Duration) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !accepts(port) {
        guard ContinuousClock.now < deadline else { return false }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return true
}

/// Whether something on 127.0.0.1 accepts a connection on `port` now.
private func accepts(_ port: UInt16) -> Bool {
    guard let socket = try? SocketDescriptor.connect(host: "127.0.0.1", port: port) else { return false }
    socket.close()
    return true
}
