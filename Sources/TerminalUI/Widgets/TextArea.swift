/// A multi-line text box: its lines and caret.
public struct TextAreaState: Sendable, Equatable {
    public private(set) var lines: [[Character]]
    public private(set) var row = 0
    public private(set) var column = 0
    public var scroll = 0

    public init(_ text: String = "") {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array(TextSanitizer.clean(String($0))) }
        if lines.isEmpty { lines = [[]] }
        row = lines.count - 1
        column = lines[row].count
    }

    public var text: String { lines.map { String($0) }.joined(separator: "\n") }

    public var isBlank: Bool { lines.allSatisfy { $0.allSatisfy(\.isWhitespace) } }

    /// Inserts text; pasted newlines start new lines.
    public mutating func insert(_ text: String) {
        for (index, part) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { newline() }
            let clean = Array(TextSanitizer.clean(String(part)))
            lines[row].insert(contentsOf: clean, at: column)
            column += clean.count
        }
    }

    private mutating func newline() {
        let tail = Array(lines[row][column...])
        lines[row].removeSubrange(column...)
        lines.insert(tail, at: row + 1)
        row += 1
        column = 0
    }

    /// Applies an editing key; Enter is a newline here (the form decides what submits).
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch (key.code, key.modifiers) {
        case (.char(let character), []), (.char(let character), [.shift]):
            insert(String(character))
        case (.enter, []):
            newline()
        case (.backspace, []):
            if column > 0 {
                lines[row].remove(at: column - 1)
                column -= 1
            } else if row > 0 {
                let line = lines.remove(at: row)
                row -= 1
                column = lines[row].count
                lines[row].append(contentsOf: line)
            }
        case (.delete, []):
            if column < lines[row].count {
                lines[row].remove(at: column)
            } else if row + 1 < lines.count {
                lines[row].append(contentsOf: lines.remove(at: row + 1))
            }
        case (.left, []):
            if column > 0 { column -= 1 } else if row > 0 { row -= 1; column = lines[row].count }
        case (.right, []):
            if column < lines[row].count { column += 1 } else if row + 1 < lines.count { row += 1; column = 0 }
        case (.up, []):
            if row > 0 { row -= 1; column = min(column, lines[row].count) }
        case (.down, []):
            if row + 1 < lines.count { row += 1; column = min(column, lines[row].count) }
        case (.home, []), (.char("a"), [.ctrl]):
            column = 0
        case (.end, []), (.char("e"), [.ctrl]):
            column = lines[row].count
        case (.char("u"), [.ctrl]):
            lines[row].removeSubrange(0..<column)
            column = 0
        case (.char("k"), [.ctrl]):
            lines[row].removeSubrange(column...)
        default:
            return false
        }
        return true
    }

    /// Draws the box; returns the caret position.
    @discardableResult
    public mutating func render(into buffer: inout CellBuffer, area: Rect, focused: Bool, theme: Theme = .standard) -> Point? {
        guard !area.isEmpty else { return nil }
        if row < scroll { scroll = row }
        if row >= scroll + area.height { scroll = row - area.height + 1 }
        for line in 0..<area.height {
            let index = scroll + line
            let y = area.y + line
            buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: theme.input)
            guard index < lines.count else { continue }
            let text = String(lines[index])
            // Keep the caret's column visible on its own line.
            var start = 0
            if index == row {
                while DisplayWidth.of(String(lines[index][start..<column])) >= area.width { start += 1 }
            }
            buffer.write(String(lines[index][start...]), at: Point(x: area.x, y: y), maxWidth: area.width, style: theme.input, ellipsis: start == 0 && DisplayWidth.of(text) > area.width)
        }
        guard focused else { return nil }
        var start = 0
        while DisplayWidth.of(String(lines[row][start..<column])) >= area.width { start += 1 }
        return Point(x: area.x + DisplayWidth.of(String(lines[row][start..<column])), y: area.y + row - scroll)
    }
}
