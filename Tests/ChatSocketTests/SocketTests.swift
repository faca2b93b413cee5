import ChatSocket
import SystemPackage
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite(.timeLimit(.minutes(5))) struct SocketTests {
    /// Accepts one pending connection, waiting briefly for it to arrive.
    func acceptOne(_ listener: SocketDescriptor) throws -> SocketDescriptor {
        for _ in 0..<200 {
            if let accepted = try listener.accept() { return accepted }
            usleep(5_000)
        }
        throw Errno.timedOut
    }

    @Test(arguments: [
        ("localhost", "localhost"), ("127.0.0.1", "localhost"), ("127.0.0.1", "127.0.0.1"), ("::1", "::1"),
    ])
    /// `localhost` may resolve to 127.0.0.1, ::1 or both; whichever answers, listening and connecting agree.
    func localhostWorksWhicheverFamilyAnswers(_ listenOn: String, _ connectTo: String) throws {
        let listener = try SocketDescriptor.listen(host: listenOn, port: 0)
        defer { listener.close() }
        let port = try listener.localAddress().port
        let client = try SocketDescriptor.connect(host: connectTo, port: port)
        defer { client.close() }
        let server = try acceptOne(listener)
        defer { server.close() }
        try client.sendAll(Array("ping".utf8))
        var buffer = [UInt8](repeating: 0, count: 16)
        var received: SocketDescriptor.ReadResult = .wouldBlock
        for _ in 0..<200 where received == .wouldBlock {
            received = try buffer.withUnsafeMutableBytes { try server.read(into: $0) }
            if received == .wouldBlock { usleep(5_000) }
        }
        #expect(received == .bytes(4))
        #expect(String(decoding: buffer[0..<4], as: UTF8.self) == "ping")
    }

    @Test func wildcardListenerTakesIPv4AndIPv6() throws {
        let listener = try SocketDescriptor.listen(host: nil, port: 0)
        defer { listener.close() }
        let port = try listener.localAddress().port
        for host in ["127.0.0.1", "::1"] {
            let client = try SocketDescriptor.connect(host: host, port: port)
            let server = try acceptOne(listener)
            #expect(try server.peerAddress().host == host)
            server.close()
            client.close()
        }
    }

    @Test func errorsNameTheStepAndAddress() throws {
        let listener = try SocketDescriptor.listen(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let port = try listener.localAddress().port
        #expect(throws: SocketError.self) { try SocketDescriptor.listen(host: "127.0.0.1", port: port) }
        do {
            _ = try SocketDescriptor.listen(host: "127.0.0.1", port: port)
        } catch {
            #expect(error.description == "bind 127.0.0.1:\(port): Address already in use")
        }
        do {
            _ = try SocketDescriptor.connect(host: "no-such-host.invalid", port: 1)
            Issue.record("resolved a name that cannot resolve")
        } catch {
            #expect(error.operation == "resolve")
        }
    }

    @Test func sendToAClosedPeerIsAnErrorNotSIGPIPE() throws {
        let listener = try SocketDescriptor.listen(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try SocketDescriptor.connect(host: "127.0.0.1", port: try listener.localAddress().port)
        let server = try acceptOne(listener)
        defer { server.close() }
        client.close()
        let chunk = [UInt8](repeating: 0, count: 65_536)
        var failure: Errno?
        for _ in 0..<100 where failure == nil {
            let result = chunk.withUnsafeBytes { raw in Result { () throws(Errno) in try server.send(raw) } }
            if case .failure(let error) = result { failure = error }
            usleep(1_000)
        }
        #expect(failure == .brokenPipe || failure == .connectionReset)
    }

    @Test func endOfStreamIsAValueNotAnError() throws {
        let listener = try SocketDescriptor.listen(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try SocketDescriptor.connect(host: "127.0.0.1", port: try listener.localAddress().port)
        let server = try acceptOne(listener)
        defer { server.close() }
        try client.shutdown(.write)
        var buffer = [UInt8](repeating: 0, count: 8)
        var result = SocketDescriptor.ReadResult.wouldBlock
        for _ in 0..<200 where result == .wouldBlock {
            result = try buffer.withUnsafeMutableBytes { try server.read(into: $0) }
            if result == .wouldBlock { usleep(5_000) }
        }
        #expect(result == .endOfStream)
        client.close()
    }
}

@Suite(.timeLimit(.minutes(5))) struct SelectSetTests {
    @Test func setsGrowAndIterateInOrder() {
        var set = SelectSet()
        for fd: CInt in [3, 64, 65, 2000, 1023, 1024] { set.insert(SocketDescriptor(rawValue: fd)) }
        set.remove(SocketDescriptor(rawValue: 65))
        #expect(set.contains(SocketDescriptor(rawValue: 2000)))
        #expect(!set.contains(SocketDescriptor(rawValue: 65)))
        #expect(!set.contains(SocketDescriptor(rawValue: 99_999)))
        var seen: [CInt] = []
        set.forEach { seen.append($0.rawValue) }
        #expect(seen == [3, 64, 1023, 1024, 2000])
        #expect(set.capacity >= 2001)
    }

    @Test func selectSeesDescriptorsPastFDSetSize() throws {
        ResourceLimits.raiseDescriptorLimit()
        // Push descriptor numbers past 1024 with throwaway pipes, then watch a pipe numbered above them.
        var filler: [CInt] = []
        defer { filler.forEach { close($0) } }
        var ends: [CInt] = [0, 0]
        while ends[0] <= 1100 {
            guard pipe(&ends) == 0 else {
                Issue.record("cannot open enough descriptors: \(Errno(rawValue: errno))")
                return
            }
            filler += ends
        }
        let readEnd = SocketDescriptor(rawValue: ends[0])
        var read = SelectSet()
        var write = SelectSet()
        read.insert(readEnd)
        #expect(try Select.wait(read: &read, write: &write, timeout: .milliseconds(10)) == 0)
        var byte: UInt8 = 1
        #expect(Glibc.write(ends[1], &byte, 1) == 1)
        read = SelectSet()
        read.insert(readEnd)
        #expect(try Select.wait(read: &read, write: &write, timeout: .seconds(1)) == 1)
        #expect(read.contains(readEnd))
    }
}
