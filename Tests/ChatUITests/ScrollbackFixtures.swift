@testable import ChatUI

extension Scrollback {
    /// A scrollback holding `count` lines `line 1` … `line N`.
    static func filled(_ count: Int, width: Int = 20, height: Int = 5, capacity: Int = 10_000) -> Scrollback {
        var scrollback = Scrollback(capacity: capacity, width: width, height: height)
        for number in 1...count { scrollback.append(text: "line \(number)", style: .plain) }
        return scrollback
    }

    /// The text of the rows in view, top first.
    var visibleText: [String] {
        visibleRows().map { String($0.text) }
    }
}
