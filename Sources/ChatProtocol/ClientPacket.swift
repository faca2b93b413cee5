/// A packet a client sends to the server.
public enum ClientPacket: Equatable, Sendable {
    /// `hello`: the first packet, exactly once; `features` lists the extensions the client understands.
    case hello(nick: String, features: Features, options: HelloOptions = HelloOptions())
    /// `chat`: a line for everyone in the sender's room.
    case chat(message: String)
    /// `dm`: a direct message to one nick anywhere on the server.
    case dm(to: String, message: String)
    /// `emote`: an action line (`/me`) for the sender's room.
    case emote(message: String)
    /// `who`: ask for the members of the sender's room.
    case who
    /// `join`: move to `room`, creating it if new; `after` asks for the room's messages past that id.
    case join(room: String, after: Int? = nil)
    /// `leave`: go back to `lobby`.
    case leave
    /// `rooms`: ask for the room list.
    case rooms
    /// `history`: ask for at most `limit` messages of the current room older than id `before`.
    case history(before: Int, limit: Int)
    /// `ping`: the server answers `pong` with the same token.
    case ping(token: String)
    /// `pong`: the answer to the server's `ping`.
    case pong(token: String)
    /// `nick`: rename the session.
    case nick(String)
    /// `quit`: end the session on purpose; the room hears `leave` at once.
    case quit

    /// The optional fields of `hello`.
    public struct HelloOptions: Equatable, Sendable {
        /// `room`: start in this room rather than `lobby` (how a client returns to its room after a restart).
        public var room: String?
        /// `after`: replay the room's messages (and, on a resume, the session's DMs) with a greater id.
        public var after: Int?
        /// `resume`: the token of the session to take back.
        public var resume: String?
        /// `password`: the server's password, when it has one.
        public var password: String?

        public init(room: String? = nil, after: Int? = nil, resume: String? = nil, password: String? = nil) {
            self.room = room
            self.after = after
            self.resume = resume
            self.password = password
        }
    }

    /// Decodes a whole frame payload.
    public init(payload: some Collection<UInt8>) throws(ProtocolError) {
        try self.init(envelope: Envelope(payload: payload))
    }

    /// Decodes the fields of an already parsed envelope.
    public init(envelope e: Envelope) throws(ProtocolError) {
        switch e.type {
        case "hello":
            let names = try e.optionalStrings("features") ?? []
            let options = HelloOptions(
                room: try e.optionalString("room"), after: try e.optionalCount("after"),
                resume: try e.optionalString("resume"), password: try e.optionalString("password"))
            self = .hello(nick: try e.string("nick"), features: Features(names: names), options: options)
        case "chat": self = .chat(message: try e.string("message"))
        case "dm": self = .dm(to: try e.string("to"), message: try e.string("message"))
        case "emote": self = .emote(message: try e.string("message"))
        case "who": self = .who
        case "join": self = .join(room: try e.string("room"), after: try e.optionalCount("after"))
        case "leave": self = .leave
        case "rooms": self = .rooms
        case "history": self = .history(before: try e.count("before"), limit: try e.count("limit"))
        case "ping": self = .ping(token: try e.string("token"))
        case "pong": self = .pong(token: try e.string("token"))
        case "nick": self = .nick(try e.string("nick"))
        case "quit": self = .quit
        default: throw .unknownType(e.type)
        }
    }

    /// Writes the JSON object, fields in the order PROTOCOL.md lists them.
    func write(to json: inout JSONWriter) {
        switch self {
        case .hello(let nick, let features, let options):
            json.begin(type: "hello")
            json.field("nick", nick)
            if !features.isEmpty { json.field("features", features.names) }
            if let room = options.room { json.field("room", room) }
            if let after = options.after { json.field("after", after) }
            if let resume = options.resume { json.field("resume", resume) }
            if let password = options.password { json.field("password", password) }
        case .chat(let message):
            json.begin(type: "chat")
            json.field("message", message)
        case .dm(let to, let message):
            json.begin(type: "dm")
            json.field("to", to)
            json.field("message", message)
        case .emote(let message):
            json.begin(type: "emote")
            json.field("message", message)
        case .who: json.begin(type: "who")
        case .join(let room, let after):
            json.begin(type: "join")
            json.field("room", room)
            if let after { json.field("after", after) }
        case .leave: json.begin(type: "leave")
        case .rooms: json.begin(type: "rooms")
        case .history(let before, let limit):
            json.begin(type: "history")
            json.field("before", before)
            json.field("limit", limit)
        case .ping(let token):
            json.begin(type: "ping")
            json.field("token", token)
        case .pong(let token):
            json.begin(type: "pong")
            json.field("token", token)
        case .nick(let nick):
            json.begin(type: "nick")
            json.field("nick", nick)
        case .quit: json.begin(type: "quit")
        }
        json.end()
    }
}
