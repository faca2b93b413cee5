/// The status bar's text: the session's status on the left; on the right, pending alerts and the "more below"
/// mark while the output pane is scrolled back. Pure, so that the layout at any width is tested.
enum StatusBarText {
    /// The bar's text at `columns`: `status` shortened with an ellipsis to leave room for the right side,
    /// `alert` (`[mention: leslie]`, empty for none), then ` -- more below (N new) -- ` when `scrolledBack`.
    static func compose(status: String, alert: String, scrolledBack: Bool, unseen: Int, columns: Int) -> String {
        var mark = ""
        if scrolledBack {
            mark = unseen > 0 ? " -- more below (\(unseen) new) -- " : " -- more below -- "
        }
        let right = alert.isEmpty ? mark : " \(alert)" + (mark.isEmpty ? " " : mark)
        let rightWidth = DisplayWidth.of(right)
        let left = Shortening.fitted(" \(status)", columns: max(0, columns - rightWidth))
        let gap = String(repeating: " ", count: max(0, columns - DisplayWidth.of(left) - rightWidth))
        return String(DisplayWidth.prefix((left + gap + right)[...], fitting: columns))
    }
}
