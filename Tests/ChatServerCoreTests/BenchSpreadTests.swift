import ChatProcess
import ChatTestSupport
import Foundation
import Testing

/// `chat-bench` spread over several ports (`--port` repeated, `--ports a,b`), here all of one real server, so
/// that its checks (joins, per-sender order, exactly-once) must pass exactly as against one port.
@Suite(.timeLimit(.minutes(2))) struct BenchSpreadTests {
    static var bench: String { ServerProcess.binaryDirectory.appendingPathComponent("chat-bench").path }

    @Test func clientsSpreadOverSeveralPortsPassTheBenchChecks() throws {
        let server = try ServerProcess()
        defer { server.finish() }
        let port = String(server.port)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: output) }
        var command = [Self.bench, "--port", port, "--ports", "\(port),\(port)", "--clients", "30", "--senders", "3"]
        command += ["--duration", "0.5", "--json-only"] + (TestTransport.isTLS ? ["--tls"] : [])
        let status = try ServerProcess.run(command, errorLog: output.path, within: .seconds(90))
        let log = (try? ServerProcess.readFile(output.path)) ?? ""
        #expect(status == .exited(0), "chat-bench: \(log)")
    }

    @Test(arguments: [
        ["--ports", "1,x"], ["--ports", "1,,2"], ["--ports", "0"], ["--spawn-server", "/bin/true", "--port", "1"],
    ])
    func badPortListsAreUsageErrors(arguments: [String]) throws {
        // ArgumentParser's usage status (EX_USAGE): chat-bench is a plain ParsableCommand.
        #expect(try ServerProcess.run([Self.bench] + arguments, within: .seconds(30)) == .exited(64))
    }
}
