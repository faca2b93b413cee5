/// One line of the output pane: display-safe text, its style, and its rows at the pane's current width.
struct OutputLine: Equatable {
    /// The text, already sanitized for display.
    let text: String
    /// How to draw it.
    let style: MessageStyle
    /// Where the coloured nick prefix ends, when the text begins with `style.nick`.
    let nickEnd: String.Index?
    /// The rows of `text` at the last width it was wrapped to.
    private(set) var rows: [Range<String.Index>]

    /// A line wrapped to `width` columns. `text` must already be display-safe.
    init(text: String, style: MessageStyle, width: Int) {
        self.text = text
        self.style = style
        if let nick = style.nick, !nick.isEmpty, text.hasPrefix(nick) {
            nickEnd = text.index(text.startIndex, offsetBy: nick.count)
        } else {
            nickEnd = nil
        }
        rows = LineWrapper.wrap(text, width: width)
    }

    /// Re-wraps to a new width.
    mutating func rewrap(width: Int) {
        rows = LineWrapper.wrap(text, width: width)
    }
}
