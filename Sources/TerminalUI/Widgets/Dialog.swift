/// A modal box with a message and buttons; `ConfirmDialog` is the yes/no kind.
public struct DialogState: Sendable, Equatable {
    public var title: String
    public var message: String
    public var buttons: [String]
    public var selected: Int

    public init(title: String, message: String, buttons: [String] = ["OK"], selected: Int = 0) {
        self.title = title
        self.message = message
        self.buttons = buttons
        self.selected = selected
    }

    /// A yes/no question; "No" is selected so a stray Enter does nothing harmful.
    public static func confirm(title: String, message: String, confirm: String = "Yes", cancel: String = "No") -> DialogState {
        DialogState(title: title, message: message, buttons: [confirm, cancel], selected: 1)
    }

    /// The button chosen by a key: Enter picks the selected one, a button's first letter picks it.
    /// ←/→/Tab move the selection and return nil.
    public mutating func handle(_ key: Key) -> Int? {
        switch key.code {
        case .left: selected = max(0, selected - 1)
        case .right, .tab: selected = (selected + 1) % max(1, buttons.count)
        case .enter: return selected
        case .char(let character) where key.modifiers.isEmpty:
            if let index = buttons.firstIndex(where: { $0.lowercased().first == Character(character.lowercased()) }) { return index }
        default: break
        }
        return nil
    }
}

public struct Dialog {
    public var theme = Theme.standard
    public init() {}

    /// The box, the message's lines and each button's place, as `render` lays them out in `area`.
    func layout(in area: Rect, state: DialogState) -> (box: Rect, lines: [String], buttons: [Rect]) {
        // Each line of the message is cleaned on its own, so a message may hold several.
        let paragraphs = state.message.split(separator: "\n", omittingEmptySubsequences: false).map { TextSanitizer.clean(String($0)) }
        let widest = max(paragraphs.map(DisplayWidth.of).max() ?? 0, DisplayWidth.of(state.title) + 2)
        let width = min(area.width - 2, max(36, min(64, widest + 4)))
        let lines = paragraphs.flatMap { TextFit.wrap($0, to: max(1, width - 4)) }
        let box = area.centered(Size(width: width, height: lines.count + 4))
        let labels = state.buttons.map { "[ \($0) ]" }
        let total = labels.reduce(0) { $0 + DisplayWidth.of($1) } + 2 * (labels.count - 1)
        var x = box.x + max(2, (box.width - total) / 2)
        var buttons: [Rect] = []
        for label in labels {
            let width = min(DisplayWidth.of(label), max(0, box.maxX - 1 - x))
            buttons.append(Rect(x: x, y: box.maxY - 2, width: width, height: 1))
            x += width + 2
        }
        return (box, lines, buttons)
    }

    /// The button drawn at `point`, if any.
    public func button(at point: Point, in area: Rect, state: DialogState) -> Int? {
        layout(in: area, state: state).buttons.firstIndex { $0.contains(point) }
    }

    public func render(into buffer: inout CellBuffer, area: Rect, state: DialogState) {
        let (box, lines, buttons) = layout(in: area, state: state)
        guard box.width >= 6, box.height >= 4 else { return }
        buffer.fill(box)
        buffer.drawBorder(box, style: theme.focusedBorder, title: state.title, titleStyle: theme.title)
        for (index, line) in lines.enumerated() where box.y + 1 + index < box.maxY - 3 {
            buffer.write(line, at: Point(x: box.x + 2, y: box.y + 1 + index), maxWidth: box.width - 4)
        }
        for (index, frame) in buttons.enumerated() {
            buffer.write("[ \(state.buttons[index]) ]", at: Point(x: frame.x, y: frame.y), maxWidth: frame.width, style: index == state.selected ? theme.selection : theme.text)
        }
    }
}
