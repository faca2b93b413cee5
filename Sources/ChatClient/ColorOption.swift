import ArgumentParser
import ChatUI

/// `--colors auto|256|8|none`: the curses screen's colours.
enum ColorOption: String, CaseIterable, ExpressibleByArgument {
    case auto
    case full256 = "256"
    case eight = "8"
    case none

    /// The UI's mode: the option when given, else none with `NO_COLOR` set (and not empty), as no-color.org
    /// asks, else auto. An explicit `--colors` wins over `NO_COLOR`.
    static func mode(for option: ColorOption?, noColor: String?) -> ColorMode {
        switch option {
        case .auto?: .auto
        case .full256?: .full256
        case .eight?: .eight
        case .none?: .none
        case nil: (noColor ?? "").isEmpty ? .auto : .none
        }
    }
}
