import Testing

@testable import ChatProtocol

@Suite struct FrameDecoderTests {
    static let packets: [ClientPacket] = [
        .hello(nick: "pat", features: .all), .chat(message: "Hello?"), .chat(message: ""),
        .dm(to: "chris", message: "héllo 😀"), .join(room: "games"), .leave, .who, .rooms,
    ]

    static func stream() throws -> [UInt8] {
        try packets.flatMap { try PacketEncoder.frame($0) }
    }

    static func drain(_ decoder: inout FrameDecoder) throws -> [ClientPacket] {
        var decoded: [ClientPacket] = []
        while let payload = decoder.next() { decoded.append(try ClientPacket(payload: payload)) }
        return decoded
    }

    @Test func everySplitPointOfAStreamYieldsTheSamePackets() throws {
        let bytes = try Self.stream()
        for split in 0...bytes.count {
            var decoder = FrameDecoder()
            decoder.append(bytes[..<split])
            var decoded = try Self.drain(&decoder)
            decoder.append(bytes[split...])
            decoded += try Self.drain(&decoder)
            #expect(decoded == Self.packets, "split at \(split)")
            #expect(decoder.bufferedByteCount == 0)
        }
    }

    @Test func oneByteFeeds() throws {
        var decoder = FrameDecoder()
        var decoded: [ClientPacket] = []
        for byte in try Self.stream() {
            decoder.append([byte])
            decoded += try Self.drain(&decoder)
        }
        #expect(decoded == Self.packets)
    }

    @Test func headerSplitAcrossReads() throws {
        let frame = try PacketEncoder.frame(ClientPacket.chat(message: String(repeating: "x", count: 300)))
        var decoder = FrameDecoder()
        decoder.append(frame[..<1])
        #expect(decoder.next() == nil)
        #expect(decoder.state == .awaitingHeader)
        decoder.append(frame[1..<2])
        #expect(decoder.next() == nil)
        #expect(decoder.state == .awaitingBody(length: frame.count - 2))
        decoder.append(frame[2...])
        let payloadSlice = decoder.next()
        let payload = try #require(payloadSlice)
        #expect(try ClientPacket(payload: payload) == .chat(message: String(repeating: "x", count: 300)))
    }

    @Test func coalescedPacketsInOneRead() throws {
        var decoder = FrameDecoder()
        decoder.append(try Self.stream())
        #expect(decoder.hasCompleteFrame)
        #expect(try Self.drain(&decoder) == Self.packets)
        #expect(!decoder.hasCompleteFrame)
    }

    @Test func maximumSizePayload() throws {
        let payload = [UInt8](repeating: UInt8(ascii: "a"), count: 65_535)
        let frame = try PacketEncoder.frame(payload: payload)
        #expect(frame[0] == 0xFF && frame[1] == 0xFF && frame.count == 65_537)
        var decoder = FrameDecoder()
        decoder.append(frame)
        #expect(decoder.next()?.count == 65_535)
    }

    @Test func emptyPayloadIsFramedThenRejectedByTheDecoder() throws {
        var decoder = FrameDecoder()
        decoder.append([0, 0] + (try PacketEncoder.frame(ClientPacket.who)))
        let emptySlice = decoder.next()
        let empty = try #require(emptySlice)
        #expect(empty.isEmpty)
        #expect(throws: ProtocolError.emptyPayload) { try ClientPacket(payload: empty) }
        let nextSlice = decoder.next()
        let next = try #require(nextSlice)
        #expect(try ClientPacket(payload: next) == .who)
    }

    @Test func idleDecoderHoldsNoBytes() throws {
        var decoder = FrameDecoder()
        decoder.append(try PacketEncoder.frame(ClientPacket.who))
        _ = decoder.next()
        #expect(decoder.next() == nil)
        #expect(decoder.bufferedByteCount == 0)
    }
}
