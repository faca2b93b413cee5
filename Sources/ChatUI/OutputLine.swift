/// One line of the output pane: display-safe text, its style, and its rows at the pane's current width.
struct OutputLine: Equatable {
    /// The text, already sanitized for display.
    let text: String
    /// How to draw it.
    let style: MessageStyle
    /// Where the text proper begins: after `style.stamp` and its space, which `ChatUI` put in front.
    let bodyStart: String.Index
    /// Where the coloured nick prefix ends, when the text (after a stamp) begins with `style.nick`.
    let nickEnd: String.Index?
    /// The columns before the message text (`leslie: `, `pat -> chris: `, `*** `, and a stamp): rows after the
    /// first are indented by this much, so wrapped text lines up under the message.
    let indent: Int
    /// The rows of `text` at the last width it was wrapped to.
    private(set) var rows: [Range<String.Index>]
    /// The indent continuation rows get at the last width (none when the pane is too narrow for it).
    private(set) var rowIndent: Int

    /// A line wrapped to `width` columns. `text` must already be display-safe.
    init(text: String, style: MessageStyle, width: Int) {
        self.text = text
        self.style = style
        if let stamp = style.stamp, text.hasPrefix(stamp + " ") {
            bodyStart = text.index(text.startIndex, offsetBy: stamp.count + 1)
        } else {
            bodyStart = text.startIndex
        }
        if let nick = style.nick, !nick.isEmpty, text[bodyStart...].hasPrefix(nick) {
            nickEnd = text.index(bodyStart, offsetBy: nick.count)
        } else {
            nickEnd = nil
        }
        indent = Self.indent(of: text, bodyStart: bodyStart, nickEnd: nickEnd)
        rows = LineWrapper.wrap(text, width: width, indent: indent)
        rowIndent = LineWrapper.effectiveIndent(indent, width: width)
    }

    /// Re-wraps to a new width.
    mutating func rewrap(width: Int) {
        rows = LineWrapper.wrap(text, width: width, indent: indent)
        rowIndent = LineWrapper.effectiveIndent(indent, width: width)
    }

    /// The width up to the message text: past the first `: ` after the nick, or past a notice's `*** `, or
    /// past the stamp.
    static func indent(of text: String, bodyStart: String.Index, nickEnd: String.Index?) -> Int {
        if let nickEnd, let colon = text[nickEnd...].firstRange(of: ": ") {
            return DisplayWidth.of(text[..<colon.upperBound])
        }
        return DisplayWidth.of(text[..<bodyStart]) + (text[bodyStart...].hasPrefix("*** ") ? 4 : 0)
    }
}
