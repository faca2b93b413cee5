import ChatProtocol

/// What one line of input asks for.
public enum Command: Equatable, Sendable {
    /// Send this packet.
    case send(ClientPacket)
    /// Show this local notice and send nothing (help, usage, unknown command).
    case notice(String)
    /// Leave the chat (`/q`): `quit` to a server with `resume`, then a clean close.
    case quit
    /// Try to reconnect now rather than at the end of the countdown.
    case reconnect
    /// `/timestamps [on|off]`: times before the lines shown from now on; nil toggles.
    case timestamps(Bool?)
    /// Empty the output pane (`/clear`); local, nothing is sent.
    case clear
    /// Nothing at all (an empty line).
    case nothing
    /// A slash command this client does not know: a world server (`welcome` lists `world`) gets the whole line
    /// as a chat, which it takes as a command; anyone else, a local notice.
    case unknown(name: String, line: String)

    /// The commands `/help` lists.
    public static let help = [
        "*** commands:",
        "***   /msg NICK TEXT   direct message (also /message)",
        "***   /me TEXT         emote: [pat waves]",
        "***   /who             who is in this room (also /names)",
        "***   /join ROOM       move to ROOM (created if new)",
        "***   /leave           back to the lobby",
        "***   /nick NEW        change your nick",
        "***   /rooms           list the rooms",
        "***   /clear           clear the output pane",
        "***   /help            this list",
        "***   /reconnect       while disconnected: try again now",
        "***   /timestamps      times before new lines: on, off, or toggle",
        "***   /q               quit (also /quit)",
        "***   //text           send a line that starts with /",
    ]

    /// The command names Tab completes after a leading `/`, in the protocol's list order.
    public static let names = [
        "help", "join", "leave", "me", "message", "msg", "names", "nick", "q", "quit", "reconnect", "rooms", "who",
    ]

    /// Parses one line as typed: a line starting with `/` is a command, anything else is chat.
    public init(parsing line: String) {
        // A line of blanks says nothing: sending it would show an empty message to the whole room.
        guard line.contains(where: { !$0.isWhitespace }) else {
            self = .nothing
            return
        }
        guard line.hasPrefix("/") else {
            self = .send(.chat(message: line))
            return
        }
        if line.hasPrefix("//") {
            self = .send(.chat(message: String(line.dropFirst())))
            return
        }
        let (name, rest) = Self.split(String(line.dropFirst()))
        self = Self.command(name.lowercased(), Self.trimmed(rest), typed: name, line: line)
    }

    private static func command(_ name: String, _ rest: String, typed: String, line: String) -> Command {
        switch name {
        case "q", "quit": return rest.isEmpty ? .quit : usage("/q")
        case "reconnect": return rest.isEmpty ? .reconnect : usage("/reconnect")
        case "timestamps": return timestamps(rest)
        case "help": return .notice(help.joined(separator: "\n"))
        case "clear": return rest.isEmpty ? .clear : usage("/clear")
        case "who", "names": return rest.isEmpty ? .send(.who) : usage("/\(name)")
        case "rooms": return rest.isEmpty ? .send(.rooms) : usage("/rooms")
        case "leave": return rest.isEmpty ? .send(.leave) : usage("/leave")
        case "me": return rest.isEmpty ? usage("/me TEXT") : .send(.emote(message: rest))
        case "join":
            guard !rest.isEmpty, !rest.contains(where: \.isWhitespace) else { return usage("/join ROOM") }
            guard Names.isValid(rest) else {
                return .notice("*** invalid room name: \(rest) (a room name is \(Names.ruleDescription))")
            }
            return .send(.join(room: rest))
        case "nick":
            guard !rest.isEmpty, !rest.contains(where: \.isWhitespace) else { return usage("/nick NEW") }
            guard Names.isValid(rest) else {
                return .notice("*** invalid nick: \(rest) (a nick is \(Names.ruleDescription))")
            }
            return .send(.nick(rest))
        case "msg", "message":
            let (nick, text) = split(rest)
            let message = trimmed(text)
            guard !nick.isEmpty, !message.isEmpty else { return usage("/\(name) NICK TEXT") }
            guard Names.isValid(nick) else { return .notice("*** invalid nick: \(nick)") }
            return .send(.dm(to: nick, message: message))
        default:
            return .unknown(name: typed, line: line)
        }
    }

    private static func timestamps(_ setting: String) -> Command {
        switch setting.lowercased() {
        case "": .timestamps(nil)
        case "on": .timestamps(true)
        case "off": .timestamps(false)
        default: usage("/timestamps [on|off]")
        }
    }

    private static func usage(_ form: String) -> Command {
        .notice("*** usage: \(form)")
    }

    /// `text` without blanks at either end: `/join  games` and `/join games ` mean `/join games`.
    private static func trimmed(_ text: String) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// The first space-separated word and the rest, with the one separating space removed.
    private static func split(_ text: String) -> (String, String) {
        guard let space = text.firstIndex(of: " ") else { return (text, "") }
        return (String(text[..<space]), String(text[text.index(after: space)...]))
    }
}
