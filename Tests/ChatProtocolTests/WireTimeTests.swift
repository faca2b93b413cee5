import ChatProtocol
import Testing

@Suite struct WireTimeTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (1_764_621_914_123, "2025-12-01T20:45:14.123Z"),
        (951_782_400_001, "2000-02-29T00:00:00.001Z"),
        (4_107_542_399_999, "2100-02-28T23:59:59.999Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
    ])
    func formatsRFC3339WithMilliseconds(_ milliseconds: Int64, _ text: String) {
        #expect(WireTime.format(millisecondsSinceEpoch: milliseconds) == text)
        #expect(WireTime.parse(text) == milliseconds || milliseconds < 0)
    }

    @Test func parsesOnlyItsOwnForm() {
        for text in [
            "", "2025-12-01T20:45:14Z", "2025-12-01 20:45:14.123Z", "2025-13-01T20:45:14.123Z",
            "2025-12-01T20:45:14.123+00:00",
        ] {
            #expect(WireTime.parse(text) == nil, "\(text)")
        }
    }
}

@Suite struct StampingTests {
    @Test(arguments: [
        ServerPacket.chat(nick: "pat", message: "hi \"there\" ✓"),
        .emote(nick: "pat", message: ""),
        .dm(nick: "pat", to: "leslie", message: "psst"),
        .chat(nick: "*", message: "pat waves"),
    ])
    func stampingAFrameIsEncodingTheStampedPacket(_ packet: ServerPacket) throws {
        for stamp in [
            ServerPacket.Stamp(id: 1, time: "2025-12-01T20:45:14.123Z"),
            ServerPacket.Stamp(id: 9_007_199_254_740_991, time: "2025-12-01T20:45:14.123Z", replay: true),
        ] {
            let frame = try PacketEncoder.frame(packet)
            #expect(try PacketEncoder.stamped(frame, stamp) == PacketEncoder.frame(packet.stamped(stamp)))
        }
    }

    @Test func aStampThatPushesPastTheLimitThrows() throws {
        let overhead = try PacketEncoder.frame(.chat(nick: "pat", message: "")).count - 2
        let frame = try PacketEncoder.frame(
            .chat(nick: "pat", message: String(repeating: "x", count: 65_535 - overhead)))
        #expect(throws: ProtocolError.frameTooLarge) {
            try PacketEncoder.stamped(frame, ServerPacket.Stamp(id: 1, time: "2025-12-01T20:45:14.123Z"))
        }
    }
}
