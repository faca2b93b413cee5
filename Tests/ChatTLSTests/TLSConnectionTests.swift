import ChatSocket
import ChatTLS
import ChatTestSupport
import Foundation
import Testing

@Suite(.timeLimit(.minutes(2))) struct TLSConnectionTests {
    @Test func handshakeCompletesAndBytesFlowBothWays() throws {
        let pair = try TLSPair.connected(try TestCertificates.get())
        #expect(pair.client.isHandshakeDone && pair.server.isHandshakeDone)
        #expect(["TLSv1.2", "TLSv1.3"].contains(pair.client.protocolVersion))
        #expect(pair.client.cipherSuite != nil)
        try send(Array("hello server".utf8), from: pair.client, to: pair.server)
        try send(Array("hello client".utf8), from: pair.server, to: pair.client)
        #expect(pair.server.peerCertificateSHA256 == nil)
    }

    @Test func oneMegabyteGoesThroughPartialWrites() throws {
        let pair = try TLSPair.connected(try TestCertificates.get(), sendBuffer: 32_768)
        let message = (0..<1_048_576).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
        var sent = 0
        var received: [UInt8] = []
        var wantWrites = 0
        var partialWrites = 0
        var buffer = [UInt8](repeating: 0, count: 5_000)
        let deadline = ContinuousClock.now + .seconds(60)
        while received.count < message.count && ContinuousClock.now < deadline {
            // Write until the socket is full, as the server loop does; after .wantWrite the same bytes are
            // offered again, from the same offset, once poll says the socket is writable.
            writing: while sent < message.count {
                switch message.withUnsafeBytes({ pair.server.write(UnsafeRawBufferPointer(rebasing: $0[sent...])) }) {
                case .wrote(let count):
                    if count < message.count - sent { partialWrites += 1 }
                    sent += count
                case .wantWrite:
                    wantWrites += 1
                    break writing
                case let other: throw TLSTestFailure("write: \(other)")
                }
            }
            var reading = true
            while reading {
                switch buffer.withUnsafeMutableBytes({ pair.client.read(into: $0) }) {
                case .bytes(let count): received += buffer[0..<count]
                case .wantRead: reading = false
                case let other: throw TLSTestFailure("read: \(other)")
                }
            }
            var entries = [
                pollfd(fd: pair.server.fd, events: Int16(POLLOUT), revents: 0),
                pollfd(fd: pair.client.fd, events: Int16(POLLIN), revents: 0),
            ]
            _ = poll(&entries, 2, 20)
        }
        #expect(received.count == message.count)
        #expect(received == message)
        #expect(wantWrites > 0)
        #expect(partialWrites > 0)
    }

    @Test func pendingBytesAreReadableWhileTheSocketIsNot() throws {
        let pair = try TLSPair.connected(try TestCertificates.get())
        let message = (0..<100).map { UInt8($0) }
        #expect(message.withUnsafeBytes { pair.server.write($0) } == .wrote(100))
        #expect(wait(for: pair.sockets.client, Int16(POLLIN)))
        var small = [UInt8](repeating: 0, count: 10)
        #expect(small.withUnsafeMutableBytes { pair.client.read(into: $0) } == .bytes(10))
        #expect(small == Array(message[0..<10]))
        #expect(pair.client.pendingBytes == 90)
        #expect(!wait(for: pair.sockets.client, Int16(POLLIN), milliseconds: 0))
        var rest = [UInt8](repeating: 0, count: 200)
        #expect(rest.withUnsafeMutableBytes { pair.client.read(into: $0) } == .bytes(90))
        #expect(rest[0..<90] == message[10...])
        #expect(pair.client.pendingBytes == 0)
        #expect(rest.withUnsafeMutableBytes { pair.client.read(into: $0) } == .wantRead)
    }

    @Test func closeNotifyAndAPlainEndOfStreamBothReadAsClosed() throws {
        let certificates = try TestCertificates.get()
        let notified = try TLSPair.connected(certificates)
        #expect(notified.client.shutdown() == .done)
        #expect(wait(for: notified.sockets.server, Int16(POLLIN)))
        #expect(readOnce(notified.server) == .closed)

        let cut = try TLSPair.connected(certificates)
        cut.sockets.close(cut.sockets.client)
        #expect(wait(for: cut.sockets.server, Int16(POLLIN)))
        #expect(readOnce(cut.server) == .closed)
        #expect(cut.server.shutdown() == .done)
    }

    @Test func writingToAResetPeerFailsWithoutKillingTheProcess() throws {
        let pair = try TLSPair.connected(try TestCertificates.get())
        try pair.sockets.reset(pair.sockets.client)
        let chunk = [UInt8](repeating: 7, count: 16_384)
        var result = TLSWriteResult.wrote(0)
        for _ in 0..<100 {
            result = chunk.withUnsafeBytes { pair.server.write($0) }
            if case .failed = result { break }
            usleep(2_000)
        }
        guard case .failed(let error) = result else {
            Issue.record("writes to a reset peer kept succeeding: \(result)")
            return
        }
        #expect(error.step == "write")
        #expect(pair.server.shutdown() == .done)
    }

    @Test func freeingTheConnectionLeavesTheDescriptorOpen() throws {
        let certificates = try TestCertificates.get()
        let sockets = try LoopbackPair()
        do {
            let context = try TLSClientContext(caFile: certificates.caCertificate)
            let connection = try TLSConnection(context: context, fd: sockets.client.rawValue, host: "localhost")
            #expect(connection.handshake() == .wantRead)
        }
        #expect(fcntl(sockets.client.rawValue, F_GETFD) != -1)
        #expect(try sockets.client.send(UnsafeRawBufferPointer(start: nil, count: 0)) == 0)
    }

    // MARK: - Helpers

    /// Writes all of `bytes` on one side and reads them on the other.
    private func send(_ bytes: [UInt8], from writer: TLSConnection, to reader: TLSConnection) throws {
        #expect(bytes.withUnsafeBytes { writer.write($0) } == .wrote(bytes.count))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1_024)
        let deadline = ContinuousClock.now + .seconds(10)
        while received.count < bytes.count && ContinuousClock.now < deadline {
            switch buffer.withUnsafeMutableBytes({ reader.read(into: $0) }) {
            case .bytes(let count): received += buffer[0..<count]
            case .wantRead: wait(for: SocketDescriptor(rawValue: reader.fd), Int16(POLLIN), milliseconds: 100)
            case let other: throw TLSTestFailure("read: \(other)")
            }
        }
        #expect(received == bytes)
    }

    private func readOnce(_ connection: TLSConnection) -> TLSReadResult {
        var buffer = [UInt8](repeating: 0, count: 64)
        return buffer.withUnsafeMutableBytes { connection.read(into: $0) }
    }
}

struct TLSTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
