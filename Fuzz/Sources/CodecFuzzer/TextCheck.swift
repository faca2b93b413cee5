import ChatProtocol
import ChatText

/// Text invariants for every string a decoded packet carries: the sanitizers leave nothing that can drive a
/// terminal and are idempotent, and `Names.isValid` only accepts what PROTOCOL.md allows.
enum TextCheck {
    static func strings(in packet: ClientPacket) {
        switch packet {
        case .hello(let nick, let features, let options):
            text(nick)
            features.names.forEach(text)
            [options.room, options.resume, options.password].compactMap { $0 }.forEach(text)
        case .chat(let message), .emote(let message): text(message)
        case .dm(let to, let message):
            text(to)
            text(message)
        case .join(let room, _): text(room)
        case .ping(let token), .pong(let token): text(token)
        case .nick(let nick): text(nick)
        case .who, .leave, .rooms, .history, .quit: break
        }
    }

    static func strings(in packet: ServerPacket) {
        switch packet {
        case .chat(let nick, let message, let stamp), .emote(let nick, let message, let stamp):
            text(nick)
            text(message)
            stamp.map { text($0.time) }
        case .join(let nick, let room):
            text(nick)
            room.map(text)
        case .leave(let nick, let room, let to):
            text(nick)
            room.map(text)
            to.map(text)
        case .error(let code, let message):
            text(code.rawValue)
            text(message)
        case .info(let message): text(message)
        case .dm(let nick, let to, let message, _):
            [nick, to, message].forEach(text)
        case .welcome(let welcome):
            [welcome.nick, welcome.room, welcome.server].forEach(text)
        case .history(let end): text(end.room)
        case .ping(let token), .pong(let token): text(token)
        case .nick(let old, let new): [old, new].forEach(text)
        case .who(let room, let nicks):
            text(room)
            nicks.forEach(text)
            order(nicks)
        case .rooms(let counts):
            counts.forEach { text($0.name) }
            order(counts.map(\.name))
        }
    }

    /// Every check one string must pass.
    static func text(_ value: String) {
        let relayed = Sanitizer.forRelay(value)
        precondition(relayed.unicodeScalars.count == value.unicodeScalars.count, "forRelay changed the length")
        for scalar in relayed.unicodeScalars {
            precondition(scalar.properties.generalCategory != .control, "forRelay left a control character")
        }
        precondition(Sanitizer.forRelay(relayed).unicodeScalars.elementsEqual(relayed.unicodeScalars))
        let shown = DisplaySanitizer.sanitized(value)
        displayable(shown)
        precondition(DisplaySanitizer.sanitized(shown).unicodeScalars.elementsEqual(shown.unicodeScalars))
        name(value)
    }

    /// What a terminal may be given: no control, format, line or paragraph separator characters.
    static func displayable(_ value: String) {
        for scalar in value.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator:
                preconditionFailure("displayable text holds U+\(String(scalar.value, radix: 16))")
            default: continue
            }
        }
    }

    /// `Names.isValid` implies 1 to 32 scalars of the allowed kinds, no mark first.
    private static func name(_ value: String) {
        precondition(!Names.areInOrder(value, value), "areInOrder is not irreflexive")
        guard Names.isValid(value) else { return }
        let scalars = value.unicodeScalars
        precondition((1...Names.maximumLength).contains(scalars.count), "valid name of \(scalars.count) scalars")
        for (offset, scalar) in scalars.enumerated() {
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .decimalNumber:
                continue
            case .nonspacingMark, .spacingMark, .enclosingMark:
                precondition(offset > 0, "valid name starts with a mark")
            default:
                precondition("_-.[]{}|^".unicodeScalars.contains(scalar), "valid name holds U+\(scalar.value)")
            }
        }
        // Foundation's normalization must not trap on anything the server would register as a nick.
        precondition(!Names.key(value).isEmpty, "a valid name has an empty key")
    }

    /// `areInOrder` is asymmetric on every pair a list can hold.
    private static func order(_ names: [String]) {
        for (lhs, rhs) in zip(names, names.dropFirst()) {
            precondition(!(Names.areInOrder(lhs, rhs) && Names.areInOrder(rhs, lhs)), "areInOrder is not asymmetric")
        }
    }
}
