/// Puts the local time before shown lines and a date line where the day changes: a pure state machine, given
/// each line's `LocalTime`.
///
/// A date line comes before the first stamped line (and again before the first after `/timestamps` turns
/// stamps back on), then whenever a line's day differs from the last stamped line's: replayed history from
/// yesterday is followed by today's date at the first line of today. Toggling changes the lines shown
/// afterwards; lines already on the screen keep their form.
public struct Timestamper: Sendable, Equatable {
    /// Whether lines get their time.
    public private(set) var isOn: Bool
    /// The day of the last stamped line, nil before the first.
    private var lastDay: Int64?

    public init(isOn: Bool) {
        self.isOn = isOn
    }

    /// Turns stamps on or off.
    public mutating func set(_ on: Bool) {
        if on && !isOn { lastDay = nil }
        isOn = on
    }

    /// What to show for `line`, whose time is `time`: the line itself while stamps are off; else the line
    /// with its `stamp`, after a date line when its day is not the last stamped line's.
    public mutating func lines(for line: DisplayLine, at time: LocalTime) -> [DisplayLine] {
        guard isOn else { return [line] }
        var stamped = line
        stamped.stamp = time.clock
        defer { lastDay = time.day }
        guard lastDay != time.day else { return [stamped] }
        return [.notice(time.dateLine), stamped]
    }
}
