import Testing

@testable import ChatProtocol

@Suite struct PacketCodingTests {
    static let serverPackets: [ServerPacket] = [
        .chat(nick: "pat", message: "hows it going"), .join(nick: "leslie", room: "lobby"),
        .leave(nick: "chris", room: "games"), .error(code: .noSuchNick, message: "no such user: chris"),
        .info(message: "welcome"), .dm(nick: "pat", to: "chris", message: "how's it going?"),
        .emote(nick: "pat", message: "goes out"), .who(room: "lobby", nicks: ["chris", "leslie", "pat"]),
        .rooms([.init(name: "games", count: 2), .init(name: "lobby", count: 5)]),
        .chat(nick: "é", message: "quote \" backslash \\ newline \n tab \t bell \u{7} 😀"),
    ]

    @Test(arguments: serverPackets) func serverPacketsRoundTrip(_ packet: ServerPacket) throws {
        let frame = try PacketEncoder.frame(packet)
        #expect(Int(frame[0]) << 8 | Int(frame[1]) == frame.count - 2)
        #expect(try ServerPacket(payload: frame[2...]) == packet)
    }

    @Test(arguments: FrameDecoderTests.packets) func clientPacketsRoundTrip(_ packet: ClientPacket) throws {
        let frame = try PacketEncoder.frame(packet)
        #expect(try ClientPacket(payload: frame[2...]) == packet)
    }

    @Test func baseWireFormIsExact() throws {
        let chat = try PacketEncoder.frame(ServerPacket.chat(nick: "pat", message: "hi"))
        #expect(String(decoding: chat[2...], as: UTF8.self) == #"{"type":"chat","nick":"pat","message":"hi"}"#)
        let join = try PacketEncoder.frame(ServerPacket.join(nick: "pat", room: "lobby"))
        #expect(String(decoding: join[2...], as: UTF8.self) == #"{"type":"join","nick":"pat","room":"lobby"}"#)
        let hello = try PacketEncoder.frame(ClientPacket.hello(nick: "pat", features: []))
        #expect(String(decoding: hello[2...], as: UTF8.self) == #"{"type":"hello","nick":"pat"}"#)
    }

