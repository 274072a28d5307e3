import Foundation
import TerminalUI

/// Clicks on a pane's table: the row under a click, and whether it was the second click on that
/// row within half a second (a double click, which opens the row as Enter does).
struct RowClick {
    static let doubleClickSeconds = 0.5
    private var last: (row: Int, at: Date)?

    /// The row of `table` (drawn in `area`, `rowCount` rows) under `point`, if any.
    static func row(at point: Point, table: TableState, in area: Rect, rowCount: Int) -> Int? {
        guard area.contains(point) else { return nil }
        return table.row(atLine: point.y, in: area, rowCount: rowCount)
    }

    /// Records a click on `row` at `now`; true when it makes a double click.
    mutating func click(row: Int, now: Date) -> Bool {
        let double = last.map { $0.row == row && now.timeIntervalSince($0.at) < Self.doubleClickSeconds } ?? false
        last = double ? nil : (row, now)
        return double
    }
}
