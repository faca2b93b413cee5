import Testing

@testable import ChatUI

@Suite struct NickPaletteTests {
    @Test func theLargePaletteIsCubeColoursNotGreyNotNearBlackOrWhite() {
        let colors = NickPalette.full256.nickColors
        #expect((30...100).contains(colors.count))
        #expect(Set(colors).count == colors.count)
        let levels = [0, 95, 135, 175, 215, 255]
        for color in colors {
            #expect((16...231).contains(color))
            let cube = Int(color) - 16
            let channels = [levels[cube / 36], levels[cube / 6 % 6], levels[cube % 6]]
            #expect(channels.max()! - channels.min()! >= 80, "colour \(color) is greyish")
            #expect(channels.max()! >= 135, "colour \(color) is near black")
            #expect(channels.min()! <= 135, "colour \(color) is near white")
        }
        #expect(!colors.contains(NickPalette.directMessageColor))
    }

    @Test func theTerminalDecidesThePalette() {
        #expect(NickPalette.palette(for: .auto, colors: 256, pairs: 65_536) == .full256)
        #expect(NickPalette.palette(for: .full256, colors: 256, pairs: 65_536) == .full256)
        #expect(NickPalette.palette(for: .auto, colors: 8, pairs: 64) == .eight)
        #expect(NickPalette.palette(for: .full256, colors: 8, pairs: 64) == .eight)
        #expect(NickPalette.palette(for: .eight, colors: 256, pairs: 65_536) == .eight)
        #expect(NickPalette.palette(for: .auto, colors: 256, pairs: 16) == .eight)
        #expect(NickPalette.palette(for: .none, colors: 256, pairs: 65_536) == nil)
        #expect(NickPalette.palette(for: .auto, colors: 0, pairs: 0) == nil)
    }

    @Test func pairsAreDistinctAndTheDirectMessagePairFollowsTheNicks() {
        for palette in [NickPalette.eight, .full256] {
            let pairs = palette.nickColors.indices.map(palette.nickPair(slot:))
            #expect(pairs.first == 1)
            #expect(Set(pairs).count == pairs.count)
            #expect(palette.directMessagePair == Int16(palette.nickColors.count + 1))
        }
    }

    @Test func theEightColourSlotsAreTheSameAsBefore() {
        // The default screens (8 colours) must not change: the same hash, the same six slots.
        for nick in ["pat", "leslie", "chris", "Pat", "東京"] {
            #expect(NickPalette.eight.pair(for: nick) == Int16(NickColor.slot(for: nick) + 1))
        }
        #expect(NickColor.slot(for: "pat") == Int(NickColor.hash(of: "pat") % 6))
    }

    @Test func aNickKeepsItsColourWhateverItsCase() {
        let palette = NickPalette.full256
        #expect(palette.pair(for: "leslie") == palette.pair(for: "LESLIE"))
        #expect(palette.pair(for: "leslie") == palette.pair(for: "leslie"))
        // FNV-1a is fixed, so the colour is the same on every run and machine.
        #expect(NickColor.hash(of: "pat") == 0x6956_17DA)
    }

    @Test func manyNicksSpreadOverManySlots() {
        let size = NickPalette.full256.nickColors.count
        let nicks = (0..<400).map { "user\($0)" } + ["pat", "leslie", "chris", "sam", "kim", "alex", "jo"]
        var counts = [Int](repeating: 0, count: size)
        for nick in nicks { counts[NickColor.slot(for: nick, paletteSize: size)] += 1 }
        // Every slot used, and none takes more than three times its share.
        #expect(counts.allSatisfy { $0 > 0 })
        #expect(counts.max()! <= 3 * nicks.count / size)
        // Twenty people: at least 14 colours among them, where the six colours give at most 6.
        let twenty = [
            "pat", "leslie", "chris", "sam", "kim", "alex", "jo", "max", "lee", "ana", "bob", "eve",
            "dan", "zoe", "ian", "amy", "tom", "liz", "ray", "ada",
        ]
        let used = Set(twenty.map { NickColor.slot(for: $0, paletteSize: size) })
        #expect(used.count >= 14)
    }
}
