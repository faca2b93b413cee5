import ChatProtocol

extension World {
    /// Checks a world read from a file (`World+TOML.swift`), as a tree of values. Every problem is reported,
    /// each on its own line; the world is made only when there is none.
    init(tree top: [String: JSONValue]) throws(WorldFileError) {
        var reader = WorldReader()
        let world = reader.read(top)
        guard reader.problems.isEmpty, let world else { throw WorldFileError(reader.problems) }
        self = world
    }
}

/// Collects a world file's problems while it builds the world.
struct WorldReader {
    var problems: [String] = []

    mutating func read(_ top: [String: JSONValue]) -> World? {
        let title = text(top["title"], "title", of: "the world", optional: true) ?? "the world"
        let startName = name(top["start"], "start", of: "the world")
        let places = readPlaces(top["places"])
        let things = readThings(top["items"], top["characters"], places: places)
        var start = ""
        if let startName {
            start = Names.key(startName)
            if !places.isEmpty && places[start] == nil { problems.append("start \(quoted(startName)) is not a place") }
        }
        guard problems.isEmpty else { return nil }
        return World(
            title: title, start: start, places: places, items: things.items, itemOrder: things.itemOrder,
            characters: things.characters, characterOrder: things.characterOrder)
    }

    // MARK: - Places

    private mutating func readPlaces(_ value: JSONValue?) -> [String: World.Place] {
        guard case .array(let list)? = value, !list.isEmpty else {
            problems.append("\"places\" must be a non-empty array of places")
            return [:]
        }
        var places: [String: World.Place] = [:]
        var exitsByPlace: [(place: String, exits: [(String, String)])] = []
        for (index, element) in list.enumerated() {
            guard case .object(let fields) = element else {
                problems.append("place \(index + 1) must be an object")
                continue
            }
            let label = "place \(index + 1)"
            guard let name = name(fields["name"], "name", of: label, kind: "a room name") else { continue }
            let what = "place \(quoted(name))"
            let description = text(fields["description"], "description", of: what) ?? ""
            let key = Names.key(name)
            guard places[key] == nil else {
                problems.append("place \(quoted(name)) is defined twice")
                continue
            }
            places[key] = World.Place(name: name, description: description, exits: [:])
            exitsByPlace.append((key, readExits(fields["exits"], of: what)))
        }
        // Exits are checked once every place is known, so an exit may lead to a place defined further down.
        for (key, exits) in exitsByPlace {
            guard let place = places[key] else { continue }
            var resolved: [Direction: String] = [:]
            for (word, target) in exits {
                guard let direction = Direction(word: word) else {
                    problems.append(
                        "place \(quoted(place.name)): \(quoted(word)) is not a direction; use \(Direction.spelling)")
                    continue
                }
                let targetKey = Names.key(target)
                guard places[targetKey] != nil else {
                    problems.append(
                        "place \(quoted(place.name)): exit \(direction.rawValue) leads to \(quoted(target)), which is not a place"
                    )
                    continue
                }
                guard resolved[direction] == nil else {
                    problems.append("place \(quoted(place.name)): exit \(direction.rawValue) is given twice")
                    continue
                }
                resolved[direction] = targetKey
            }
            places[key] = World.Place(name: place.name, description: place.description, exits: resolved)
        }
        return places
    }

    private mutating func readExits(_ value: JSONValue?, of what: String) -> [(String, String)] {
        guard let value, value != .null else { return [] }
        guard case .object(let fields) = value else {
            problems.append("\(what): \"exits\" must be an object from direction to place")
            return []
        }
        var exits: [(String, String)] = []
        for (word, target) in fields.sorted(by: { $0.key < $1.key }) {
            guard case .string(let name) = target else {
                problems.append("\(what): exit \(quoted(word)) must name a place")
                continue
            }
            exits.append((word, name))
        }
        return exits
    }
}
