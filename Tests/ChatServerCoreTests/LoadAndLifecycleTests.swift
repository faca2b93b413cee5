import ChatProcess
import ChatProtocol
import ChatSocket
import ChatTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Many connections, churn, descriptor exhaustion and shutdown, seen from outside the server process.
@Suite(.timeLimit(.minutes(5))) struct LoadAndLifecycleTests {
    init() {
        ResourceLimits.raiseDescriptorLimit()
    }

    @Test func churnLeaksNoDescriptorsAndLeavesTheServerWorking() throws {
        let server = try ServerProcess(["--rate", "0", "--log-level", "warning"])
        defer { server.finish() }
        // Sockets only: the listener, and the start-up probe's connection until the server has closed it.
        var baseline = try server.openSockets()
        for _ in 0..<250 where baseline > 1 {
            usleep(20_000)
            baseline = try server.openSockets()
        }
        #expect(baseline == 1, "\(server.describeDescriptors())")
        let hello = try PacketEncoder.frame(ClientPacket.hello(nick: "x", features: []))
        for cycle in 0..<1_000 {
            let client = try RawClient(port: server.port)
            switch cycle % 4 {
            case 0: client.close()
            case 1:
                try client.send(.hello(nick: "churn\(cycle)", features: []))
                client.close()
            case 2:
                try client.send(bytes: Array(hello.prefix(5)))
                client.reset()
            default:
                try client.send(.hello(nick: "churn\(cycle)", features: []))
                try client.send(bytes: Array(hello.prefix(3)))
                client.reset()
            }
        }
        let pat = try RawClient.joined("pat", port: server.port)
        try pat.send(.chat(message: "after the churn"))
        // Churned clients the server is still closing may come and go in the lobby first.
        var packet = try pat.receive()
        while case .join = packet { packet = try pat.receive() }
        while case .leave = packet { packet = try pat.receive() }
        #expect(packet == .chat(nick: "pat", message: "after the churn"))
        // The count sees a live connection (so it could see a leaked one).
        let withPat = try server.openSockets()
        pat.close()
        // Closing a thousand connections takes the server a moment, longer under a sanitizer.
        let deadline = ContinuousClock.now + .seconds(30)
        while try server.openSockets() > baseline && ContinuousClock.now < deadline { usleep(20_000) }
        #expect(try server.openSockets() == baseline)
        #expect(withPat >= baseline + 1)
    }

    @Test func aThousandClientsAllReceiveOneMessage() throws {
        let server = try ServerProcess(["--rate", "0", "--log-level", "warning"])
        defer { server.finish() }
        var clients: [RawClient] = []
        for index in 0..<1_000 { clients.append(try RawClient.joined("u\(index)", port: server.port)) }
        try clients[0].send(.chat(message: "to all thousand"))
        for client in clients {
            var packet = try client.receive()
            while case .join = packet { packet = try client.receive() }
            #expect(packet == .chat(nick: "u0", message: "to all thousand"))
        }
        #expect(try server.openDescriptors() > 1_000)
    }

    @Test func sigtermDeliversWhatIsQueuedThenClosesAndExitsZero() throws {
        let server = try ServerProcess(["--rate", "0"])
        defer { server.finish() }
        let pat = try RawClient.joined("pat", port: server.port, features: .all)
        let leslie = try RawClient.joined("leslie", port: server.port, features: .all)
        let base = try RawClient.joined("chris", port: server.port)
        for index in 0..<200 { try pat.send(.chat(message: "m\(index)")) }
        // Once pat has its own 200 echoes the server has handled them all; the others have read nothing yet.
        var echoes = 0
        while echoes < 200 {
            if case .chat = try pat.receive() { echoes += 1 }
        }
        server.signal(SIGTERM)
        for client in [leslie, base] {
            let packets = try client.waitForClose()
            #expect(packets.filter { if case .chat = $0 { true } else { false } }.count == 200)
        }
        #expect(try pat.receive() == .info(message: "server shutting down"))
        #expect(try pat.waitForClose() == [])
        #expect(server.waitForExit(within: .seconds(5)) == .exited(0))
        #expect(server.log.contains("stopped"))
    }

    @Test func sigintAlsoStopsCleanly() throws {
        let server = try ServerProcess()
        defer { server.finish() }
        let pat = try RawClient.joined("pat", port: server.port)
        server.signal(SIGINT)
        #expect(try pat.waitForClose() == [])
        #expect(server.waitForExit(within: .seconds(5)) == .exited(0))
    }

    @Test func descriptorExhaustionDoesNotSpinTheLoop() throws {
        let server = try ServerProcess(["--max-clients", "1000", "--log-level", "error"], shell: "ulimit -n 64")
        defer { server.finish() }
        // Bare connections: they only need to be pending (over TLS a client could not even finish its handshake).
        var clients: [SocketDescriptor] = []
        for _ in 0..<80 { clients.append(try SocketDescriptor.connect(host: "127.0.0.1", port: server.port)) }
        usleep(200_000)
        let before = try server.cpuSeconds()
        usleep(1_000_000)
        let spent = try server.cpuSeconds() - before
        #expect(spent < 0.3, "the server burned \(spent) s of CPU while out of descriptors")
        for client in clients.prefix(40) { client.close() }
        clients.removeFirst(40)
        let late = try RawClient.joined("late", port: server.port, within: .seconds(20))
        try late.send(.chat(message: "room again"))
        #expect(try late.receive() == .chat(nick: "late", message: "room again"))
        // Stopped with its table still full: SIGTERM arrives on a descriptor made at start (signalfd), so it
        // needs none when it comes (a libdispatch signal source, before, sometimes missed it here).
        server.signal(SIGTERM)
        #expect(server.waitForExit(within: .seconds(5)) == .exited(0))
        for client in clients { client.close() }
        withExtendedLifetime(late) {}
    }

    @Test func theDefaultHelloTimeoutIsTenSeconds() throws {
        let server = try ServerProcess()
        defer { server.finish() }
        let idle = try RawClient(port: server.port)
        let start = ContinuousClock.now
        // Not before 10 s, and by 10 s plus 4 s of slack for a loaded machine or a sanitizer.
        let packet = try idle.receive(within: .seconds(14))
        let waited = ContinuousClock.now - start
        guard case .error(.timeout, _) = packet else { throw RawClient.Failure("expected error timeout: \(packet)") }
        #expect(waited >= .milliseconds(9_900), "the server gave up after \(waited)")
        #expect(try idle.waitForClose() == [])
    }

    @Test func bindFailureSaysWhyAndExitsOne() throws {
        let first = try ServerProcess()
        defer { first.finish() }
        let binary = ServerProcess.binaryDirectory.appendingPathComponent("chat-server")
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("bind-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let status = try ServerProcess.run(
            [binary.path, String(first.port), "--host", "127.0.0.1"], environment: ProcessInfo.processInfo.environment,
            errorLog: log, within: .seconds(10))
        #expect(
            status == .exited(1),
            "on a taken port, chat-server ended with \(status.map { "\($0)" } ?? "no exit within 10 s")")
        #expect(
            try ServerProcess.readFile(log) == "chat-server: bind 127.0.0.1:\(first.port): Address already in use\n")
    }
}