    /// IC-4: every packet type in the key order of PROTOCOL.md's "Key order of our encoder", byte for byte.
    static let exactServerForms: [(ServerPacket, String)] = [
        (.chat(nick: "pat", message: "hi"), #"{"type":"chat","nick":"pat","message":"hi"}"#),
        (.join(nick: "pat", room: "games"), #"{"type":"join","nick":"pat","room":"games"}"#),
        (.join(nick: "pat", room: nil), #"{"type":"join","nick":"pat"}"#),
        (.leave(nick: "pat", room: "lobby"), #"{"type":"leave","nick":"pat","room":"lobby"}"#),
        (.leave(nick: "pat", room: nil), #"{"type":"leave","nick":"pat"}"#),
        (
            .error(code: .noSuchNick, message: "no such user: chris"),
            #"{"type":"error","code":"no_such_nick","message":"no such user: chris"}"#
        ),
        (.info(message: "welcome"), #"{"type":"info","message":"welcome"}"#),
        (.dm(nick: "pat", to: "chris", message: "psst"), #"{"type":"dm","nick":"pat","to":"chris","message":"psst"}"#),
        (.emote(nick: "pat", message: "waves"), #"{"type":"emote","nick":"pat","message":"waves"}"#),
        (.who(room: "lobby", nicks: ["chris", "pat"]), #"{"type":"who","room":"lobby","nicks":["chris","pat"]}"#),
        (.who(room: "empty", nicks: []), #"{"type":"who","room":"empty","nicks":[]}"#),
        (
            .rooms([.init(name: "games", count: 2), .init(name: "lobby", count: 10)]),
            #"{"type":"rooms","rooms":[{"name":"games","count":2},{"name":"lobby","count":10}]}"#
        ),
    ]

    @Test(arguments: exactServerForms) func serverPacketKeyOrderIsExact(_ packet: ServerPacket, _ json: String) throws {
        let frame = try PacketEncoder.frame(packet)
        #expect(Array(frame[2...]) == Array(json.utf8))
        #expect(Array(frame[..<2]) == [UInt8(json.utf8.count >> 8), UInt8(json.utf8.count & 0xFF)])
    }

    static let exactClientForms: [(ClientPacket, String)] = [
        (.hello(nick: "pat", features: []), #"{"type":"hello","nick":"pat"}"#),
        (
            .hello(nick: "pat", features: .all),
            #"{"type":"hello","nick":"pat","features":["dm","emote","who","rooms","info"]}"#
        ),
        (.hello(nick: "pat", features: [.info, .dm]), #"{"type":"hello","nick":"pat","features":["dm","info"]}"#),
        (.chat(message: "hi"), #"{"type":"chat","message":"hi"}"#),
        (.dm(to: "chris", message: "psst"), #"{"type":"dm","to":"chris","message":"psst"}"#),
        (.emote(message: "waves"), #"{"type":"emote","message":"waves"}"#),
        (.join(room: "games"), #"{"type":"join","room":"games"}"#),
        (.who, #"{"type":"who"}"#),
        (.leave, #"{"type":"leave"}"#),
        (.rooms, #"{"type":"rooms"}"#),
    ]

    @Test(arguments: exactClientForms) func clientPacketKeyOrderIsExact(_ packet: ClientPacket, _ json: String) throws {
        let frame = try PacketEncoder.frame(packet)
        #expect(Array(frame[2...]) == Array(json.utf8))
        #expect(Array(frame[..<2]) == [UInt8(json.utf8.count >> 8), UInt8(json.utf8.count & 0xFF)])
    }

    @Test func nonASCIIIsWrittenAsRawUTF8AndOnlyQuotesBackslashesAndControlsAreEscaped() throws {
        let frame = try PacketEncoder.frame(ServerPacket.chat(nick: "é", message: "日\"\\\n\u{1}😀/"))
        #expect(Array(frame[2...]) == Array(#"{"type":"chat","nick":"é","message":"日\"\\\n\u0001😀/"}"#.utf8))
    }

    @Test func duplicateKeysTakeTheLastValue() throws {
        let payload = Array(#"{"type":"chat","message":"first","message":"last"}"#.utf8)
        #expect(try ClientPacket(payload: payload) == .chat(message: "last"))
    }

    @Test func nestingLimitIsThirtyTwoLevels() throws {
        func nested(_ arrays: Int) -> [UInt8] {
            Array(
                ("{\"type\":\"who\",\"x\":" + String(repeating: "[", count: arrays)
                    + String(repeating: "]", count: arrays) + "}").utf8)
        }
        #expect(try ClientPacket(payload: nested(31)) == .who)
        #expect(throws: ProtocolError.nestingTooDeep) { try ClientPacket(payload: nested(32)) }
    }

    @Test func overLimitEncodeIsRefused() throws {
        // 65,535 bytes of text plus the envelope is over the limit.
        #expect(throws: ProtocolError.frameTooLarge) {
            try PacketEncoder.frame(ServerPacket.chat(nick: "pat", message: String(repeating: "a", count: 65_535)))
        }
        // Escaping counts: 20,000 control characters become 120,000 bytes.
        #expect(throws: ProtocolError.frameTooLarge) {
            try PacketEncoder.frame(ClientPacket.chat(message: String(repeating: "\u{1}", count: 20_000)))
        }
        let fits = String(repeating: "a", count: 65_535 - #"{"type":"chat","message":""}"#.utf8.count)
        #expect(try PacketEncoder.frame(ClientPacket.chat(message: fits)).count == 65_537)
    }

    @Test func pythonStyleJSONWithEscapes() throws {
        // What Python's json.dumps writes by default: spaces after separators, \u escapes, surrogate pairs.
        let payload = Array(#"{"type": "chat", "nick": "caf\u00e9", "message": "\ud83d\ude00 \u00e9\n"}"#.utf8)
        #expect(try ServerPacket(payload: payload) == .chat(nick: "café", message: "😀 é\n"))
    }

    @Test func unknownFieldsAreIgnored() throws {
        let payload = Array(#"{"type":"chat","message":"hi","extra":[1,{"a":null}],"n":-1.5e3}"#.utf8)
        #expect(try ClientPacket(payload: payload) == .chat(message: "hi"))
    }

    @Test func helloFeatures() throws {
        let payload = Array(#"{"type":"hello","nick":"pat","features":["dm","bogus","emote"]}"#.utf8)
        #expect(try ClientPacket(payload: payload) == .hello(nick: "pat", features: [.dm, .emote]))
        let bad = Array(#"{"type":"hello","nick":"pat","features":"dm"}"#.utf8)
        #expect(throws: ProtocolError.wrongFieldType("features")) { try ClientPacket(payload: bad) }
    }

    static let malformed: [(String, [UInt8], ProtocolError)] = [
        ("empty", [], .emptyPayload),
        ("invalid UTF-8", [0x7B, 0xFF, 0x7D], .invalidUTF8),
        ("truncated UTF-8", Array(#"{"type":"chat","message":""#.utf8) + [0xC3] + Array(#""}"#.utf8), .invalidUTF8),
        ("not JSON", Array("hello".utf8), .malformedJSON),
        ("trailing bytes", Array(#"{"type":"who"} x"#.utf8), .malformedJSON),
        ("unterminated", Array(#"{"type":"who""#.utf8), .malformedJSON),
        ("raw control in string", Array("{\"type\":\"chat\",\"message\":\"a\u{1}\"}".utf8), .malformedJSON),
        ("lone surrogate", Array(#"{"type":"chat","message":"\ud800"}"#.utf8), .malformedJSON),
        ("reversed surrogates", Array(#"{"type":"chat","message":"\udc00\ud800"}"#.utf8), .malformedJSON),
        ("bad escape", Array(#"{"type":"chat","message":"\x"}"#.utf8), .malformedJSON),
        ("leading zero", Array(#"{"type":"who","n":01}"#.utf8), .malformedJSON),
        (
            "deep nesting", Array(("{\"type\":\"who\",\"x\":" + String(repeating: "[", count: 10_000)).utf8),
            .nestingTooDeep
        ),
        ("array", Array(#"["type","chat"]"#.utf8), .notAnObject),
        ("string", Array(#""chat""#.utf8), .notAnObject),
        ("number", Array("42".utf8), .notAnObject),
        ("no type", Array(#"{"message":"hi"}"#.utf8), .missingType),
        ("type not a string", Array(#"{"type":7}"#.utf8), .missingType),
        ("unknown type", Array(#"{"type":"shout"}"#.utf8), .unknownType("shout")),
        ("missing field", Array(#"{"type":"chat"}"#.utf8), .missingField("message")),
        ("mistyped field", Array(#"{"type":"chat","message":5}"#.utf8), .wrongFieldType("message")),
        ("null nick", Array(#"{"type":"hello","nick":null}"#.utf8), .wrongFieldType("nick")),
        ("dm without to", Array(#"{"type":"dm","message":"x"}"#.utf8), .missingField("to")),
        ("join room array", Array(#"{"type":"join","room":["a"]}"#.utf8), .wrongFieldType("room")),
    ]

    @Test(arguments: malformed) func malformedPayloadsThrowTheRightError(
        _ name: String, _ payload: [UInt8], _ expected: ProtocolError
    ) {
        #expect(throws: expected, "\(name)") { try ClientPacket(payload: payload) }
    }

    @Test func errorsMapToWireCodes() {
        #expect(ProtocolError.malformedJSON.code == .badPacket)
        #expect(ProtocolError.invalidUTF8.code == .badPacket)
        #expect(ProtocolError.emptyPayload.code == .badPacket)
        #expect(ProtocolError.missingField("x").code == .badPacket)
        #expect(ProtocolError.unknownType("x").code == .unknownType)
        #expect(ProtocolError.frameTooLarge.code == .tooLong)
    }

    @Test func serverPacketsAClientMayMeet() throws {
        // A base server sends join without a room.
        #expect(
            try ServerPacket(payload: Array(#"{"type":"join","nick":"pat"}"#.utf8)) == .join(nick: "pat", room: nil))
        // An error code this client does not know is still an error.
        let future = Array(#"{"type":"error","code":"slow_down","message":"easy"}"#.utf8)
        #expect(try ServerPacket(payload: future) == .error(code: ErrorCode(rawValue: "slow_down"), message: "easy"))
        #expect(throws: ProtocolError.unknownType("poll")) {
            try ServerPacket(payload: Array(#"{"type":"poll"}"#.utf8))
        }
    }
}
