/// Which colours the UI uses (the client's `--colors auto|256|8|none`).
public enum ColorMode: Sendable, Hashable, CaseIterable {
    /// 256 colours where the terminal has them (`COLORS >= 256`), else 8, else none.
    case auto
    /// Nicks in the 6 colours every colour terminal has, even on a 256-colour one.
    case eight
    /// Nicks in 39 colours of the xterm-256 cube; falls back to the 6 colours where the terminal lacks them.
    case full256
    /// No colour at all (`NO_COLOR`): bold, dim, reverse and underline still mark own lines, notices,
    /// mentions and direct messages.
    case none
}
