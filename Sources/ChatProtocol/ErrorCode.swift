/// The `code` field of an `error` packet.
///
/// A struct rather than an enum so that a client can carry a code from a newer server that it does not know.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// `bad_packet`: unparseable payload, or a field missing or of the wrong type.
    public static let badPacket = ErrorCode(rawValue: "bad_packet")
    /// `unknown_type`: the `type` names no packet.
    public static let unknownType = ErrorCode(rawValue: "unknown_type")
    /// `not_joined`: a packet other than `hello` before `hello`.
    public static let notJoined = ErrorCode(rawValue: "not_joined")
    /// `already_joined`: a second `hello`.
    public static let alreadyJoined = ErrorCode(rawValue: "already_joined")
    /// `bad_nick`: the nick breaks the naming rules.
    public static let badNick = ErrorCode(rawValue: "bad_nick")
    /// `nick_in_use`: another connection holds the same nick.
    public static let nickInUse = ErrorCode(rawValue: "nick_in_use")
    /// `no_such_nick`: a `dm` to a nick that is not connected.
    public static let noSuchNick = ErrorCode(rawValue: "no_such_nick")
    /// `bad_room`: the room name breaks the naming rules.
    public static let badRoom = ErrorCode(rawValue: "bad_room")
    /// `too_long`: a relayed form of the packet would exceed 65,535 bytes.
    public static let tooLong = ErrorCode(rawValue: "too_long")
    /// `server_full`: the server holds `--max-clients` connections already.
    public static let serverFull = ErrorCode(rawValue: "server_full")
    /// `timeout`: no `hello` within the hello timeout.
    public static let timeout = ErrorCode(rawValue: "timeout")
    /// `bad_password`: the server has a password and `hello` did not carry it.
    public static let badPassword = ErrorCode(rawValue: "bad_password")
}
