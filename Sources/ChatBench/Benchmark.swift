import ChatProcess
import ChatProtocol

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Runs the phases in order, connect and join, idle, load and drain, sampling the server around them.
enum Benchmark {
    /// Runs one benchmark against `configuration.port`, or against a server spawned from `serverPath`.
    static func run(
        _ configuration: BenchConfiguration, serverPath: String?, serverPID: Int32?
    ) throws(BenchError) -> BenchReport {
        try selfCheck()
        var configuration = configuration
        let server = try serverPath.map { (path) throws(BenchError) in
            try spawnServer(path, clients: configuration.clients, extra: configuration.serverArguments)
        }
        if let server { configuration.port = server.port }
        let pid = server?.pid ?? serverPID
        var report = BenchReport(configuration: configuration)
        report.serverPID = pid
        var generator: LoadGenerator
        do {
            generator = try LoadGenerator(configuration: configuration)
        } catch {
            server?.stop()
            throw error
        }
        report.serverRSSBefore = pid.flatMap(ProcessStats.residentKiB)
        report.join = generator.connectAndJoin()
        if configuration.idle > 0 { idle(&generator, into: &report, pid: pid) }
        report.serverRSSJoined = pid.flatMap(ProcessStats.residentKiB)
        // Load on top of an unfinished join storm would measure the storm; the run has failed already.
        if !report.join.timedOut { load(&generator, into: &report, pid: pid) }
        report.serverRSSAfter = pid.flatMap(ProcessStats.residentKiB)
        // Stop the server first: its shutdown closes the connections, which avoids a storm of `leave` packets.
        server?.signal(SIGTERM)
        generator.closeAll()
        if let server, server.waitForExit(within: .seconds(5)) == nil { server.stop(grace: .zero) }
        return report
    }

    /// Starts `path` with no rate limit, room for `clients`, errors-only logging and then the `extra` arguments
    /// (`--server-arg`); it has 5 s to listen.
    private static func spawnServer(_ path: String, clients: Int, extra: [String]) throws(BenchError) -> ServerProcess {
        do {
            return try ServerProcess(
                executable: path,
                arguments: ["--rate", "0", "--max-clients", String(clients + 1_000), "--log-level", "error"] + extra,
                startTimeout: .seconds(5))
        } catch {
            throw BenchError(error.description)
        }
    }

    private static func idle(_ generator: inout LoadGenerator, into report: inout BenchReport, pid: Int32?) {
        let serverBefore = pid.flatMap(ProcessStats.cpuSeconds)
        let benchBefore = ProcessStats.ownCPUSeconds()
        let end = MonotonicClock.adding(generator.configuration.idle, to: MonotonicClock.now())
        while MonotonicClock.now() < end { generator.pass(until: end) }
        if let serverBefore, let serverAfter = pid.flatMap(ProcessStats.cpuSeconds) {
            report.idleServerCPUSeconds = serverAfter - serverBefore
        }
        report.idleBenchCPUSeconds = ProcessStats.ownCPUSeconds() - benchBefore
    }

    private static func load(_ generator: inout LoadGenerator, into report: inout BenchReport, pid: Int32?) {
        let serverBefore = pid.flatMap(ProcessStats.cpuSeconds)
        let benchBefore = ProcessStats.ownCPUSeconds()
        let joinsBefore = generator.joins.total + generator.joins.early
        let outcome = generator.runLoad()
        if let serverBefore, let serverAfter = pid.flatMap(ProcessStats.cpuSeconds) {
            report.serverCPUSeconds = serverAfter - serverBefore
        }
        report.benchCPUSeconds = ProcessStats.ownCPUSeconds() - benchBefore
        let tracker = generator.tracker
        report.loadSeconds = outcome.seconds
        report.drainTimedOut = outcome.drainTimedOut
        report.sent = tracker.totalSent
        report.delivered = tracker.delivered
        report.expected = tracker.totalExpected
        report.lost = tracker.lost
        report.duplicated = tracker.duplicated
        report.outOfOrder = tracker.outOfOrder
        report.foreign = tracker.foreign
        report.otherPackets = generator.otherPackets
        report.disconnects = generator.disconnects
        report.resume = generator.resume
        report.lateJoins = generator.joins.total + generator.joins.early - joinsBefore
        let latency = tracker.latency
        report.latency = (latency.percentile(50), latency.percentile(99), latency.percentile(99.9), latency.maximum)
    }

    /// The hand-written message frame must be what `PacketEncoder` writes, and the fast scanner must read the
    /// server's encoding of it back; checked once per run, so an encoding change cannot skew the figures.
    static func selfCheck() throws(BenchError) {
        var frame: [UInt8] = []
        LoadGenerator.appendMessage(sender: 3, sequence: 17, sentAt: 123_456_789, to: &frame)
        let reference = try? PacketEncoder.frame(ClientPacket.chat(message: "b 3 17 123456789"))
        guard frame == reference else { throw BenchError("self-check: message encoding differs from PacketEncoder") }
        guard let relayed = try? PacketEncoder.frame(ServerPacket.chat(nick: "b0", message: "b 3 17 123456789")),
            relayed.count > 2
        else { throw BenchError("self-check: cannot encode a relayed chat") }
        let scanned = relayed.dropFirst(2).withUnsafeBufferPointer { MessageScanner.scan($0) }
        let slow = relayed.dropFirst(2).withUnsafeBufferPointer { MessageScanner.slow($0) }
        let wanted = ScannedPacket.bench(sender: 3, sequence: 17, sentAt: 123_456_789)
        guard scanned == wanted, slow == wanted else { throw BenchError("self-check: scanner misreads a chat") }
        for replay in [false, true] {
            let stamp = ServerPacket.Stamp(id: 42, time: "2026-12-01T20:45:14.123Z", replay: replay)
            guard let stamped = try? PacketEncoder.frame(.chat(nick: "b0", message: "b 3 17 9", stamp: stamp)) else {
                throw BenchError("self-check: cannot encode a stamped chat")
            }
            let fast = stamped.dropFirst(2).withUnsafeBufferPointer { MessageScanner.scan($0) }
            let slow = stamped.dropFirst(2).withUnsafeBufferPointer { MessageScanner.slow($0) }
            let wanted = ScannedPacket.stampedBench(sender: 3, sequence: 17, sentAt: 9, id: 42, replay: replay)
            guard fast == wanted, slow == wanted else { throw BenchError("self-check: scanner misreads a stamp") }
        }
    }
}
