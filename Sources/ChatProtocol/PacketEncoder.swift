/// Turns packets into frames: a 2-byte big-endian payload length, then the UTF-8 JSON payload.
public enum PacketEncoder {
    /// The largest payload a 2-byte length can frame.
    public static let maximumPayload = 65_535
    /// Bytes of the length prefix.
    public static let headerSize = 2

    /// The whole frame of a server packet; throws `.frameTooLarge` past 65,535 payload bytes.
    public static func frame(_ packet: ServerPacket) throws(ProtocolError) -> [UInt8] {
        var json = JSONWriter(reservingHeader: headerSize)
        packet.write(to: &json)
        return try sealed(json.bytes)
    }

    /// The whole frame of a client packet; throws `.frameTooLarge` past 65,535 payload bytes.
    public static func frame(_ packet: ClientPacket) throws(ProtocolError) -> [UInt8] {
        var json = JSONWriter(reservingHeader: headerSize)
        packet.write(to: &json)
        return try sealed(json.bytes)
    }

    /// Frames a raw payload as it is, for tests and tools that send what no packet type would.
    public static func frame(payload: some Collection<UInt8>) throws(ProtocolError) -> [UInt8] {
        try sealed([0, 0] + payload)
    }

    /// The frame of a relayed `chat`, `emote` or `dm` with `stamp` added, from its unstamped frame: the stamp's
    /// fields are the packet's last, so this is `frame(packet.stamped(stamp))` without encoding it again, which
    /// matters when every message is sent stamped and unstamped. Throws `.frameTooLarge` past 65,535 bytes.
    public static func stamped(_ frame: [UInt8], _ stamp: ServerPacket.Stamp) throws(ProtocolError) -> [UInt8] {
        precondition(frame.last == UInt8(ascii: "}"), "stamping a frame that is not a JSON object")
        var json = JSONWriter(continuing: frame.dropLast())
        ServerPacket.write(stamp, to: &json)
        json.end()
        return try sealed(json.bytes)
    }

    private static func sealed(_ bytes: [UInt8]) throws(ProtocolError) -> [UInt8] {
        var bytes = bytes
        let length = bytes.count - headerSize
        guard length <= maximumPayload else { throw .frameTooLarge }
        bytes[0] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[1] = UInt8(truncatingIfNeeded: length)
        return bytes
    }
}
