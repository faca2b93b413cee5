import ChatProtocol

extension WorldReader {
    typealias Things = (
        items: [String: World.Item], itemOrder: [String], characters: [String: World.Character],
        characterOrder: [String]
    )

    // MARK: - Items and characters

    /// Items and characters share one set of names, since `examine` takes either.
    mutating func readThings(_ items: JSONValue?, _ characters: JSONValue?, places: [String: World.Place]) -> Things {
        var things: Things = ([:], [], [:], [])
        var taken: Set<String> = []
        for (index, fields) in objects(items, "items", kind: "item") {
            guard let name = name(fields["name"], "name", of: "item \(index + 1)", kind: "an item name") else {
                continue
            }
            let what = "item \(quoted(name))"
            guard taken.insert(Names.key(name)).inserted else {
                problems.append("\(what): the name is used twice")
                continue
            }
            let description = text(fields["description"], "description", of: what, optional: true) ?? "a \(name)"
            let examine = text(fields["examine"], "examine", of: what, optional: true) ?? "Just \(description)."
            let takeable = flag(fields["takeable"], "takeable", of: what) ?? true
            guard let start = place(fields["place"], of: what, in: places) else { continue }
            let key = Names.key(name)
            things.items[key] = World.Item(
                name: name, description: description, examine: examine, isTakeable: takeable, start: start)
            things.itemOrder.append(key)
        }
        for (index, fields) in objects(characters, "characters", kind: "character") {
            let label = "character \(index + 1)"
            guard let name = name(fields["name"], "name", of: label, kind: "a character name") else { continue }
            let what = "character \(quoted(name))"
            guard taken.insert(Names.key(name)).inserted else {
                problems.append("\(what): the name is used twice")
                continue
            }
            let description = text(fields["description"], "description", of: what, optional: true) ?? "\(name) is here."
            let greeting = text(fields["greeting"], "greeting", of: what, optional: true)
            let lines = textList(fields["lines"], "lines", of: what)
            guard let place = place(fields["place"], of: what, in: places) else { continue }
            let key = Names.key(name)
            things.characters[key] = World.Character(
                name: name, description: description, place: place, greeting: greeting, lines: lines)
            things.characterOrder.append(key)
        }
        return things
    }

    private mutating func objects(_ value: JSONValue?, _ field: String, kind: String) -> [(Int, [String: JSONValue])] {
        guard let value, value != .null else { return [] }
        guard case .array(let list) = value else {
            problems.append("\(quoted(field)) must be an array")
            return []
        }
        var found: [(Int, [String: JSONValue])] = []
        for (index, element) in list.enumerated() {
            guard case .object(let fields) = element else {
                problems.append("\(kind) \(index + 1) must be an object")
                continue
            }
            found.append((index, fields))
        }
        return found
    }

    /// The key of the place `value` names; a missing or unknown place is a problem.
    private mutating func place(_ value: JSONValue?, of what: String, in places: [String: World.Place]) -> String? {
        guard case .string(let name)? = value else {
            problems.append("\(what) is in no place (\"place\" must name one)")
            return nil
        }
        let key = Names.key(name)
        guard places[key] != nil else {
            problems.append("\(what): its place \(quoted(name)) is not a place")
            return nil
        }
        return key
    }

    // MARK: - Fields

    /// A name field: a string that is valid as a room name or nick (one word, at most 32 characters).
    mutating func name(_ value: JSONValue?, _ field: String, of what: String, kind: String = "a name") -> String? {
        guard let value, value != .null else {
            problems.append("\(what): \(quoted(field)) is missing")
            return nil
        }
        guard case .string(let name) = value else {
            problems.append("\(what): \(quoted(field)) must be a string")
            return nil
        }
        guard Names.isValid(name) else {
            problems.append("\(what): \(quoted(name)) is not \(kind) (\(Names.ruleDescription))")
            return nil
        }
        return name
    }

    /// A text field, made safe to relay (control characters replaced) and at most `World.maximumText` long.
    mutating func text(_ value: JSONValue?, _ field: String, of what: String, optional: Bool = false) -> String? {
        guard let value, value != .null else {
            if !optional { problems.append("\(what): \(quoted(field)) is missing") }
            return nil
        }
        guard case .string(let text) = value else {
            problems.append("\(what): \(quoted(field)) must be a string")
            return nil
        }
        guard text.unicodeScalars.count <= World.maximumText else {
            problems.append("\(what): \(quoted(field)) is longer than \(World.maximumText) characters")
            return nil
        }
        return Sanitizer.forRelay(text)
    }

    private mutating func textList(_ value: JSONValue?, _ field: String, of what: String) -> [String] {
        guard let value, value != .null else { return [] }
        guard case .array(let list) = value else {
            problems.append("\(what): \(quoted(field)) must be an array of strings")
            return []
        }
        return list.compactMap { text($0, field, of: what) }
    }

    private mutating func flag(_ value: JSONValue?, _ field: String, of what: String) -> Bool? {
        guard let value, value != .null else { return nil }
        guard case .bool(let flag) = value else {
            problems.append("\(what): \(quoted(field)) must be true or false")
            return nil
        }
        return flag
    }

    /// A name or word from the file, quoted for a message: at most 40 characters, display-safe.
    func quoted(_ text: String) -> String {
        "\"\(Sanitizer.excerpt(text))\""
    }
}
