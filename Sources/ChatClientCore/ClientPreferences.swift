/// The client's preferences: what the config file and the command line may set (README, "Config file").
///
/// Each default is the initial value of its property, and nowhere else: `resolved(file:options:environment:)`
/// starts from `ClientPreferences()` and lets the environment, then the file, then the command line change it.
public struct ClientPreferences: Sendable, Equatable {
    /// Local `HH:MM` before each shown line, and a date line when the day changes (`--timestamps`).
    public var timestamps = false
    /// A mention or a direct message rings the terminal bell.
    public var bell = true
    /// The colours the curses screen uses.
    public var colors: ColorChoice = .auto
    /// The transcript file (`--log FILE`), or nil for none.
    public var log: String?

    public init() {}

    /// The preferences in force: the defaults, then `NO_COLOR` (non-empty: no colours), then `file`, then
    /// `options`; a later source wins where it says anything.
    public static func resolved(
        file: PreferenceChoices = PreferenceChoices(), options: PreferenceChoices = PreferenceChoices(),
        environment: [String: String]
    ) -> ClientPreferences {
        var preferences = ClientPreferences()
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { preferences.colors = .none }
        preferences.apply(file)
        preferences.apply(options)
        return preferences
    }

    /// Takes every choice `choices` makes.
    public mutating func apply(_ choices: PreferenceChoices) {
        if let timestamps = choices.timestamps { self.timestamps = timestamps }
        if let bell = choices.bell { self.bell = bell }
        if let colors = choices.colors { self.colors = colors }
        if let log = choices.log { self.log = log }
    }
}

/// What one source (the config file, the command line) says about the preferences; nil where it says nothing.
public struct PreferenceChoices: Sendable, Equatable {
    public var timestamps: Bool?
    public var bell: Bool?
    public var colors: ColorChoice?
    public var log: String?

    public init(timestamps: Bool? = nil, bell: Bool? = nil, colors: ColorChoice? = nil, log: String? = nil) {
        self.timestamps = timestamps
        self.bell = bell
        self.colors = colors
        self.log = log
    }
}

/// Which colours the curses screen may use: the config file's `colors = "auto" | "256" | "8" | "none"`.
public enum ColorChoice: String, Sendable, Equatable, CaseIterable {
    /// As many as the terminal has (`has_colors`, `COLORS`).
    case auto
    /// The eight basic colours only.
    case eight = "8"
    /// The 256-colour palette.
    case full256 = "256"
    /// No colour at all (as `NO_COLOR` asks).
    case none

    /// The names the file and the command line take, in the order they are listed.
    public static let names = allCases.map(\.rawValue)
}
