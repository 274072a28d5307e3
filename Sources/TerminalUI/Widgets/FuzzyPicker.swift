import Foundation

/// Fuzzy matching as pickers do it: the query's characters in order, case- and accent-insensitive,
/// scored higher for consecutive runs and word starts.
public enum FuzzyMatcher {
    public struct Match: Sendable, Equatable {
        public var score: Int
        /// Character offsets of the candidate that matched.
        public var positions: [Int]
    }

    public static func fold(_ text: String) -> [Character] { Array(TextFolding.fold(text)) }

    public static func match(_ query: String, in candidate: String) -> Match? {
        let needle = fold(query).filter { !$0.isWhitespace }
        if needle.isEmpty { return Match(score: 0, positions: []) }
        let haystack = fold(candidate)
        guard haystack.count == candidate.count else { return simpleMatch(needle, in: Array(candidate.lowercased())) }
        return simpleMatch(needle, in: haystack)
    }

    private static func simpleMatch(_ needle: [Character], in haystack: [Character]) -> Match? {
        var positions: [Int] = []
        var score = 0
        var index = 0
        var previous = -2
        for character in needle {
            while index < haystack.count && haystack[index] != character { index += 1 }
            guard index < haystack.count else { return nil }
            score += 1
            if index == previous + 1 { score += 5 }
            if index == 0 || !(haystack[index - 1].isLetter || haystack[index - 1].isNumber) { score += 8 }
            positions.append(index)
            previous = index
            index += 1
        }
        score -= (positions.last ?? 0) - (positions.first ?? 0) - needle.count + 1
        score -= haystack.count / 8
        return Match(score: score, positions: positions)
    }
}

/// A list filtered by a typed query.
public struct PickerState: Sendable {
    public var title: String
    public var items: [String]
    public var query = TextFieldState()
    public private(set) var results: [(index: Int, match: FuzzyMatcher.Match)] = []
    public var list = TableState()

    public init(title: String, items: [String]) {
        self.title = title
        self.items = items
        refilter()
    }

    /// The item under the selection, as an index into `items`.
    public var selectedItem: Int? { results.indices.contains(list.selected) ? results[list.selected].index : nil }

    public mutating func refilter() {
        let text = query.text
        results = items.enumerated().compactMap { offset, item in
            FuzzyMatcher.match(text, in: item).map { (offset, $0) }
        }
        if !text.isEmpty {
            results.sort { $0.match.score != $1.match.score ? $0.match.score > $1.match.score : $0.index < $1.index }
        }
        list.select(0, rowCount: results.count)
        list.offset = 0
    }

    /// Typing edits the query; ↑/↓ (and Ctrl-P/N) move. Returns false for keys it does not use.
    public mutating func handle(_ key: Key) -> Bool {
        switch (key.code, key.modifiers) {
        case (.up, []), (.char("p"), [.ctrl]): list.move(by: -1, rowCount: results.count)
        case (.down, []), (.char("n"), [.ctrl]): list.move(by: 1, rowCount: results.count)
        case (.pageUp, []): list.move(by: -10, rowCount: results.count)
        case (.pageDown, []): list.move(by: 10, rowCount: results.count)
        default:
            guard query.handle(key) else { return false }
            refilter()
        }
        return true
    }
}

public struct FuzzyPicker {
    public var theme = Theme.standard
    public init() {}

    @discardableResult
    public func render(into buffer: inout CellBuffer, area: Rect, state: inout PickerState) -> Point? {
        // 60 columns, wider when an item needs it (up to the screen), so long entries are not cut.
        let longest = max(state.items.map(DisplayWidth.of).max() ?? 0, DisplayWidth.of(state.title) + 2)
        let box = area.centered(Size(width: min(max(60, longest + 4), area.width - 2), height: min(area.height - 2, max(8, state.items.count + 5))))
        guard box.width >= 10, box.height >= 5 else { return nil }
        buffer.fill(box)
        buffer.drawBorder(box, style: theme.focusedBorder, title: state.title, titleStyle: theme.title)
        let inner = box.inset(horizontal: 2, vertical: 1)
        buffer.write("> ", at: Point(x: inner.x, y: inner.y), style: theme.title)
        let caret = TextField(placeholder: "type to filter", focused: true).render(
            into: &buffer, area: Rect(x: inner.x + 2, y: inner.y, width: inner.width - 2, height: 1), state: &state.query)
        let counter = "\(state.results.count)/\(state.items.count)"
        buffer.write(counter, at: Point(x: inner.maxX - DisplayWidth.of(counter), y: box.maxY - 1), style: theme.dimText)
        let listArea = Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: inner.height - 2)
        state.list.scrollToSelection(visibleRows: listArea.height, rowCount: state.results.count)
        if state.results.isEmpty {
            buffer.write("No match", at: Point(x: listArea.x, y: listArea.y), style: theme.dimText)
        }
        for line in 0..<listArea.height {
            let resultIndex = state.list.offset + line
            guard resultIndex < state.results.count else { break }
            let result = state.results[resultIndex]
            let y = listArea.y + line
            let selected = resultIndex == state.list.selected
            let rowStyle = selected ? theme.selection : theme.text
            if selected { buffer.fill(Rect(x: listArea.x, y: y, width: listArea.width, height: 1), style: rowStyle) }
            var x = listArea.x
            let matched = Set(result.match.positions)
            for (offset, character) in state.items[result.index].enumerated() {
                let width = DisplayWidth.of(character)
                guard x + width <= listArea.maxX else { break }
                let style = matched.contains(offset) ? rowStyle.with(theme.match.attributes).foreground(selected ? rowStyle.foreground : theme.match.foreground) : rowStyle
                x += buffer.write(String(character), at: Point(x: x, y: y), maxWidth: width, style: style)
            }
        }
        return caret
    }
}
