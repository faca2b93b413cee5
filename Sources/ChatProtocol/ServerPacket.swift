/// A packet the server sends to a client.
public enum ServerPacket: Equatable, Sendable {
    /// `chat`: a line from `nick` (downgraded `dm` and `emote` arrive as this too).
    case chat(nick: String, message: String, stamp: Stamp? = nil)
    /// `join`: `nick` entered `room`; a base server sends no room, which means `lobby`.
    case join(nick: String, room: String?)
    /// `leave`: `nick` left `room`, or disconnected; `to` names the room of a move.
    case leave(nick: String, room: String?, to: String? = nil)
    /// `error`: the server refused something; `message` is human text.
    case error(code: ErrorCode, message: String)
    /// `info`: a notice from the server.
    case info(message: String)
    /// `dm`: a direct message from `nick` to `to`.
    case dm(nick: String, to: String, message: String, stamp: Stamp? = nil)
    /// `emote`: an action line from `nick`.
    case emote(nick: String, message: String, stamp: Stamp? = nil)
    /// `who`: the sorted members of `room`.
    case who(room: String, nicks: [String])
    /// `rooms`: every room with its member count, sorted by name.
    case rooms([RoomCount])
    /// `welcome`: the first packet after a successful `hello`, for a client that listed `welcome`.
    case welcome(Welcome)
    /// `history`: the end of a replay.
    case history(HistoryEnd)
    /// `ping`: the client answers `pong` with the same token.
    case ping(token: String)
    /// `pong`: the answer to the client's `ping`.
    case pong(token: String)
    /// `nick`: `old` is now known as `new`.
    case nick(old: String, new: String)

    /// `id`, `time` and `replay`: where a relayed message stands in the server's history.
    public struct Stamp: Equatable, Sendable {
        /// `id`: at least 1, strictly increasing over the whole server, never reused.
        public var id: Int
        /// `time`: RFC 3339 UTC with milliseconds.
        public var time: String
        /// `replay`: sent again from history, not live.
        public var replay: Bool
        public init(id: Int, time: String, replay: Bool = false) {
            self.id = id
            self.time = time
            self.replay = replay
        }
    }

    /// The fields of `welcome`.
    public struct Welcome: Equatable, Sendable {
        /// `nick` as registered.
        public var nick: String
        /// `room`: the room the session is in.
        public var room: String
        /// `features`: the client's names that this server supports.
        public var features: Features
        /// `resumed`: the hello took back an earlier session.
        public var resumed: Bool
        /// `resume`: the token for taking the session back, for a client that listed `resume`.
        public var resume: String?
        /// `server`: free text.
        public var server: String
        public init(
            nick: String, room: String, features: Features, resumed: Bool = false, resume: String? = nil,
            server: String
        ) {
            self.nick = nick
            self.room = room
            self.features = features
            self.resumed = resumed
            self.resume = resume
            self.server = server
        }
    }

