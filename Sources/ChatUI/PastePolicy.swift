import ChatText

/// What a bracketed paste does, decided from its text alone.
///
/// One line goes onto the input line, to be edited and sent with Enter. Two to `linesWithoutAsking` lines
/// are sent at once, one message per line, in order. More lines first ask on the input line (`paste 12
/// lines? (y/n)`), as WeeChat does, because a paste into the wrong window can flood a room. Pasted lines are
/// always text: one that starts with `/` is sent as that text, never run as a command, so a pasted `/q`
/// cannot quit.
enum PastePolicy {
    /// Pastes of up to this many lines are sent without asking.
    static let linesWithoutAsking = 3
    /// A tab becomes this many spaces: chat has no tab stops, and indentation stays readable.
    static let tabWidth = 4

    /// What to do with a paste.
    enum Action: Equatable {
        /// Nothing to paste (only blanks or control characters).
        case nothing
        /// Put this text on the input line at the cursor.
        case insert(String)
        /// Send these lines now, in order.
        case send([String])
        /// Ask before sending these lines; `truncated` says the paste was cut at `KeyDecoder.pasteCapacity`.
        case ask([String], truncated: Bool)
    }

    /// The action for a paste's `text`, `truncated` if the decoder had to drop its end.
    static func action(for text: String, truncated: Bool) -> Action {
        let lines = lines(of: text)
        switch lines.count {
        case 0: return .nothing
        case 1 where !truncated: return .insert(lines[0])
        case _ where truncated || lines.count > linesWithoutAsking: return .ask(lines, truncated: truncated)
        default: return .send(lines)
        }
    }

    /// `earlier` then as many of `later` as fit in `KeyDecoder.pasteCapacity` bytes in all, so that pastes
    /// piling up under one question stay bounded; `cut` says some of `later` did not fit.
    static func joining(_ earlier: [String], _ later: [String]) -> (lines: [String], cut: Bool) {
        var bytes = earlier.reduce(0) { $0 + $1.utf8.count + 1 }
        var lines = earlier
        for line in later {
            bytes += line.utf8.count + 1
            guard bytes <= KeyDecoder.pasteCapacity else { return (lines, true) }
            lines.append(line)
        }
        return (lines, false)
    }

    /// The question for `count` lines.
    static func question(lines count: Int, truncated: Bool) -> String {
        truncated ? "paste \(count) lines (the rest cut)? (y/n) " : "paste \(count) lines? (y/n) "
    }

    /// The lines of a paste: split at CR, LF or CR LF; tabs become spaces; control and format characters go;
    /// blank lines are skipped. (An escape sequence's printable tail stays text: pasted text is shown, not
    /// interpreted.)
    static func lines(of text: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var afterReturn = false
        func endLine() {
            let line = String(current)
            if line.contains(where: { !$0.isWhitespace }) { lines.append(line) }
            current = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n" where afterReturn: break  // the LF of a CR LF
            case "\r", "\n": endLine()
            case "\t": current.append(contentsOf: String(repeating: " ", count: tabWidth).unicodeScalars)
            case _ where DisplaySanitizer.isAllowedInInput(scalar): current.append(scalar)
            default: break
            }
            afterReturn = scalar == "\r"
        }
        endLine()
        return lines
    }
}
