/// The output pane's content: a capped store of lines wrapped to the pane's width, and the window onto it.
///
/// The view is anchored to the bottom: `offset` counts the rows between the last visible row and the
/// newest row. At 0 the view follows new output; scrolled back, new lines raise `offset` by their rows so
/// the view stays still, and `unseenLines` counts them for the "more below" mark. Older lines inserted
/// above (`insertAbove`) leave `offset`, and so the view, where it was.
///
/// The unread marker (`Scrollback.unreadMarker`) is a line of its own: the first line that arrives while
/// the view is scrolled back gets it just above. It stays while the user reads on; once the view has been
/// at the bottom, the next line that arrives scrolled back moves it there. Sending a line removes it.
/// Older lines inserted above never count as unread.
struct Scrollback {
    /// One visible row: a line and the part of its text on that row.
    struct Row: Equatable {
        let line: OutputLine
        let range: Range<String.Index>

        /// The row's text.
        var text: Substring { line.text[range] }
        /// Blank columns before the text: the hanging indent on a continuation row.
        var indent: Int { range.lowerBound == line.text.startIndex ? 0 : line.rowIndent }
    }

    /// The text of the unread marker line.
    static let unreadMarker = "--- unread ---"

    /// The most lines kept (the unread marker counts as one); older ones are dropped.
    let capacity: Int
    /// The pane's width in columns.
    private(set) var width: Int
    /// The pane's height in rows.
    private(set) var height: Int
    /// Rows scrolled back from the bottom; 0 follows new output.
    private(set) var offset = 0
    /// Lines that arrived while scrolled back and have not been scrolled into view yet.
    private(set) var unseenLines = 0
    /// The number of rows of all lines at the current width.
    private(set) var totalRows = 0
    /// The storage index of the unread marker line, if there is one.
    private(set) var markerIndex: Int?

    // Dropping the oldest line advances `head`; the array is compacted once `head` reaches the capacity, so
    // dropping costs amortized O(1) instead of the O(n) of `removeFirst()`.
    private var storage: [OutputLine] = []
    private var head = 0

    /// An empty scrollback for a pane of `width` x `height`.
    init(capacity: Int = 10_000, width: Int, height: Int) {
        self.capacity = max(1, capacity)
        self.width = max(1, width)
        self.height = max(0, height)
    }

    /// The number of lines held.
    var count: Int { storage.count - head }

    /// Whether newer rows lie below the view (the status bar shows "more below").
    var isScrolledBack: Bool { offset > 0 }

    /// Whether the view shows the oldest row held (also when everything fits): scrolling up goes no further.
    var isAtTop: Bool { offset >= maxOffset }

    /// The lines held, oldest first.
    var lines: ArraySlice<OutputLine> { storage[head...] }

    /// How many rows PgUp/PgDn move: a page less one row, so one row of context stays in view.
    var pageSize: Int { max(1, height - 1) }

    private var maxOffset: Int { max(0, totalRows - height) }

    // MARK: - Adding and removing lines

    /// Adds a line (display-safe text) at the bottom, dropping the oldest beyond the capacity. Scrolled back,
    /// the first line since the view was last at the bottom gets the unread marker above it (moved there
    /// from where it was).
    mutating func append(text: String, style: MessageStyle) {
        if offset > 0 {
            // `unseenLines` is 0 exactly when no line arrived since the view was last at the bottom (a marker
            // the capacity dropped leaves it above 0: the lines held are all unseen, none is first).
            if unseenLines == 0 {
                removeUnreadMarker()
                markerIndex = storage.count
                add(OutputLine(text: Self.unreadMarker, style: .notice, width: width))
            }
            unseenLines = min(unseenLines + 1, capacity)
        }
        add(OutputLine(text: text, style: style, width: width))
    }

    private mutating func add(_ line: OutputLine) {
        storage.append(line)
        totalRows += line.rows.count
        if offset > 0 { offset += line.rows.count }
        while count > capacity {
            totalRows -= storage[head].rows.count
            if markerIndex == head { markerIndex = nil }
            head += 1
        }
        if head >= capacity {
            storage.removeFirst(head)
            markerIndex = markerIndex.map { $0 - head }
            head = 0
        }
        settle()
    }

