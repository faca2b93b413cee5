/// Text cut to fit a narrow terminal so that the cut shows: an ellipsis, never part of a number.
enum Shortening {
    /// The mark that stands for the text cut off.
    static let ellipsis = "…"

    /// `text` as it fits in `columns`: whole when it fits, else its start and an ellipsis. The cut never
    /// splits a number: a port 47101 shows as `…`, never as `4710…`, which would read as another port.
    static func fitted(_ text: String, columns: Int) -> String {
        guard DisplayWidth.of(text) > columns else { return text }
        guard columns > 0 else { return "" }
        var kept = DisplayWidth.prefix(text[...], fitting: columns - 1)
        if text[kept.endIndex].isNumber {
            while let last = kept.last, last.isNumber { kept = kept.dropLast() }
        }
        return kept + ellipsis
    }

    /// The prompt (`leslie> `) as it fits in `columns`: the nick is shortened (`le…> `) so that the `> ` and
    /// its space always part the prompt from the text typed.
    static func prompt(_ prompt: String, columns: Int) -> String {
        guard DisplayWidth.of(prompt) > columns else { return prompt }
        let tail = prompt.hasSuffix("> ") ? "> " : " "
        guard columns >= tail.count + 2 else { return String(DisplayWidth.prefix(tail[...], fitting: columns)) }
        return fitted(String(prompt.dropLast(tail.count)), columns: columns - tail.count) + tail
    }
}
