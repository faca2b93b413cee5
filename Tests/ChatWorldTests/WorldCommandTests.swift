import Testing

@testable import ChatWorld

@Suite struct WorldCommandTests {
    static func state() throws -> WorldState {
        var state = WorldState(world: try World(toml: WorldFileTests.tiny))
        _ = state.enter("pat", nick: "pat")
        _ = state.enter("leslie", nick: "Leslie")
        return state
    }

    static func lines(_ effects: [WorldEffect], to audience: WorldAudience) -> [String] {
        effects.compactMap { effect in
            guard case .tell(audience, let line) = effect else { return nil }
            return line
        }
    }

    @Test func movingNamesTheDirectionsForOthers() throws {
        var state = try Self.state()
        let north = state.perform("go north", by: "pat")
        #expect(north.first == .move(from: "hall", to: "yard"))
        #expect(Self.lines(north, to: .othersIn("hall")) == ["pat leaves north."])
        #expect(Self.lines(north, to: .othersIn("yard")) == ["pat arrives from the south."])
        #expect(Self.lines(north, to: .place("yard")) == ["Tam says: \u{201C}Shut the door.\u{201D}"])
        #expect(Self.lines(north, to: .player).first == "[Yard] A yard.")
        #expect(state.places["pat"] == "yard")
        let back = state.perform("S", by: "pat")
        #expect(Self.lines(back, to: .othersIn("yard")) == ["pat leaves south."])
        #expect(Self.lines(back, to: .othersIn("hall")) == ["pat arrives from the north."])
        let up = state.perform("u", by: "pat")
        #expect(Self.lines(up, to: .othersIn("hall")) == ["pat goes up."])
        #expect(Self.lines(up, to: .othersIn("attic")) == ["pat arrives from below."])
        let down = state.perform("down", by: "pat")
        #expect(Self.lines(down, to: .othersIn("hall")) == ["pat arrives from above."])
        #expect(state.perform("west", by: "pat") == [.tell(.player, "You can't go west from here.")])
        #expect(state.places["pat"] == "hall")
    }

    @Test func twoTakesOfOneItemGiveItToOne() throws {
        var state = try Self.state()
        let first = state.perform("take lamp", by: "leslie")
        let second = state.perform("take the LAMP", by: "pat")
        #expect(Self.lines(first, to: .player) == ["You take the lamp."])
        #expect(Self.lines(first, to: .othersIn("hall")) == ["Leslie takes the lamp."])
        #expect(second == [.tell(.player, "There is no 'the LAMP' here.")])
        #expect(state.items["lamp"] == .carried("leslie"))
        #expect(state.perform("drop lamp", by: "pat") == [.tell(.player, "You have no 'lamp'.")])
        #expect(Self.lines(state.perform("drop lamp", by: "leslie"), to: .player) == ["You drop the lamp."])
        #expect(Self.lines(state.perform("take lamp", by: "pat"), to: .player) == ["You take the lamp."])
        #expect(state.perform("i", by: "pat") == [.tell(.player, "You carry a brass lamp.")])
    }

    @Test func fixedItemsStayAndCharactersTalkInTurn() throws {
        var state = try Self.state()
        _ = state.perform("n", by: "pat")
        #expect(state.perform("take anvil", by: "pat") == [.tell(.player, "The anvil can't be taken.")])
        #expect(state.perform("talk to tam", by: "pat") == [.tell(.place("yard"), "Tam says: \u{201C}One.\u{201D}")])
        #expect(state.perform("talk Tam", by: "pat") == [.tell(.place("yard"), "Tam says: \u{201C}Two.\u{201D}")])
        #expect(state.perform("talk tam", by: "pat") == [.tell(.place("yard"), "Tam says: \u{201C}One.\u{201D}")])
        #expect(state.perform("say  hi there ", by: "pat") == [.say("hi there")])
        #expect(state.perform("where", by: "pat") == [.tell(.player, "Hall: Leslie"), .tell(.player, "Yard: pat")])
    }

    @Test func stateCarriesOverARenameAndSavedChanges() throws {
        var state = try Self.state()
        state.recordsChanges = true
        _ = state.perform("take lamp", by: "pat")
        _ = state.perform("north", by: "pat")
        state.rename("pat", to: "pip", nick: "pip")
        #expect(state.places["pip"] == "yard" && state.items["lamp"] == .carried("pip"))
        let changes = state.takeChanges()
        #expect(changes.places == ["pip": "yard"] && changes.forgotten == ["pat"])
        let restored = WorldState(world: state.world, saved: changes)
        #expect(restored.places["pip"] == "yard" && restored.items["lamp"] == .carried("pip"))
    }

    @Test(arguments: [
        String(repeating: "x", count: 65_000),
        "take " + String(repeating: "lamp", count: 16_000),
        "go \u{202E}north\u{0007}",
        "\u{0000}\u{001B}[2J look",
        "examine " + String(repeating: "\u{0301}", count: 10_000),
        "ЛАМПА взять",
        "   ",
    ])
    func hostileCommandsGetShortRepliesAndChangeNothing(command: String) throws {
        var state = try Self.state()
        let effects = state.perform(command, by: "pat")
        for effect in effects {
            guard case .tell(_, let line) = effect else {
                Issue.record("unexpected \(effect)")
                continue
            }
            #expect(line.unicodeScalars.count < 200)
            #expect(!line.unicodeScalars.contains { $0.properties.generalCategory == .control })
        }
        #expect(state.places["pat"] == "hall" && state.items["lamp"] == .place("hall"))
    }
}
