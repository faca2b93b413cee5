/// How many terminal columns text takes, in the manner of `wcwidth(3)` under a UTF-8 locale.
///
/// Pure Swift, so it does not depend on the process locale: East Asian Wide and Fullwidth characters
/// and emoji with emoji presentation take 2 columns, combining marks, format characters and Hangul
/// medial/final jamo take 0, everything else 1. A `Character` takes the sum of its scalars, which is how
/// curses lays a string out (each spacing scalar opens a cell, zero-width ones join the cell before).
enum DisplayWidth {
    /// The columns one scalar takes: 0, 1 or 2. Control characters count 0; the UI never shows them.
    static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F { return value >= 0x20 ? 1 : 0 }
        if isZeroWidth(scalar) { return 0 }
        if isWide(scalar) { return 2 }
        return 1
    }

    /// The columns a grapheme cluster takes: the sum over its scalars.
    static func of(_ character: Character) -> Int {
        if let ascii = character.asciiValue { return ascii >= 0x20 && ascii < 0x7F ? 1 : 0 }
        return character.unicodeScalars.reduce(0) { $0 + of($1) }
    }

    /// The columns a string takes.
    static func of(_ text: some StringProtocol) -> Int {
        text.unicodeScalars.reduce(0) { $0 + of($1) }
    }

    /// The columns a run of characters takes.
    static func of(_ characters: some Sequence<Character>) -> Int {
        characters.reduce(0) { $0 + of($1) }
    }

    // MARK: - Classification

    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x7F...0x9F: return true  // DEL and C1 controls
        // Soft hyphen and the prepended concatenation marks are format characters that wcwidth shows.
        case 0xAD, 0x600...0x605, 0x6DD, 0x70F, 0x890...0x891, 0x8E2, 0x110BD, 0x110CD: return false
        case 0x1160...0x11FF, 0xD7B0...0xD7FF: return true  // Hangul medial and final jamo join the syllable
        default: break
        }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return true
        default: return false
        }
    }

    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x1100 { return false }
        // Regional indicators have emoji presentation but East Asian Width "neutral": wcwidth says 1.
        if (0x1F1E6...0x1F1FF).contains(value) { return false }
        if scalar.properties.isEmojiPresentation { return true }
        return wideRanges.contains { $0.contains(value) }
    }

    /// East Asian Wide and Fullwidth blocks that are not emoji (those come from `isEmojiPresentation`).
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F,  // Hangul initial jamo
        0x2329...0x232A,  // angle brackets
        0x2E80...0x303E,  // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
        0x3041...0x33FF,  // kana, bopomofo, Hangul compatibility jamo, kanbun, CJK strokes, enclosed, compatibility
        0x3400...0x4DFF,  // CJK extension A, Yijing hexagrams (wide in glibc)
        0x4E00...0x9FFF,  // CJK unified ideographs
        0xA000...0xA4CF,  // Yi
        0xA960...0xA97F,  // Hangul jamo extended-A
        0xAC00...0xD7A3,  // Hangul syllables
        0xF900...0xFAFF,  // CJK compatibility ideographs
        0xFE10...0xFE19,  // vertical forms
        0xFE30...0xFE6F,  // CJK compatibility forms, small form variants
        0xFF00...0xFF60,  // fullwidth forms
        0xFFE0...0xFFE6,  // fullwidth signs
        0x16FE0...0x16FE4, 0x16FF0...0x16FF1,  // ideographic symbols
        0x17000...0x18CFF, 0x18D00...0x18D08,  // Tangut, Khitan
        0x1AFF0...0x1B2FF,  // kana extended, small kana, Nushu
        0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265,
        0x20000...0x2FFFD,  // CJK extensions B to F, compatibility supplement
        0x30000...0x3FFFD,  // CJK extensions G and later
    ]
}

extension DisplayWidth {
    /// The longest start of `text` that fits in `columns`.
    static func prefix(_ text: Substring, fitting columns: Int) -> Substring {
        var used = 0
        var end = text.startIndex
        while end < text.endIndex {
            let width = of(text[end])
            guard used + width <= columns else { break }
            used += width
            text.formIndex(after: &end)
        }
        return text[..<end]
    }
}
