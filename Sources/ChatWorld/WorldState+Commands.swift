import ChatProtocol

extension WorldState {
    /// The commands, for `help`.
    public static let help = [
        "look, go DIRECTION (or n, s, e, w, u, d), take ITEM, drop ITEM, inventory, examine THING,",
        "talk CHARACTER, say TEXT, where, help. Start each with a slash: /look, /go north, /take lamp.",
    ]

    /// Runs one command (the text after the slash) for a present player; hostile text is answered, never
    /// trusted: words are matched by key, and quoted back cut to 40 characters.
    public mutating func perform(_ command: String, by nickKey: String) -> [WorldEffect] {
        guard let nick = present[nickKey], let here = places[nickKey] else { return [] }
        let (verb, argument) = Self.split(command)
        if let direction = Direction(word: verb), argument.isEmpty {
            return go(direction, nickKey, nick, from: here)
        }
        switch verb {
        case "look", "l":
            return argument.isEmpty ? look(for: nickKey).map { .tell(.player, $0) } : examine(argument, nickKey, here)
        case "go", "walk", "move":
            guard let direction = Direction(word: String(argument)) else {
                let what = argument.isEmpty ? "Go where?" : "\(Self.quote(argument)) is not a direction."
                return [.tell(.player, "\(what) Try \(Direction.spelling).")]
            }
            return go(direction, nickKey, nick, from: here)
        case "take", "get": return take(argument, nickKey, nick, here)
        case "drop": return drop(argument, nickKey, nick, here)
        case "inventory", "inv", "i": return [.tell(.player, inventory(of: nickKey))]
        case "examine", "x": return examine(argument, nickKey, here)
        case "talk", "ask": return talk(argument, here)
        case "say": return argument.isEmpty ? [.tell(.player, "Say what?")] : [.say(String(argument))]
        case "where": return whereabouts().map { .tell(.player, $0) }
        case "help", "?", "": return Self.help.map { .tell(.player, $0) }
        default:
            return [.tell(.player, "Unknown command \(Self.quote(verb)). Type /help.")]
        }
    }

    /// The verb, lowercased, and the rest without surrounding white space.
    static func split(_ command: String) -> (verb: String, argument: Substring) {
        let trimmed = command.drop(while: \.isWhitespace)
        let verb = trimmed.prefix(while: { !$0.isWhitespace })
        let argument = trimmed.dropFirst(verb.count).drop(while: \.isWhitespace)
        let end = argument.lastIndex(where: { !$0.isWhitespace }).map { argument.index(after: $0) }
        // A verb longer than any command is unknown whatever it says; it is lowercased only when short.
        let word = verb.count <= 16 ? verb.lowercased() : String(verb)
        return (word, end.map { argument[..<$0] } ?? argument.prefix(0))
    }

    /// Untrusted text quoted in a reply.
    static func quote(_ text: some StringProtocol) -> String {
        "'\(Sanitizer.excerpt(String(text)))'"
    }

    /// The key of a name a player typed, or nil when it cannot be a name.
    static func key(_ text: Substring) -> String? {
        guard text.unicodeScalars.count <= Names.maximumLength else { return nil }
        let word = text.lowercased().hasPrefix("the ") ? text.dropFirst(4) : text
        return Names.key(String(word))
    }

    // MARK: - Looking

    /// What a player sees of its place: name and description, exits, items, characters, other players.
    public func look(for nickKey: String) -> [String] {
        guard let here = places[nickKey], let place = world.places[here] else { return [] }
        var lines = ["[\(place.name)] \(place.description)"]
        let exits = world.exits(of: here).map(\.0.rawValue)
        lines.append(exits.isEmpty ? "There is no way out." : "Exits: \(exits.joined(separator: ", ")).")
        let things = items(at: .place(here)).map(\.description)
        if !things.isEmpty { lines.append("You see \(things.joined(separator: ", ")).") }
        lines += world.characters(in: here).map(\.description)
        let others = players(in: here).filter { Names.key($0) != nickKey }
        if !others.isEmpty { lines.append("Also here: \(others.joined(separator: ", ")).") }
        return lines
    }

    func inventory(of nickKey: String) -> String {
        let carried = items(at: .carried(nickKey)).map(\.description)
        return carried.isEmpty ? "You carry nothing." : "You carry \(carried.joined(separator: ", "))."
    }

