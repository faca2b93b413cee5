import Foundation

/// The rules for nicks and room names, which PROTOCOL.md makes the same.
public enum Names {
    /// The most Unicode scalar values a nick or room name may have.
    public static let maximumLength = 32

    /// The nine punctuation characters a name may hold besides letters and digits.
    public static let punctuation = "_-.[]{}|^"

    /// The rule in words, for help and error text: `1-32 letters, digits, or _-.[]{}|^`.
    public static let ruleDescription = "1-\(maximumLength) letters, digits, or \(punctuation)"

    private static let punctuationScalars = Set(punctuation.unicodeScalars)

    /// True when `name` is 1 to 32 scalars, each a letter, a decimal digit, one of `_-.[]{}|^`, or a
    /// combining mark after the first.
    public static func isValid(_ name: String) -> Bool {
        var count = 0
        for scalar in name.unicodeScalars {
            count += 1
            guard count <= maximumLength, allows(scalar, atStart: count == 1) else { return false }
        }
        return count > 0
    }

    /// Whether a name may hold `scalar`: a letter, a decimal digit, one of `_-.[]{}|^`, or (except at the
    /// start) a combining mark.
    public static func allows(_ scalar: Unicode.Scalar, atStart: Bool) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
            true
        case .nonspacingMark, .spacingMark, .enclosingMark:
            !atStart
        default:
            punctuationScalars.contains(scalar)
        }
    }

    /// The form two names are compared in: NFC, lowercased (so `Pat` is `pat`, and `é` is `e` + U+0301).
    public static func key(_ name: String) -> String {
        name.precomposedStringWithCanonicalMapping.lowercased().precomposedStringWithCanonicalMapping
    }

    /// The protocol's list order: by lowercased name, then by Unicode scalar values.
    public static func areInOrder(_ lhs: String, _ rhs: String) -> Bool {
        let lower = (lhs.lowercased(), rhs.lowercased())
        if !lower.0.unicodeScalars.elementsEqual(lower.1.unicodeScalars) {
            return lower.0.unicodeScalars.lexicographicallyPrecedes(lower.1.unicodeScalars)
        }
        return lhs.unicodeScalars.lexicographicallyPrecedes(rhs.unicodeScalars)
    }
}