    /// Inserts lines older than every line held above them, oldest first, leaving the view where it was.
    /// Beyond the capacity the oldest of them are left out (the newest lines are never dropped for them).
    ///
    /// - Returns: how many were inserted.
    @discardableResult
    mutating func insertAbove(_ older: [(text: String, style: MessageStyle)]) -> Int {
        let inserted = older.suffix(max(0, capacity - count)).map {
            OutputLine(text: $0.text, style: $0.style, width: width)
        }
        guard !inserted.isEmpty else { return 0 }
        storage.replaceSubrange(0..<head, with: inserted)
        markerIndex = markerIndex.map { $0 - head + inserted.count }
        head = 0
        totalRows += inserted.reduce(0) { $0 + $1.rows.count }
        // `offset` counts rows below the view, and nothing was added below: the view shows the same rows.
        return inserted.count
    }

    /// Removes the unread marker (the user sent a line: they have read up to the end).
    mutating func removeUnreadMarker() {
        guard let index = markerIndex else { return }
        markerIndex = nil
        let rows = storage[index].rows.count
        let rowsAfter = storage[(index + 1)...].reduce(0) { $0 + $1.rows.count }
        // A marker wholly below the view takes its rows out of `offset`, so the view stays still.
        if rowsAfter + rows <= offset { offset -= rows }
        storage.remove(at: index)
        totalRows -= rows
        settle()
    }

    /// Forgets every line (`/clear`).
    mutating func clear() {
        storage.removeAll()
        head = 0
        totalRows = 0
        offset = 0
        unseenLines = 0
        markerIndex = nil
    }

    // MARK: - Scrolling

    /// PgUp: shows older rows, stopping at the oldest.
    mutating func pageUp() {
        scroll(by: pageSize)
    }

    /// PgDn: shows newer rows, stopping at the bottom (which clears "more below").
    mutating func pageDown() {
        scroll(by: -pageSize)
    }

    /// Moves the view `rows` rows towards older output (negative: newer), within the lines held.
    mutating func scroll(by rows: Int) {
        offset = max(0, min(maxOffset, offset + rows))
        settle()
    }

    /// Jumps to the oldest row.
    mutating func scrollToTop() {
        offset = maxOffset
        settle()
    }

    /// Jumps to the newest row.
    mutating func scrollToBottom() {
        offset = 0
        settle()
    }

    /// Keeps `offset` in range; at the bottom every line has been in view.
    private mutating func settle() {
        offset = min(offset, maxOffset)
        if offset == 0 { unseenLines = 0 }
    }

    // MARK: - Resizing

    /// Re-wraps every line for a new pane size, keeping the line at the bottom of the view at the bottom.
    mutating func resize(width newWidth: Int, height newHeight: Int) {
        let newWidth = max(1, newWidth)
        height = max(0, newHeight)
        guard newWidth != width else {
            settle()
            return
        }
        let anchor = offset > 0 ? bottomLine() : nil
        width = newWidth
        totalRows = 0
        for index in storage.indices[head...] {
            storage[index].rewrap(width: newWidth)
            totalRows += storage[index].rows.count
        }
        if let anchor {
            offset = storage[(anchor + 1)...].reduce(0) { $0 + $1.rows.count }
        }
        settle()
    }

    /// The storage index of the line holding the bottom visible row.
    private func bottomLine() -> Int? {
        var rowsBelow = 0
        for index in storage.indices[head...].reversed() {
            rowsBelow += storage[index].rows.count
            if rowsBelow > offset { return index }
        }
        return nil
    }

    // MARK: - The view

    /// The rows in view, top to bottom: at most `height`, fewer when there is not enough output (the pane
    /// fills from the top).
    func visibleRows() -> [Row] {
        let bottom = totalRows - offset
        let top = max(0, bottom - height)
        var rows: [Row] = []
        var lineEnd = totalRows  // the row number just past the current line's last row
        for line in lines.reversed() {
            guard lineEnd > top else { break }
            let lineStart = lineEnd - line.rows.count
            for (index, range) in line.rows.enumerated().reversed() where (top..<bottom).contains(lineStart + index) {
                rows.append(Row(line: line, range: range))
            }
            lineEnd = lineStart
        }
        return rows.reversed()
    }
}
