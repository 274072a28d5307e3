/// The frame widgets draw into: a grid of cells. Nothing here talks to a terminal, so any frame can
/// be turned into text and compared in a test.
public struct CellBuffer: Sendable, Equatable {
    public let size: Size
    private(set) var cells: [Cell]

    public init(size: Size) {
        self.size = Size(width: max(0, size.width), height: max(0, size.height))
        cells = Array(repeating: .blank, count: self.size.width * self.size.height)
    }

    public var bounds: Rect { Rect(size: size) }

    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < size.width, y < size.height else { return .blank }
        return cells[y * size.width + x]
    }

    /// Sets one cell, repairing any wide grapheme the write cuts in half.
    mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
        let index = y * size.width + x
        if cells[index].isContinuation, x > 0 {
            cells[index - 1].text = " "  // the left half of a wide grapheme loses its right half
        }
        if !cells[index].isContinuation, DisplayWidth.of(cells[index].text) == 2, x + 1 < size.width, cells[index + 1].isContinuation {
            cells[index + 1].text = " "
        }
        cells[index] = cell
    }

    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
        let area = rect.intersection(bounds)
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { set(x, y, Cell(text: String(character), style: style)) }
        }
    }

    /// Changes the style of every cell in `rect`.
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        let area = rect.intersection(bounds)
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { cells[y * size.width + x].style = transform(cells[y * size.width + x].style) }
        }
    }

    /// Writes sanitized text at `point`, clipped to `maxWidth` columns (and the buffer), ellipsized
    /// with `…` when cut. A wide grapheme that does not fit whole is never split. Returns columns used.
    @discardableResult
    public mutating func write(_ text: String, at point: Point, maxWidth: Int? = nil, style: Style = .plain, ellipsis: Bool = true) -> Int {
        guard point.y >= 0, point.y < size.height, point.x < size.width else { return 0 }
        let limit = min(maxWidth ?? Int.max, size.width - point.x)
        guard limit > 0 else { return 0 }
        let clean = TextSanitizer.clean(text)
        let fitted = TextFit.truncate(clean, to: limit, ellipsis: ellipsis)
        var x = point.x
        for character in fitted {
            let width = DisplayWidth.of(character)
            if width == 0 {
                // A stray zero-width grapheme joins the previous cell rather than taking one.
                if x > point.x, x - 1 < size.width, x - 1 >= 0 {
                    cells[point.y * size.width + x - 1].text.append(character)
                }
                continue
            }
            if x >= 0 {
                set(x, point.y, Cell(text: String(character), style: style))
                if width == 2 { set(x + 1, point.y, Cell(text: "", style: style)) }
            }
            x += width
        }
        return x - point.x
    }

    /// Draws a box border inside `rect`, with an optional title on the top edge.
    public mutating func drawBorder(_ rect: Rect, style: Style = .plain, title: String? = nil, titleStyle: Style? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        for x in rect.x + 1..<rect.maxX - 1 {
            set(x, rect.y, Cell(text: "─", style: style))
            set(x, rect.maxY - 1, Cell(text: "─", style: style))
        }
        for y in rect.y + 1..<rect.maxY - 1 {
            set(rect.x, y, Cell(text: "│", style: style))
            set(rect.maxX - 1, y, Cell(text: "│", style: style))
        }
        set(rect.x, rect.y, Cell(text: "┌", style: style))
        set(rect.maxX - 1, rect.y, Cell(text: "┐", style: style))
        set(rect.x, rect.maxY - 1, Cell(text: "└", style: style))
        set(rect.maxX - 1, rect.maxY - 1, Cell(text: "┘", style: style))
        if let title, rect.width > 4 {
            write(" \(title) ", at: Point(x: rect.x + 1, y: rect.y), maxWidth: rect.width - 2, style: titleStyle ?? style)
        }
    }

    /// The frame as lines of text (continuation cells omitted), for tests and snapshots.
    public func lines(trimmingTrailingSpaces: Bool = true) -> [String] {
        (0..<size.height).map { y in
            var line = ""
            for x in 0..<size.width {
                let cell = cells[y * size.width + x]
                if !cell.isContinuation { line += cell.text }
            }
            if trimmingTrailingSpaces {
                while line.hasSuffix(" ") { line.removeLast() }
            }
            return line
        }
    }

    public var text: String { lines().joined(separator: "\n") }
}
