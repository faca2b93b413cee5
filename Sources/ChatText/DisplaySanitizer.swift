/// Makes text safe to show on a terminal: nothing it returns can move the cursor, change the terminal or
/// reorder the line.
///
/// The one display rule: the client sanitizes every received field with it, the UI sanitizes every line it
/// is handed again (its own line of defence), and the server quotes untrusted text through it.
public enum DisplaySanitizer {
    /// A control character (category Cc, C0 and C1, including newline) becomes U+FFFD and a tab a space;
    /// a format character (category Cf: bidi overrides, zero-width joiners) is dropped; a line or paragraph
    /// separator (U+2028, U+2029) becomes a space.
    public static func sanitized(_ text: String) -> String {
        // Most lines are printable ASCII; checking bytes first avoids building a new string for them.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 >= 0x7F }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let replacement = replacement(for: scalar) {
                scalars.append(replacement)
            }
        }
        return String(scalars)
    }

    /// Whether typed or pasted input may keep this scalar: anything but control, format and separator
    /// characters (the line editor drops those rather than show a placeholder).
    public static func isAllowedInInput(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: false
        default: true
        }
    }

    /// What to show for a scalar: itself, a substitute, or nothing (`nil`).
    private static func replacement(for scalar: Unicode.Scalar) -> Unicode.Scalar? {
        if scalar == "\t" { return " " }
        switch scalar.properties.generalCategory {
        case .control: return "\u{FFFD}"
        case .format: return nil
        case .lineSeparator, .paragraphSeparator: return " "
        default: return scalar
        }
    }
}
