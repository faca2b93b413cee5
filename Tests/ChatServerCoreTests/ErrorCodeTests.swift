import ChatProtocol
import ChatTestSupport
import Testing

/// Every error code, with the connection policy: closed before hello, open after.
@Suite(.timeLimit(.minutes(5))) struct ErrorCodeTests {
    /// Sends `bytes` on a fresh connection and returns the error code and what came after it before the server
    /// closed the connection (which must happen within `RawClient.patience`).
    func beforeHello(_ server: TestServer, _ bytes: [UInt8]) throws -> (ErrorCode?, [ServerPacket]) {
        let client = try RawClient(port: server.port)
        try client.send(bytes: bytes)
        let packet = try client.receive()
        guard case .error(let code, _) = packet else { return (nil, [packet]) }
        return (code, try client.waitForClose())
    }

    func frame(_ json: String) throws -> [UInt8] { try PacketEncoder.frame(payload: Array(json.utf8)) }

    static let preHello: [(String, String, ErrorCode)] = [
        ("not JSON", "nonsense", .badPacket),
        ("not an object", "[1,2]", .badPacket),
        ("no type", #"{"nick":"pat"}"#, .badPacket),
        ("lone surrogate", #"{"type":"hello","nick":"\ud800"}"#, .badPacket),
        ("hello without nick", #"{"type":"hello"}"#, .badPacket),
        ("hello with numeric nick", #"{"type":"hello","nick":42}"#, .badPacket),
        ("chat before hello", #"{"type":"chat","message":"hi"}"#, .notJoined),
        ("chat without fields before hello", #"{"type":"chat"}"#, .notJoined),
        ("features not strings", #"{"type":"hello","nick":"pat","features":[1]}"#, .badPacket),
        ("features not an array", #"{"type":"hello","nick":"pat","features":"dm"}"#, .badPacket),
        ("unknown type before hello", #"{"type":"shout"}"#, .notJoined),
        ("empty nick", #"{"type":"hello","nick":""}"#, .badNick),
        ("nick with space", #"{"type":"hello","nick":"pat smith"}"#, .badNick),
        ("nick too long", #"{"type":"hello","nick":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#, .badNick),
        ("nick with bidi override", #"{"type":"hello","nick":"pat\u202e"}"#, .badNick),
    ]

    @Test(arguments: preHello) func errorsBeforeHelloCloseTheConnection(
        _ name: String, _ json: String, _ code: ErrorCode
    )
        throws
    {
        let server = try TestServer()
        defer { server.stop() }
        let (received, after) = try beforeHello(server, try frame(json))
        #expect(received == code, "\(name)")
        #expect(after.isEmpty, "\(name)")
    }

    @Test func invalidUTF8AndEmptyPayloadBeforeHello() throws {
        let server = try TestServer()
        defer { server.stop() }
        #expect(try beforeHello(server, [0, 3, 0x7B, 0xFF, 0x7D]) == (.badPacket, []))
        #expect(try beforeHello(server, [0, 0]) == (.badPacket, []))
    }

    static let afterHello: [(String, String, ErrorCode)] = [
        ("not JSON", "{", .badPacket),
        ("unknown type", #"{"type":"shout","message":"hi"}"#, .unknownType),
        ("second hello", #"{"type":"hello","nick":"other"}"#, .alreadyJoined),
        ("second hello with bad nick", #"{"type":"hello","nick":""}"#, .alreadyJoined),
        ("chat without message", #"{"type":"chat"}"#, .badPacket),
        ("chat with number", #"{"type":"chat","message":1}"#, .badPacket),
        ("dm to nobody", #"{"type":"dm","to":"ghost","message":"hi"}"#, .noSuchNick),
        ("dm to invalid nick", #"{"type":"dm","to":"no one","message":"hi"}"#, .noSuchNick),
        ("join bad room", #"{"type":"join","room":"no room"}"#, .badRoom),
        ("join empty room", #"{"type":"join","room":""}"#, .badRoom),
        ("deep nesting", #"{"type":"chat","message":"x","n":"# + String(repeating: "[", count: 5000) + "}", .badPacket),
    ]

    @Test(arguments: afterHello) func errorsAfterHelloKeepTheConnectionOpen(
        _ name: String, _ json: String, _ code: ErrorCode
    ) throws {
        let server = try TestServer()
        defer { server.stop() }
        let pat = try RawClient.joined("pat", port: server.port)
        try pat.send(bytes: try frame(json))
        guard case .error(let received, _) = try pat.receive() else {
            Issue.record("\(name): no error")
            return
        }
        #expect(received == code, "\(name)")
        try pat.send(.chat(message: "still open"))
        #expect(try pat.receive() == .chat(nick: "pat", message: "still open"), "\(name)")
    }

    @Test func tooLongIsJudgedOnTheRelayedForm() throws {
        let server = try TestServer()
        defer { server.stop() }
        let pat = try RawClient.joined("pat", port: server.port)
        let leslie = try RawClient.joined("leslie", port: server.port)
        _ = try pat.receive()
        // The client's payload fits; the relay adds "nick" and does not.
        let text = String(repeating: "a", count: 65_535 - #"{"type":"chat","message":""}"#.utf8.count)
        try pat.send(.chat(message: text))
        guard case .error(.tooLong, _) = try pat.receive() else { throw RawClient.Failure("no too_long") }
        // The emote's downgraded form ("pat " + text) is the longer one.
        let emote = String(
            repeating: "b", count: 65_535 - #"{"type":"chat","nick":"*","message":"pat "}"#.utf8.count + 1)
        try pat.send(.emote(message: emote))
        guard case .error(.tooLong, _) = try pat.receive() else { throw RawClient.Failure("no too_long") }
        try leslie.expectNothing()
        try pat.send(.chat(message: "short"))
        #expect(try leslie.receive() == .chat(nick: "pat", message: "short"))
    }

    @Test(.disabled(if: TestServer.clusterNodes > 1, "--max-clients is per node; clients go round robin"))
    func serverFullIsSentOnAccept() throws {
        let server = try TestServer { $0.maxClients = 2 }
        defer { server.stop() }
        let first = try RawClient.joined("one", port: server.port)
        let second = try RawClient.joined("two", port: server.port)
        #expect(try first.receive() == .join(nick: "two", room: "lobby"))
        let third = try RawClient(port: server.port, name: "three")
        try third.send(.hello(nick: "three", features: []))
        #expect(try third.receive() == .error(code: .serverFull, message: "server full"))
        // Its error and nothing else, then the close; and nobody sees it join (or leave).
        #expect(try third.waitForClose() == [])
        try first.expectNothing()
        try second.expectNothing()
        // The two inside still talk.
        try second.send(.chat(message: "still two"))
        #expect(try first.receive() == .chat(nick: "two", message: "still two"))
    }

    @Test func helloTimeout() throws {
        let server = try TestServer { $0.helloTimeout = .milliseconds(300) }
        defer { server.stop() }
        let idle = try RawClient(port: server.port)
        guard case .error(.timeout, _) = try idle.receive(within: .seconds(5)) else {
            throw RawClient.Failure("no timeout error")
        }
        #expect(try idle.waitForClose() == [])
        let prompt = try RawClient.joined("prompt", port: server.port)
        try prompt.send(.chat(message: "fine"))
        #expect(try prompt.receive() == .chat(nick: "prompt", message: "fine"))
    }
}
