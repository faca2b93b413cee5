/// A stable colour slot for a nick, so that a nick keeps its colour across lines, runs and machines.
enum NickColor {
    /// How many colours nicks share on an 8- or 16-colour terminal (the UI maps slot 0...5 to red, green,
    /// yellow, blue, magenta, cyan).
    static let paletteSize = 6

    /// The colour slot (0 ..< `paletteSize`) of a nick on an 8-colour terminal.
    static func slot(for nick: String) -> Int {
        slot(for: nick, paletteSize: paletteSize)
    }

    /// The colour slot (0 ..< `paletteSize`) of a nick in a palette of that size.
    static func slot(for nick: String, paletteSize: Int) -> Int {
        Int(hash(of: nick) % UInt32(max(1, paletteSize)))
    }

    /// FNV-1a over the nick's lowercased UTF-8, because `Hasher` is seeded per process and would change the
    /// colour on every run.
    static func hash(of nick: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in nick.lowercased().utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return hash
    }
}
