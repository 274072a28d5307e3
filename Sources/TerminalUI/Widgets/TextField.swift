/// Draws a single-line field. Returns where the caret is, for the backend to show.
public struct TextField {
    public var placeholder: String
    /// Shows `•` for every character (passwords).
    public var masked: Bool
    public var focused: Bool
    public var theme = Theme.standard

    public init(placeholder: String = "", masked: Bool = false, focused: Bool = true) {
        self.placeholder = placeholder
        self.masked = masked
        self.focused = focused
    }

    @discardableResult
    public func render(into buffer: inout CellBuffer, area: Rect, state: inout TextFieldState) -> Point? {
        guard area.width > 0, area.height > 0 else { return nil }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        buffer.fill(row, style: theme.input)
        if state.isEmpty {
            if !placeholder.isEmpty { buffer.write(placeholder, at: Point(x: area.x, y: area.y), maxWidth: area.width, style: theme.placeholder) }
            return focused ? Point(x: area.x, y: area.y) : nil
        }
        let shown = masked ? Array(repeating: Character("•"), count: state.characters.count) : state.characters.map { Character(TextSanitizer.clean(String($0))) }
        // Scroll so the caret stays inside the box.
        if state.cursor < state.scroll { state.scroll = state.cursor }
        while DisplayWidth.of(String(shown[state.scroll..<state.cursor])) >= area.width && state.scroll < state.cursor {
            state.scroll += 1
        }
        let visible = String(shown[state.scroll...])
        buffer.write(visible, at: Point(x: area.x, y: area.y), maxWidth: area.width, style: theme.input, ellipsis: false)
        let caretX = area.x + DisplayWidth.of(String(shown[state.scroll..<state.cursor]))
        return focused ? Point(x: min(caretX, area.maxX - 1), y: area.y) : nil
    }
}
