import ChatProcess
import ChatSocket
import ChatTestSupport
import Foundation
import Testing

@testable import ChatServerCore

/// Every default has one source, the library; the command line reads it from there.
@Suite struct ServerConfigurationTests {
    @Test func everyDefaultHasOneSource() {
        let defaults = ServerConfiguration(port: 0)
        #expect(defaults.maxSendQueue == 1 << 20)
        #expect(defaults.maxSendQueue == ServerConfiguration.defaultMaxSendQueue)
        #expect(defaults.helloTimeout == .seconds(10))
        #expect(defaults.rate == 200)
        #expect(defaults.burst == 1_000)
        #expect(defaults.shutdownGrace == .seconds(2))
        #expect(defaults.maxClients == ResourceLimits.descriptorLimit() - ServerConfiguration.reservedDescriptors)
        #expect(ServerConfiguration.reservedDescriptors == 32)
        #expect(defaults.backfill == 20 && defaults.replayLimit == 200 && defaults.historyLimit == 1_000)
        #expect(defaults.resumeGrace == .seconds(120) && defaults.pingInterval == .seconds(30))
    }

    /// What `chat-server --help` says each default is: the library's values, not numbers of its own.
    @Test(.timeLimit(.minutes(1))) func theCommandLineShowsTheLibrarysDefaults() throws {
        let help = NSTemporaryDirectory() + "chat-server-help-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(help) }
        let binary = ServerProcess.binaryDirectory.appendingPathComponent("chat-server").path
        let status = try ServerProcess.run(
            ["/bin/sh", "-c", "exec '\(binary)' --help >'\(help)'"], within: .seconds(20))
        #expect(status == .exited(0))
        let text = try ServerProcess.readFile(help)
            .replacingOccurrences(of: "\n", with: " ").split(separator: " ", omittingEmptySubsequences: true)
            .joined(separator: " ")
        let defaults = ServerConfiguration(port: 0)
        for expected in [
            "less \(ServerConfiguration.reservedDescriptors))", "(default: \(defaults.maxSendQueue))",
            "(default: \(defaults.helloTimeout / .seconds(1)))", "(default: \(defaults.rate))",
            "(default: \(defaults.burst))", "(default: \(defaults.historyLimit))", "(default: \(defaults.backfill))",
            "(default: \(defaults.replayLimit))", "(default: \(defaults.resumeGrace / .seconds(1)))",
            "(default: \(defaults.pingInterval / .seconds(1)))",
            "alive in the cluster without refreshing its lease. (default: \(ClusterSettings.defaultLease / .seconds(1)))",
        ] {
            #expect(text.contains(expected), "chat-server --help does not say \(expected)")
        }
    }

    /// `--cluster` takes only `redis://HOST[:PORT][/DB]`, and neither `--db` nor `--world` beside it.
    @Test(
        .timeLimit(.minutes(1)),
        arguments: [
            ["--cluster", "http://127.0.0.1:1"], ["--cluster", "redis://127.0.0.1:1", "--db", "/tmp/x.db"],
            ["--cluster", "redis://127.0.0.1:1", "--world", "worlds/saltmarsh.toml"], ["--node", "n1"],
            ["--cluster", "redis://127.0.0.1:1", "--node", "bad name"],
            ["--cluster", "redis://127.0.0.1:1", "--lease", "0"],
        ])
    func badClusterArgumentsAreUsageErrors(arguments: [String]) throws {
        let binary = ServerProcess.binaryDirectory.appendingPathComponent("chat-server").path
        #expect(try ServerProcess.run([binary, "1"] + arguments, within: .seconds(20)) == .exited(2))
    }
}
