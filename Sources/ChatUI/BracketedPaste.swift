import ChatSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Bracketed paste mode (xterm's `DECSET 2004`): the terminal wraps pasted text in `ESC [ 200 ~` and
/// `ESC [ 201 ~`, so a paste can be told from typing (`KeyDecoder`, `PastePolicy`).
///
/// Curses has no call for it, so the sequences are written to standard output directly, right after a
/// `doupdate` (curses' own output is flushed then). Terminals that do not know the mode ignore it. It is
/// switched off before every `endwin`: on exit (a signal's too, which ends through the same path) and on
/// Ctrl-Z, so the shell never receives the markers.
enum BracketedPaste {
    static func enable() { write("\u{1B}[?2004h") }

    static func disable() { write("\u{1B}[?2004l") }

    private static func write(_ sequence: String) {
        try? DescriptorOutput.writeAll(Array(sequence.utf8), to: STDOUT_FILENO)
    }
}