    func whereabouts() -> [String] {
        let occupied = Set(present.keys.compactMap { places[$0] })
        let lines = occupied.compactMap { key in world.places[key].map { ($0.name, players(in: key)) } }
            .sorted { Names.areInOrder($0.0, $1.0) }
            .map { "\($0.0): \($0.1.joined(separator: ", "))" }
        return lines.isEmpty ? ["Nobody is anywhere."] : lines
    }

    mutating func examine(_ argument: Substring, _ nickKey: String, _ here: String) -> [WorldEffect] {
        guard !argument.isEmpty else { return look(for: nickKey).map { .tell(.player, $0) } }
        if let key = Self.key(argument) {
            if let item = world.items[key], items[key] == .place(here) || items[key] == .carried(nickKey) {
                return [.tell(.player, item.examine)]
            }
            if let character = world.characters[key], character.place == here {
                return [.tell(.player, character.description)]
            }
        }
        return [.tell(.player, "You see no \(Self.quote(argument)) here.")]
    }

    // MARK: - Moving

    mutating func go(_ direction: Direction, _ nickKey: String, _ nick: String, from here: String) -> [WorldEffect] {
        guard let there = world.places[here]?.exits[direction] else {
            return [.tell(.player, "You can't go \(direction.rawValue) from here.")]
        }
        setPlace(there, of: nickKey)
        var effects: [WorldEffect] = [
            .move(from: here, to: there),
            .tell(.othersIn(here), "\(nick) \(direction.departure)."),
            .tell(.othersIn(there), "\(nick) \(direction.arrival)."),
        ]
        effects += look(for: nickKey).map { .tell(.player, $0) }
        for character in world.characters(in: there) {
            if let greeting = character.greeting { effects.append(.tell(.place(there), says(character, greeting))) }
        }
        return effects
    }

    func says(_ character: World.Character, _ line: String) -> String {
        "\(character.name) says: \u{201C}\(line)\u{201D}"
    }

    // MARK: - Items and characters

    mutating func take(_ argument: Substring, _ nickKey: String, _ nick: String, _ here: String) -> [WorldEffect] {
        guard !argument.isEmpty else { return [.tell(.player, "Take what?")] }
        guard let key = Self.key(argument), let item = world.items[key], let location = items[key] else {
            return [.tell(.player, "There is no \(Self.quote(argument)) here.")]
        }
        switch location {
        case .carried(nickKey): return [.tell(.player, "You already have the \(item.name).")]
        case .place(here) where !item.isTakeable: return [.tell(.player, "The \(item.name) can't be taken.")]
        case .place(here):
            setLocation(.carried(nickKey), of: key)
            return [
                .tell(.player, "You take the \(item.name)."), .tell(.othersIn(here), "\(nick) takes the \(item.name)."),
            ]
        default: return [.tell(.player, "There is no \(Self.quote(argument)) here.")]
        }
    }

    mutating func drop(_ argument: Substring, _ nickKey: String, _ nick: String, _ here: String) -> [WorldEffect] {
        guard !argument.isEmpty else { return [.tell(.player, "Drop what?")] }
        guard let key = Self.key(argument), let item = world.items[key], items[key] == .carried(nickKey) else {
            return [.tell(.player, "You have no \(Self.quote(argument)).")]
        }
        setLocation(.place(here), of: key)
        return [
            .tell(.player, "You drop the \(item.name)."), .tell(.othersIn(here), "\(nick) drops the \(item.name)."),
        ]
    }

    mutating func talk(_ argument: Substring, _ here: String) -> [WorldEffect] {
        guard !argument.isEmpty else { return [.tell(.player, "Talk to whom?")] }
        let name = argument.lowercased().hasPrefix("to ") ? argument.dropFirst(3) : argument
        guard let key = Self.key(name), let character = world.characters[key], character.place == here else {
            return [.tell(.player, "There is nobody called \(Self.quote(name)) here.")]
        }
        guard !character.lines.isEmpty else { return [.tell(.player, "\(character.name) says nothing.")] }
        let turn = turns[key, default: 0]
        turns[key] = (turn + 1) % character.lines.count
        return [.tell(.place(here), says(character, character.lines[turn]))]
    }
}
