/// A packet a client sends to the server.
public enum ClientPacket: Equatable, Sendable {
    /// `hello`: the first packet, exactly once; `features` lists the extensions the client understands.
    case hello(nick: String, features: Features)
    /// `chat`: a line for everyone in the sender's room.
    case chat(message: String)
    /// `dm`: a direct message to one nick anywhere on the server.
    case dm(to: String, message: String)
    /// `emote`: an action line (`/me`) for the sender's room.
    case emote(message: String)
    /// `who`: ask for the members of the sender's room.
    case who
    /// `join`: move to `room`, creating it if new.
    case join(room: String)
    /// `leave`: go back to `lobby`.
    case leave
    /// `rooms`: ask for the room list.
    case rooms

    /// Decodes a whole frame payload.
    public init(payload: some Collection<UInt8>) throws(ProtocolError) {
        try self.init(envelope: Envelope(payload: payload))
    }

    /// Decodes the fields of an already parsed envelope.
    public init(envelope: Envelope) throws(ProtocolError) {
        switch envelope.type {
        case "hello":
            let names = try envelope.optionalStrings("features") ?? []
            self = .hello(nick: try envelope.string("nick"), features: Features(names: names))
        case "chat": self = .chat(message: try envelope.string("message"))
        case "dm": self = .dm(to: try envelope.string("to"), message: try envelope.string("message"))
        case "emote": self = .emote(message: try envelope.string("message"))
        case "who": self = .who
        case "join": self = .join(room: try envelope.string("room"))
        case "leave": self = .leave
        case "rooms": self = .rooms
        default: throw .unknownType(envelope.type)
        }
    }

    /// Writes the JSON object, fields in the order PROTOCOL.md lists them.
    func write(to json: inout JSONWriter) {
        switch self {
        case .hello(let nick, let features):
            json.begin(type: "hello")
            json.field("nick", nick)
            if !features.isEmpty { json.field("features", features.names) }
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
        case .join(let room):
            json.begin(type: "join")
            json.field("room", room)
        case .leave: json.begin(type: "leave")
        case .rooms: json.begin(type: "rooms")
        }
        json.end()
    }
}
