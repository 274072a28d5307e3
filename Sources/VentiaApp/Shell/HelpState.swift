import TerminalUI

/// The `?` screen as it stands: how far it is scrolled, and what was typed to narrow it.
struct HelpState: Equatable {
    var scroll = 0
    var filter = ""

    /// After `key`: arrows and pages scroll, text narrows (backspace widens again), Esc clears
    /// what was typed and then closes, any other key (Enter) closes: nil. `maximumScroll` says
    /// how far a state can scroll.
    func handling(_ key: Key, maximumScroll: (HelpState) -> Int) -> HelpState? {
        var next = self
        switch key.code {
        case .down: next.scroll += 1
        case .up: next.scroll -= 1
        case .pageDown: next.scroll += 10
        case .pageUp: next.scroll -= 10
        case .backspace:
            guard !filter.isEmpty else { return self }
            next.filter.removeLast()
            next.scroll = 0
        case .escape:
            guard !filter.isEmpty else { return nil }
            next = HelpState()
        default:
            guard let text = key.text else { return nil }
            next.filter.append(text)
            next.scroll = 0
        }
        next.scroll = max(0, min(next.scroll, maximumScroll(next)))
        return next
    }
}
