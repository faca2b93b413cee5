import ChatProtocol
import ChatSocket
import ChatTestSupport
import Foundation
import Testing

@testable import ChatClientCore

/// Nothing a server sends can crash the client: it skips what it cannot use, and a lost connection is
/// reconnected (here: one attempt, to a listener that is gone, then it gives up).
@Suite(.timeLimit(.minutes(5))) struct HostileServerTests {
    func run(_ server: FakeServer, script: [String] = []) -> (ChatSession.Outcome, [String]) {
        let frontEnd = ScriptedFrontEnd(script)
        let outcome = ChatSession(nick: "pat", host: "127.0.0.1", port: server.port, timing: .oneQuickAttempt).run(
            frontEnd: frontEnd)
        server.wait()
        return (outcome, frontEnd.lines)
    }

    @Test func aBaseServerWorks() throws {
        let server = try FakeServer { socket, decoder in
            try FakeServer.greet(socket, &decoder)
            guard case .chat(let text) = try FakeServer.receive(socket, &decoder) else { return }
            let echo = #"{"type":"chat","nick":"pat","message":"\#(text)","color":"red"}"#
            try socket.sendAll(try PacketEncoder.frame(payload: Array(echo.utf8)))
            try socket.sendAll(try PacketEncoder.frame(payload: Array(#"{"type":"typing","nick":"x"}"#.utf8)))
            try socket.sendAll(try PacketEncoder.frame(payload: Array(#"{"type":"leave","nick":"chris"}"#.utf8)))
        }
        let (outcome, lines) = run(server, script: ["hi"])
        #expect(lines.prefix(3) == ["*** pat has joined the chat", "pat: hi", "*** chris has left the chat"])
        guard case .disconnected = outcome else {
            Issue.record("expected disconnected, got \(outcome)")
            return
        }
        #expect(
            lines.suffix(2) == [
                "*** disconnected from server (connection closed by server)",
                "*** gave up reconnecting after 1 attempt",
            ])
    }

    @Test func garbageIsSkippedWithAClearLine() throws {
        let server = try FakeServer { socket, decoder in
            try FakeServer.greet(socket, &decoder)
            try socket.sendAll([0, 5, 0xFF, 0xFE, 0x00, 0x1B, 0x5B])
            try socket.sendAll(try PacketEncoder.frame(ServerPacket.chat(nick: "x", message: "after")))
            usleep(200_000)
        }
        let (outcome, lines) = run(server)
        guard case .disconnected(let reason) = outcome else {
            Issue.record("expected disconnected, got \(outcome)")
            return
        }
        #expect(!reason.contains("malformed"))
        #expect(lines.contains { $0.hasPrefix("*** skipped a malformed packet from the server (") })
        #expect(lines.contains("x: after"))
    }

    @Test func aResetEndsTheSession() throws {
        let server = try FakeServer { socket, decoder in
            try FakeServer.greet(socket, &decoder)
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            _ = setsockopt(socket.rawValue, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        }
        let (outcome, lines) = run(server)
        guard case .disconnected = outcome else {
            Issue.record("expected disconnected, got \(outcome)")
            return
        }
        #expect(lines.contains { $0.hasPrefix("*** disconnected from server (") })
    }

    @Test func aFloodIsShownInFullAndSanitized() throws {
        let count = 20_000
        let server = try FakeServer { socket, decoder in
            try FakeServer.greet(socket, &decoder)
            var stream: [UInt8] = []
            for index in 0..<count {
                stream += try PacketEncoder.frame(ServerPacket.chat(nick: "x\u{1B}", message: "\(index)\u{7}"))
            }
            try socket.sendAll(stream)
        }
        let (_, lines) = run(server)
        let chats = lines.filter { $0.hasPrefix("x\u{FFFD}: ") }
        #expect(chats.count == count)
        #expect(chats.last == "x\u{FFFD}: \(count - 1)\u{FFFD}")
    }

    @Test func aServerThatRejectsTheNickEndsTheRun() throws {
        let server = try FakeServer { socket, decoder in
            _ = try FakeServer.receive(socket, &decoder)
            let error = ServerPacket.error(code: .badNick, message: "not\u{1B}[2J today")
            try socket.sendAll(try PacketEncoder.frame(error))
        }
        let (outcome, lines) = run(server)
        #expect(outcome == .rejected("not\u{FFFD}[2J today"))
        #expect(lines == ["*** error: not\u{FFFD}[2J today"])
    }

    @Test func aServerThatVanishesBeforeAnsweringIsAConnectFailure() throws {
        let server = try FakeServer { socket, decoder in
            _ = try FakeServer.receive(socket, &decoder)
        }
        let (outcome, _) = run(server)
        guard case .connectFailed = outcome else {
            Issue.record("expected a connect failure, got \(outcome)")
            return
        }
    }
}

extension LinkStateMachine.Timing {
    /// One reconnect attempt 20 ms after a drop, then give up: for tests whose server goes away for good.
    static let oneQuickAttempt = LinkStateMachine.Timing(
        handshakeTimeout: 10_000, idleBeforePing: 30_000, pingTimeout: 30_000,
        backoff: Backoff(initial: 20, maximum: 20, jitter: 0), maxAttempts: 1)
}