    /// The fields of the `history` end marker.
    public struct HistoryEnd: Equatable, Sendable {
        /// `room`
        public var room: String
        /// `count`: how many messages the replay held.
        public var count: Int
        /// `truncated`: older messages were left out for the replay limit.
        public var truncated: Bool
        /// `complete`: in answer to `before`, nothing older is left.
        public var complete: Bool?
        public init(room: String, count: Int, truncated: Bool, complete: Bool? = nil) {
            self.room = room
            self.count = count
            self.truncated = truncated
            self.complete = complete
        }
    }

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
        case "chat":
            self = .chat(nick: try e.string("nick"), message: try e.string("message"), stamp: try Self.stamp(e))
        case "join": self = .join(nick: try e.string("nick"), room: try e.optionalString("room"))
        case "leave":
            self = .leave(
                nick: try e.string("nick"), room: try e.optionalString("room"), to: try e.optionalString("to"))
        case "error":
            self = .error(code: ErrorCode(rawValue: try e.string("code")), message: try e.string("message"))
        case "info": self = .info(message: try e.string("message"))
        case "dm":
            self = .dm(
                nick: try e.string("nick"), to: try e.string("to"), message: try e.string("message"),
                stamp: try Self.stamp(e))
        case "emote":
            self = .emote(nick: try e.string("nick"), message: try e.string("message"), stamp: try Self.stamp(e))
        case "who":
            guard let nicks = try e.optionalStrings("nicks") else { throw .missingField("nicks") }
            self = .who(room: try e.string("room"), nicks: nicks)
        case "rooms": self = .rooms(try Self.roomCounts(e.fields["rooms"]))
        case "welcome":
            guard let names = try e.optionalStrings("features") else { throw .missingField("features") }
            self = .welcome(
                Welcome(
                    nick: try e.string("nick"), room: try e.string("room"), features: Features(names: names),
                    resumed: try e.optionalBool("resumed") ?? false, resume: try e.optionalString("resume"),
                    server: try e.optionalString("server") ?? ""))
        case "history":
            self = .history(
                HistoryEnd(
                    room: try e.string("room"), count: try e.count("count"),
                    truncated: try e.optionalBool("truncated") ?? false, complete: try e.optionalBool("complete")))
        case "ping": self = .ping(token: try e.string("token"))
        case "pong": self = .pong(token: try e.string("token"))
        case "nick": self = .nick(old: try e.string("nick"), new: try e.string("new"))
        default: throw .unknownType(e.type)
        }
    }

    /// The stamp of a relayed message, present when it carries an `id`.
    private static func stamp(_ e: Envelope) throws(ProtocolError) -> Stamp? {
        guard let id = try e.optionalCount("id") else { return nil }
        return Stamp(id: id, time: try e.optionalString("time") ?? "", replay: try e.optionalBool("replay") ?? false)
    }

    /// The stamp of a relayed message, if it has one.
    public var stamp: Stamp? {
        switch self {
        case .chat(_, _, let stamp), .dm(_, _, _, let stamp), .emote(_, _, let stamp): stamp
        default: nil
        }
    }

    /// The same message with another stamp (or none); other packets are returned unchanged.
    public func stamped(_ stamp: Stamp?) -> ServerPacket {
        switch self {
        case .chat(let nick, let message, _): .chat(nick: nick, message: message, stamp: stamp)
        case .dm(let nick, let to, let message, _): .dm(nick: nick, to: to, message: message, stamp: stamp)
        case .emote(let nick, let message, _): .emote(nick: nick, message: message, stamp: stamp)
        default: self
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
        case .chat(let nick, let message, let stamp):
            json.begin(type: "chat")
            json.field("nick", nick)
            json.field("message", message)
            Self.write(stamp, to: &json)
        case .join(let nick, let room):
            json.begin(type: "join")
            json.field("nick", nick)
            if let room { json.field("room", room) }
        case .leave(let nick, let room, let to):
            json.begin(type: "leave")
            json.field("nick", nick)
            if let room { json.field("room", room) }
            if let to { json.field("to", to) }
        case .error(let code, let message):
            json.begin(type: "error")
            json.field("code", code.rawValue)
            json.field("message", message)
        case .info(let message):
            json.begin(type: "info")
            json.field("message", message)
        case .dm(let nick, let to, let message, let stamp):
            json.begin(type: "dm")
            json.field("nick", nick)
            json.field("to", to)
            json.field("message", message)
            Self.write(stamp, to: &json)
        case .emote(let nick, let message, let stamp):
            json.begin(type: "emote")
            json.field("nick", nick)
            json.field("message", message)
            Self.write(stamp, to: &json)
        case .who(let room, let nicks):
            json.begin(type: "who")
            json.field("room", room)
            json.field("nicks", nicks)
        case .rooms(let counts):
            json.begin(type: "rooms")
            json.field("rooms", counts)
        case .welcome(let welcome):
            json.begin(type: "welcome")
            json.field("nick", welcome.nick)
            json.field("room", welcome.room)
            json.field("features", welcome.features.names)
            json.field("resumed", welcome.resumed)
            if let resume = welcome.resume { json.field("resume", resume) }
            json.field("server", welcome.server)
        case .history(let end):
            json.begin(type: "history")
            json.field("room", end.room)
            json.field("count", end.count)
            json.field("truncated", end.truncated)
            if let complete = end.complete { json.field("complete", complete) }
        case .ping(let token):
            json.begin(type: "ping")
            json.field("token", token)
        case .pong(let token):
            json.begin(type: "pong")
            json.field("token", token)
        case .nick(let old, let new):
            json.begin(type: "nick")
            json.field("nick", old)
            json.field("new", new)
        }
        json.end()
    }

    static func write(_ stamp: Stamp?, to json: inout JSONWriter) {
        guard let stamp else { return }
        json.field("id", stamp.id)
        json.field("time", stamp.time)
        if stamp.replay { json.field("replay", true) }
    }
}
