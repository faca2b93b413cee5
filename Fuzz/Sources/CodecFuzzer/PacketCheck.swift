import ChatProtocol

/// Decoding invariants for one payload, as a client packet and as a server packet.
///
/// A payload either decodes or throws the same error the envelope throws; a decoded packet re-encodes to a frame
/// that decodes to the same packet and re-encodes to the same bytes (the encoding is a fixed point); every string
/// it carries passes the text checks.
enum PacketCheck {
    static func client(_ payload: ArraySlice<UInt8>, viaCopy: Bool) {
        let result = Result { () throws(ProtocolError) in try ClientPacket(payload: payload) }
        if viaCopy {
            // A lazy map offers no contiguous storage, so this takes the decoder's copying path.
            let copied = Result { () throws(ProtocolError) in try ClientPacket(payload: payload.lazy.map { $0 }) }
            precondition(copied == result, "contiguous and copied payloads decode differently")
        }
        switch result {
        case .success(let packet):
            roundTrip(packet, payloadCount: payload.count, encode: PacketEncoder.frame, decode: ClientPacket.init)
            TextCheck.strings(in: packet)
        case .failure(let error):
            agrees(error, with: payload)
        }
    }

    static func server(_ payload: ArraySlice<UInt8>) {
        let result = Result { () throws(ProtocolError) in try ServerPacket(payload: payload) }
        switch result {
        case .success(let packet):
            roundTrip(packet, payloadCount: payload.count, encode: PacketEncoder.frame, decode: ServerPacket.init)
            TextCheck.strings(in: packet)
        case .failure(let error):
            agrees(error, with: payload)
        }
    }

    /// encode → decode → encode: the packet survives and the bytes do not move.
    private static func roundTrip<Packet: Equatable>(
        _ packet: Packet, payloadCount: Int,
        encode: (Packet) throws(ProtocolError) -> [UInt8],
        decode: (ArraySlice<UInt8>) throws(ProtocolError) -> Packet
    ) {
        let frame: [UInt8]
        do throws(ProtocolError) {
            frame = try encode(packet)
        } catch {
            // Re-encoding may grow a payload (`\b` becomes `\u0008`, `1e18` nineteen digits), never five-fold.
            precondition(error == .frameTooLarge, "encoding threw \(error)")
            precondition(payloadCount > PacketEncoder.maximumPayload / 5, "a small packet re-encoded too large")
            return
        }
        let length = frame.count - PacketEncoder.headerSize
        precondition(length >= 1 && length <= PacketEncoder.maximumPayload, "frame length out of range")
        precondition(Int(frame[0]) << 8 | Int(frame[1]) == length, "header does not match the payload")
        do throws(ProtocolError) {
            let again = try decode(frame[PacketEncoder.headerSize...])
            precondition(again == packet, "re-encoded packet decodes to a different packet")
            let reencoded = try encode(again)
            precondition(reencoded == frame, "encoding is not a fixed point")
        } catch {
            preconditionFailure("re-encoded packet fails to round-trip: \(error)")
        }
    }

    /// The packet decoders fail exactly where the envelope fails, with the error the payload deserves.
    private static func agrees(_ error: ProtocolError, with payload: ArraySlice<UInt8>) {
        TextCheck.displayable(error.explanation)
        let envelope = Result { () throws(ProtocolError) in try Envelope(payload: payload) }
        switch envelope {
        case .failure(let envelopeError):
            precondition(error == envelopeError, "packet and envelope disagree: \(error) vs \(envelopeError)")
            if payload.isEmpty {
                precondition(error == .emptyPayload, "empty payload gave \(error)")
            } else if payload.withContiguousStorageIfAvailable({ String(validating: $0, as: UTF8.self) }) == nil {
                precondition(error == .invalidUTF8, "invalid UTF-8 gave \(error)")
            }
        case .success(let parsed):
            switch error {
            case .unknownType(let type): precondition(type == parsed.type, "unknownType names another type")
            case .missingField, .wrongFieldType: break
            default: preconditionFailure("envelope parsed but the packet threw \(error)")
            }
        }
    }
}
