/// Which lines alert the user, when the terminal bell rings, and what the status bar says until the user has
/// seen them. Pure: the input thread feeds it lines and keys, with the time passed in.
///
/// A line alerts when it is someone else's live line that mentions the user's nick, or a direct message to
/// the user. Own lines and replayed history never alert.
///
/// An alert stays pending (the status bar shows `[mention: leslie] [DM: chris]`) until the user presses a
/// key with the output pane at the bottom: a key while scrolled back does not clear it, reaching the bottom
/// (PgDn, or Enter, which scrolls down) does. The bell rings when an alert arrives with none pending, and
/// never twice within `minimumBellInterval`: a burst of mentions rings once, and the next ring needs a key
/// in between, so someone away from the keyboard hears one bell however long the conversation goes on.
struct AlertPolicy: Equatable {
    /// What a line alerts as.
    enum Kind: Equatable {
        case mention
        case directMessage
    }

    /// The shortest time between two bells, however many keys come between alerts.
    static let minimumBellInterval = Duration.seconds(2)
    /// The status bar names at most this many nicks per kind, then `+N`.
    static let namesShown = 2

    /// Whether to ring at all (`--no-bell` turns it off; the status bar still shows alerts).
    let bell: Bool
    /// Pending mentions: how many, and who made them, in order of their first.
    private(set) var mentions = Tally()
    /// Pending direct messages: how many, and from whom.
    private(set) var directMessages = Tally()
    private var lastBell: ContinuousClock.Instant?

    /// A count and the distinct nicks behind it.
    struct Tally: Equatable {
        var count = 0
        var nicks: [String] = []

        mutating func add(_ nick: String) {
            count += 1
            if !nicks.contains(nick) { nicks.append(nick) }
        }
    }

    init(bell: Bool) {
        self.bell = bell
    }

    /// Whether anything is pending (the status bar shows it).
    var isPending: Bool { mentions.count + directMessages.count > 0 }

    /// What `style`'s line alerts as: nil for own lines, replayed history, notices and ordinary room lines.
    /// A direct message that also names the user counts once, as a direct message.
    static func kind(of style: MessageStyle) -> Kind? {
        guard !style.isOwn, !style.isReplay, !style.isNotice else { return nil }
        if style.isDirectMessage { return .directMessage }
        return style.isMention ? .mention : nil
    }

    /// A line arrived at `now`. Returns whether to ring the bell.
    mutating func received(_ style: MessageStyle, at now: ContinuousClock.Instant) -> Bool {
        guard let kind = Self.kind(of: style) else { return false }
        let wasPending = isPending
        let nick = style.nick ?? "?"
        switch kind {
        case .mention: mentions.add(nick)
        case .directMessage: directMessages.add(nick)
        }
        guard bell, !wasPending else { return false }
        if let lastBell, now - lastBell < Self.minimumBellInterval { return false }
        lastBell = now
        return true
    }

    /// The user pressed a key with the newest line in view: they have seen everything. Returns whether
    /// anything was pending (the status bar changes).
    mutating func acknowledge() -> Bool {
        guard isPending else { return false }
        mentions = Tally()
        directMessages = Tally()
        return true
    }

    /// The status bar's alert, empty when nothing is pending: `[mention: leslie]`, `[3 mentions: leslie,
    /// chris +1]`, `[DM: chris]`, mentions first.
    var statusText: String {
        [
            Self.describe(mentions, one: "mention", many: "mentions"),
            Self.describe(directMessages, one: "DM", many: "DMs"),
        ]
        .compactMap { $0 }.joined(separator: " ")
    }

    private static func describe(_ tally: Tally, one: String, many: String) -> String? {
        guard tally.count > 0 else { return nil }
        var names = tally.nicks.prefix(namesShown).joined(separator: ", ")
        if tally.nicks.count > namesShown { names += " +\(tally.nicks.count - namesShown)" }
        return tally.count == 1 ? "[\(one): \(names)]" : "[\(tally.count) \(many): \(names)]"
    }
}
