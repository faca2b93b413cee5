/// A stable colour slot for a nick, so that a nick keeps its colour across lines, runs and machines.
enum NickColor {
    /// How many colours nicks share (the UI maps slot 0...5 to red, green, yellow, blue, magenta, cyan).
    static let paletteSize = 6

    /// The colour slot (0 ..< `paletteSize`) of a nick: FNV-1a over its lowercased UTF-8, because
    /// `Hasher` is seeded per process and would change the colour on every run.
    static func slot(for nick: String) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in nick.lowercased().utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return Int(hash % UInt32(paletteSize))
    }
}
