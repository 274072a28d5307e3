/// How wide a table column is.
public enum ColumnWidth: Sendable, Equatable {
    case fixed(Int)
    /// Shares what fixed columns leave, by weight, never below `min`.
    case flexible(min: Int, weight: Int)
}

public struct TableColumn: Sendable, Equatable {
    public var title: String
    public var width: ColumnWidth
    public var alignRight: Bool

    public init(_ title: String, width: ColumnWidth, alignRight: Bool = false) {
        self.title = title
        self.width = width
        self.alignRight = alignRight
    }

    /// Column widths for `available` columns, with one space between columns.
    public static func layout(_ columns: [TableColumn], available: Int) -> [Int] {
        guard !columns.isEmpty else { return [] }
        let gaps = columns.count - 1
        var widths = columns.map { column -> Int in
            switch column.width {
            case .fixed(let width): return width
            case .flexible(let minimum, _): return minimum
            }
        }
        var spare = available - gaps - widths.reduce(0, +)
        let weights = columns.map { column -> Int in
            if case .flexible(_, let weight) = column.width { return max(weight, 0) }
            return 0
        }
        let totalWeight = weights.reduce(0, +)
        if spare > 0 && totalWeight > 0 {
            let share = spare
            for index in widths.indices where weights[index] > 0 {
                let extra = share * weights[index] / totalWeight
                widths[index] += extra
                spare -= extra
            }
            if let last = weights.lastIndex(where: { $0 > 0 }) { widths[last] += spare }
        } else if spare < 0 {
            // Too narrow: shrink from the right, keeping at least one column each.
            for index in widths.indices.reversed() where spare < 0 {
                let cut = min(widths[index] - 1, -spare)
                widths[index] -= cut
                spare += cut
            }
        }
        return widths
    }
}

/// Selection and scroll position of a table, kept outside the widget so a view model owns it.
public struct TableState: Sendable, Equatable {
    public var selected: Int
    public var offset: Int

    public init(selected: Int = 0, offset: Int = 0) {
        self.selected = selected
        self.offset = offset
    }

    /// Moves the selection by `delta` rows within `rowCount`.
    public mutating func move(by delta: Int, rowCount: Int) {
        guard rowCount > 0 else {
            selected = 0
            return
        }
        selected = min(max(selected + delta, 0), rowCount - 1)
    }

    /// The row drawn on screen line `y` of a table drawn in `area` (its header on the first line),
    /// nil for the header or beyond the rows.
    public func row(atLine y: Int, in area: Rect, rowCount: Int) -> Int? {
        guard y > area.y, y < area.maxY else { return nil }
        let row = offset + (y - area.y - 1)
        return row < rowCount ? row : nil
    }

    public mutating func select(_ row: Int, rowCount: Int) {
        selected = rowCount == 0 ? 0 : min(max(row, 0), rowCount - 1)
    }

    /// Keeps the selection visible in `visibleRows`.
    public mutating func scrollToSelection(visibleRows: Int, rowCount: Int) {
        guard visibleRows > 0 else { return }
        if selected < offset { offset = selected }
        if selected >= offset + visibleRows { offset = selected - visibleRows + 1 }
        offset = max(0, min(offset, max(0, rowCount - visibleRows)))
    }
}

/// A table with a header, virtual scrolling (only visible rows are asked for), column sizing, a sort
/// indicator and a selected row.
public struct Table {
    public var columns: [TableColumn]
    public var rowCount: Int
    /// The cells of one row; asked only for rows on screen.
    public var row: (Int) -> [String]
    /// Style of one row's text, when it differs from the theme's.
    public var rowStyle: ((Int) -> Style?)?
    public var sortColumn: Int?
    public var sortAscending = true
    public var focused = true
    public var emptyMessage = "Nothing to show"
    public var theme = Theme.standard

    public init(columns: [TableColumn], rowCount: Int, row: @escaping (Int) -> [String]) {
        self.columns = columns
        self.rowCount = rowCount
        self.row = row
    }

    /// Rows of data that fit in `area` (one goes to the header).
    public static func visibleRows(in area: Rect) -> Int { max(0, area.height - 1) }

    public func render(into buffer: inout CellBuffer, area: Rect, state: inout TableState) {
        guard !area.isEmpty else { return }
        let visible = Self.visibleRows(in: area)
        // The last column is kept for the scroll marker when not every row fits.
        let scrolls = rowCount > visible && visible > 0
        let widths = TableColumn.layout(columns, available: area.width - (scrolls ? 1 : 0))
        var x = area.x
        for (index, column) in columns.enumerated() {
            var title = column.title
            if sortColumn == index {
                // The arrow always shows: a title too long for it and its column gives way.
                let arrow = sortAscending ? "▲" : "▼"
                title = DisplayWidth.of(title) + 2 <= widths[index] ? title + " " + arrow : TextFit.truncate(title, to: max(0, widths[index] - 1), ellipsis: false) + arrow
            }
            buffer.write(TextFit.pad(title, to: widths[index], alignRight: column.alignRight), at: Point(x: x, y: area.y), maxWidth: widths[index], style: theme.header)
            x += widths[index] + 1
        }
        state.select(state.selected, rowCount: rowCount)
        state.scrollToSelection(visibleRows: visible, rowCount: rowCount)
        if rowCount == 0 {
            buffer.write(emptyMessage, at: Point(x: area.x, y: area.y + 1), maxWidth: area.width, style: theme.dimText)
            return
        }
        for line in 0..<visible {
            let index = state.offset + line
            guard index < rowCount else { break }
            let y = area.y + 1 + line
            let cells = row(index)
            let isSelected = index == state.selected
            let base = rowStyle?(index) ?? theme.text
            let style = isSelected ? (focused ? theme.selection : theme.selectionUnfocused) : base
            if isSelected { buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style) }
            var cellX = area.x
            for (column, width) in widths.enumerated() {
                let text = column < cells.count ? cells[column] : ""
                let fitted = columns[column].alignRight ? TextFit.pad(TextSanitizer.clean(text), to: width, alignRight: true) : text
                buffer.write(fitted, at: Point(x: cellX, y: y), maxWidth: width, style: style)
                cellX += width + 1
            }
        }
        if scrolls {
            // A thin scroll position marker on the right edge.
            let position = area.y + 1 + (visible - 1) * state.offset / max(1, rowCount - visible)
            buffer.write("┃", at: Point(x: area.maxX - 1, y: position), style: theme.border)
        }
    }
}
