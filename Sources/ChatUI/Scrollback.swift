/// The output pane's content: a capped store of lines wrapped to the pane's width, and the window onto it.
///
/// The view is anchored to the bottom: `offset` counts the rows between the last visible row and the
/// newest row. At 0 the view follows new output; scrolled back, new lines raise `offset` by their rows so
/// the view stays still, and `unseenLines` counts them for the "more below" mark.
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

    /// The most lines kept; older ones are dropped.
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

    /// The lines held, oldest first.
    var lines: ArraySlice<OutputLine> { storage[head...] }

    /// How many rows PgUp/PgDn move: a page less one row, so one row of context stays in view.
    var pageSize: Int { max(1, height - 1) }

    private var maxOffset: Int { max(0, totalRows - height) }

    // MARK: - Adding lines

    /// Adds a line (display-safe text) at the bottom, dropping the oldest beyond the capacity.
    mutating func append(text: String, style: MessageStyle) {
        let line = OutputLine(text: text, style: style, width: width)
        storage.append(line)
        totalRows += line.rows.count
        if offset > 0 {
            offset += line.rows.count
            unseenLines = min(unseenLines + 1, capacity)
        }
        if count > capacity {
            totalRows -= storage[head].rows.count
            head += 1
            if head >= capacity {
                storage.removeFirst(head)
                head = 0
            }
        }
        offset = min(offset, maxOffset)
    }

    // MARK: - Scrolling

    /// PgUp: shows older rows, stopping at the oldest.
    mutating func pageUp() {
        offset = min(maxOffset, offset + pageSize)
    }

    /// PgDn: shows newer rows, stopping at the bottom (which clears "more below").
    mutating func pageDown() {
        offset = max(0, offset - pageSize)
        if offset == 0 { unseenLines = 0 }
    }

    /// Jumps to the newest row.
    mutating func scrollToBottom() {
        offset = 0
        unseenLines = 0
    }

    // MARK: - Resizing

    /// Re-wraps every line for a new pane size, keeping the line at the bottom of the view at the bottom.
    mutating func resize(width newWidth: Int, height newHeight: Int) {
        let newWidth = max(1, newWidth)
        height = max(0, newHeight)
        guard newWidth != width else {
            offset = min(offset, maxOffset)
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
        offset = min(offset, maxOffset)
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
