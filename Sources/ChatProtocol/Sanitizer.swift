import ChatText

/// Makes text safe to relay, and untrusted text safe to quote (the display rule is `DisplaySanitizer`).
public enum Sanitizer {
    /// What the server relays: each control character (category Cc) becomes U+FFFD, a tab a space.
    public static func forRelay(_ text: String) -> String {
        // Most messages hold no control character; scanning bytes avoids building a new string for them.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\t" {
                scalars.append(" ")
            } else if scalar.properties.generalCategory == .control {
                scalars.append("\u{FFFD}")
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// A short, display-safe quotation of untrusted text for an error message: at most `limit` scalars, so an
    /// error that echoes hostile input always fits in one frame.
    public static func excerpt(_ text: String, limit: Int = 40) -> String {
        let clean = DisplaySanitizer.sanitized(text)
        guard clean.unicodeScalars.count > limit else { return clean }
        var scalars = String.UnicodeScalarView(clean.unicodeScalars.prefix(limit))
        scalars.append("…")
        return String(scalars)
    }
}
