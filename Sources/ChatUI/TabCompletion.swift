/// Tab completion of the word before the cursor: one run of Tabs, pure.
///
/// The word is what lies between the previous blank (or the line's start) and the cursor. A word that starts
/// the line with `/` completes a command name (`/jo` becomes `/join `); any other word a nick of the room
/// (`le` at the line's start becomes `leslie: `, elsewhere, as after `/msg `, `leslie `). Matching ignores
/// case and compares characters by canonical equivalence, as `Names.key` does; a match is replaced by its
/// registered spelling. The first Tab puts in the first match in the candidates' order (the protocol's list
/// order), each further Tab the next one, back to the first after the last (irssi's way: no step that
/// completes only the matches' common prefix). Any other key ends the run and keeps the line as it is.
struct TabCompletion: Equatable {
    /// What Tab completes from, each list in the order the matches are offered.
    struct Candidates: Equatable, Sendable {
        /// The room's members other than this client.
        var nicks: [String] = []
        /// Command names, without the `/`.
        var commands: [String] = []
    }

    /// The line before the word.
    let before: [Character]
    /// The line after the cursor.
    let after: [Character]
    /// What replaces the word, for each match: `leslie:` at the line's start, `leslie` or `/join` elsewhere.
    let choices: [[Character]]
    /// The choice on the line now.
    private(set) var index = 0

    /// The first Tab: nil when the word before the cursor is empty or nothing matches it.
    init?(line: [Character], cursor: Int, candidates: Candidates) {
        let cursor = min(max(0, cursor), line.count)
        var start = cursor
        while start > 0, !line[start - 1].isWhitespace { start -= 1 }
        let word = line[start..<cursor]
        guard !word.isEmpty else { return nil }
        let choices: [[Character]]
        if start == 0, word.first == "/" {
            choices = Self.matches(of: word.dropFirst(), in: candidates.commands).map { Array("/" + $0) }
        } else {
            let mark = start == 0 ? ":" : ""
            choices = Self.matches(of: word, in: candidates.nicks).map { Array($0 + mark) }
        }
        guard !choices.isEmpty else { return nil }
        before = Array(line[..<start])
        after = Array(line[cursor...])
        self.choices = choices
    }

    /// The next Tab: the next match, or the first again after the last.
    mutating func advance() {
        index = (index + 1) % choices.count
    }

    /// The line with the current choice and one blank after it (none added when the rest of the line starts
    /// with one already).
    var line: [Character] {
        let blank: [Character] = after.first?.isWhitespace == true ? [] : [" "]
        return before + choices[index] + blank + after
    }

    /// The cursor after the current choice and its blank.
    var cursor: Int {
        before.count + choices[index].count + 1
    }

    /// The candidates that start with `word`, ignoring case, in their order.
    private static func matches(of word: ArraySlice<Character>, in candidates: [String]) -> [String] {
        let prefix = Array(String(word).lowercased())
        return candidates.filter { Array($0.lowercased()).starts(with: prefix) }
    }
}
