/// A packet the server sends to a client.
public enum ServerPacket: Equatable, Sendable {
    /// `chat`: a line from `nick` (downgraded `dm` and `emote` arrive as this too).
    case chat(nick: String, message: String)
    /// `join`: `nick` entered `room`; a base server sends no room, which means `lobby`.
    case join(nick: String, room: String?)
    /// `leave`: `nick` left `room`, or disconnected.
    case leave(nick: String, room: String?)
    /// `error`: the server refused something; `message` is human text.
    case error(code: ErrorCode, message: String)
    /// `info`: a notice from the server.
    case info(message: String)
    /// `dm`: a direct message from `nick` to `to`.
    case dm(nick: String, to: String, message: String)
    /// `emote`: an action line from `nick`.
    case emote(nick: String, message: String)
    /// `who`: the sorted members of `room`.
    case who(room: String, nicks: [String])
    /// `rooms`: every room with its member count, sorted by name.
    case rooms([RoomCount])

    /// One row of a `rooms` reply.
    public struct RoomCount: Equatable, Sendable {
        /// `name`
        public var name: String
        /// `count`
        public var count: Int
        public init(name: String, count: Int) {
            self.name = name
            self.count = count
        }
    }

    /// Decodes a whole frame payload.
    public init(payload: some Collection<UInt8>) throws(ProtocolError) {
        try self.init(envelope: Envelope(payload: payload))
    }

    /// Decodes the fields of an already parsed envelope.
    public init(envelope: Envelope) throws(ProtocolError) {
        let e = envelope
        switch e.type {
        case "chat": self = .chat(nick: try e.string("nick"), message: try e.string("message"))
        case "join": self = .join(nick: try e.string("nick"), room: try e.optionalString("room"))
        case "leave": self = .leave(nick: try e.string("nick"), room: try e.optionalString("room"))
        case "error":
            self = .error(code: ErrorCode(rawValue: try e.string("code")), message: try e.string("message"))
        case "info": self = .info(message: try e.string("message"))
        case "dm": self = .dm(nick: try e.string("nick"), to: try e.string("to"), message: try e.string("message"))
        case "emote": self = .emote(nick: try e.string("nick"), message: try e.string("message"))
        case "who":
            guard let nicks = try e.optionalStrings("nicks") else { throw .missingField("nicks") }
            self = .who(room: try e.string("room"), nicks: nicks)
        case "rooms": self = .rooms(try Self.roomCounts(e.fields["rooms"]))
        default: throw .unknownType(e.type)
        }
    }

    private static func roomCounts(_ value: JSONValue?) throws(ProtocolError) -> [RoomCount] {
        guard let value else { throw .missingField("rooms") }
        guard case .array(let rows) = value else { throw .wrongFieldType("rooms") }
        var counts: [RoomCount] = []
        for row in rows {
            guard case .object(let fields) = row, case .string(let name)? = fields["name"],
                case .number(let count)? = fields["count"], let whole = Int(exactly: count)
            else { throw .wrongFieldType("rooms") }
            counts.append(RoomCount(name: name, count: whole))
        }
        return counts
    }

    /// Writes the JSON object, fields in the order PROTOCOL.md lists them.
    func write(to json: inout JSONWriter) {
        switch self {
        case .chat(let nick, let message):
            json.begin(type: "chat")
            json.field("nick", nick)
            json.field("message", message)
        case .join(let nick, let room), .leave(let nick, let room):
            json.begin(type: isJoin ? "join" : "leave")
            json.field("nick", nick)
            if let room { json.field("room", room) }
        case .error(let code, let message):
            json.begin(type: "error")
            json.field("code", code.rawValue)
            json.field("message", message)
        case .info(let message):
            json.begin(type: "info")
            json.field("message", message)
        case .dm(let nick, let to, let message):
            json.begin(type: "dm")
            json.field("nick", nick)
            json.field("to", to)
            json.field("message", message)
        case .emote(let nick, let message):
            json.begin(type: "emote")
            json.field("nick", nick)
            json.field("message", message)
        case .who(let room, let nicks):
            json.begin(type: "who")
            json.field("room", room)
            json.field("nicks", nicks)
        case .rooms(let counts):
            json.begin(type: "rooms")
            json.field("rooms", counts)
        }
        json.end()
    }

    private var isJoin: Bool {
        if case .join = self { return true }
        return false
    }
}
