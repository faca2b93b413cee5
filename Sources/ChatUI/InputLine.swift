/// A line from the input line: typed and entered, or one line of a multi-line bracketed paste.
///
/// A pasted line is text to send as it is: one that starts with `/` is not a command (a pasted `/q` must not
/// quit). Blank lines are never returned.
public enum InputLine: Equatable, Sendable {
    /// Typed, then Enter.
    case typed(String)
    /// One line of a paste of several, with tabs as spaces and control characters removed.
    case pasted(String)

    /// The line's text.
    public var text: String {
        switch self {
        case .typed(let text), .pasted(let text): text
        }
    }
}
