import ChatProtocol
import ChatText

/// Turns received packets into the lines PROTOCOL.md's tables show, every field sanitized for the terminal.
public struct DisplayFormatter: Sendable {
    /// This client's nick, to mark own lines and mentions.
    public let me: String
    private let myKey: String

    public init(me: String) {
        self.me = me
        myKey = Names.key(me)
    }

    /// The line for `packet`.
    public func line(for packet: ServerPacket) -> DisplayLine {
        switch packet {
        case .chat(let nick, let message, let stamp):
            return spoken("\(clean(nick)): \(clean(message))", kind: .chat, nick: nick, message: message, stamp)
        case .dm(let nick, let to, let message, let stamp):
            return spoken(
                "\(clean(nick)) -> \(clean(to)): \(clean(message))", kind: .directMessage, nick: nick,
                message: message, stamp)
        case .emote(let nick, let message, let stamp):
            return spoken("[\(clean(nick)) \(clean(message))]", kind: .emote, nick: nick, message: message, stamp)
        case .join(let nick, let room):
            return .notice("*** \(nick) has joined \(Self.place(room))")
        case .leave(let nick, _, let to?):
            return .notice("*** \(nick) moved to \(to)")
        case .leave(let nick, let room, nil):
            return .notice("*** \(nick) has left \(Self.place(room))")
        case .error(_, let message):
            return DisplayLine(text: "*** error: \(clean(message))", kind: .error)
        case .info(let message):
            return .notice("*** \(message)")
        case .who(let room, let nicks):
            return .notice("*** in \(room): \(nicks.joined(separator: ", "))")
        case .rooms(let rooms):
            return .notice("*** rooms: " + rooms.map { "\($0.name) (\($0.count))" }.joined(separator: ", "))
        case .welcome(let welcome):
            return .notice("*** connected to \(clean(welcome.server)) as \(welcome.nick) in \(welcome.room)")
        case .history(let end):
            return .notice("*** \(end.count) earlier messages in \(end.room)")
        case .nick(let old, let new):
            return .notice("*** \(old) is now known as \(new)")
        case .ping, .pong:
            return .notice("")
        }
    }

    /// `the chat` for the lobby (and for a base server, which names no room), else the room's name.
    static func place(_ room: String?) -> String {
        guard let room, Names.key(room) != ChatHubLobby.key else { return "the chat" }
        return room
    }

    private func spoken(
        _ text: String, kind: DisplayLine.Kind, nick: String, message: String, _ stamp: ServerPacket.Stamp?
    ) -> DisplayLine {
        let own = Names.key(nick) == myKey
        return DisplayLine(
            text: text, kind: kind, nick: clean(nick), isOwn: own, isMention: !own && mentions(message),
            time: stamp.map { clean($0.time) }, isReplay: stamp?.replay ?? false)
    }

    /// Whether `message` names this client's nick as a whole word, ignoring case.
    func mentions(_ message: String) -> Bool {
        let lower = message.lowercased()
        let target = me.lowercased()
        var searchStart = lower.startIndex
        while let range = lower.range(of: target, range: searchStart..<lower.endIndex) {
            let before = range.lowerBound == lower.startIndex ? nil : lower[lower.index(before: range.lowerBound)]
            let after = range.upperBound == lower.endIndex ? nil : lower[range.upperBound]
            if !Self.isNickCharacter(before) && !Self.isNickCharacter(after) { return true }
            searchStart = range.upperBound
        }
        return false
    }

    /// Whether `character` could be part of a nick, by `Names`' rule, so a mention must end before it.
    static func isNickCharacter(_ character: Character?) -> Bool {
        guard let first = character?.unicodeScalars.first else { return false }
        return Names.allows(first, atStart: false)
    }

    private func clean(_ text: String) -> String { DisplaySanitizer.sanitized(text) }
}

/// The lobby's comparison key, shared so the client needs no server module.
enum ChatHubLobby {
    static let key = "lobby"
}
