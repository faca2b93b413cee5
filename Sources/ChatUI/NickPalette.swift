import CNcurses

/// The colours the output pane uses: one per nick slot, and one for the text of direct messages.
///
/// Pure: the UI asks `palette(for:colors:pairs:)` once, after `start_color`, and gives pair `index + 1` to
/// `nickColors[index]`; `directMessagePair` comes after them.
struct NickPalette: Equatable {
    /// The terminal colour numbers nicks are drawn in, by slot.
    let nickColors: [Int16]

    /// The colour of a direct message's text (the part after the nick): the terminal's own magenta. The
    /// 256-colour palette leaves the cube's magentas out; with six colours a nick may be magenta too, but a
    /// nick is bold and only a DM's text is coloured.
    static let directMessageColor = Int16(COLOR_MAGENTA)

    /// The six colours of an 8- or 16-colour terminal: every one but black and white.
    static let eight = NickPalette(
        nickColors: [COLOR_RED, COLOR_GREEN, COLOR_YELLOW, COLOR_BLUE, COLOR_MAGENTA, COLOR_CYAN].map { Int16($0) })

    /// 39 colours of the xterm-256 colour cube (16...231), as irssi and WeeChat pick from on such terminals:
    /// the cube colours whose relative luminance lies between 0.12 and 0.45 (readable on dark and light
    /// backgrounds alike) and which are not greyish (channels at least two steps apart), kept only when at
    /// least 50 RGB units from every colour kept before (so neighbours stay distinguishable); the magentas
    /// of direct messages (127, 164, 170, 201, 207) left out.
    static let full256 = NickPalette(nickColors: [
        26, 28, 29, 31, 33, 36, 38, 61, 63, 64, 68, 71, 73, 75, 93, 94, 98, 105, 106, 110, 131, 133, 135, 136,
        140, 143, 160, 161, 166, 168, 173, 175, 177, 198, 203, 205, 208, 210, 212,
    ])

    /// The colour pair of nick slot `slot`.
    func nickPair(slot: Int) -> Int16 { Int16(slot + 1) }

    /// The colour pair of a direct message's text, after the nick pairs.
    var directMessagePair: Int16 { Int16(nickColors.count + 1) }

    /// The colour pair of `nick`'s name: its FNV-1a slot in this palette.
    func pair(for nick: String) -> Int16 {
        nickPair(slot: NickColor.slot(for: nick, paletteSize: nickColors.count))
    }

    /// The palette for `mode` on a terminal with `colors` colours and `pairs` colour pairs (curses' `COLORS`
    /// and `COLOR_PAIRS` after `start_color`, 0 without colour), or nil for no colour at all. `auto` and
    /// `full256` take the large palette only when the terminal has 256 colours and the pairs for it;
    /// otherwise the six colours.
    static func palette(for mode: ColorMode, colors: Int, pairs: Int) -> NickPalette? {
        guard mode != .none, colors >= 8, pairs > eight.nickColors.count + 1 else { return nil }
        let large = colors >= 256 && pairs > full256.nickColors.count + 1
        switch mode {
        case .auto, .full256: return large ? full256 : eight
        case .eight, .none: return eight
        }
    }
}
