import TerminalUI
import VentiaCore
import VentiaViewModels

/// What a pane shows while it has no rows: loading, nothing yet, or why it failed.
enum LoadPlaceholder {
    static func render(_ state: LoadState, noun: String, hints: KeyHints, into buffer: inout CellBuffer, area: Rect, theme: Theme = .standard) {
        let retryKey = hints.key(.refresh, in: .global)
        let (text, style): (String, Style) =
            switch state {
            case .idle, .loading, .refreshing: ("Loading \(noun)…", theme.dimText)
            case .empty, .loaded: ("No \(noun) yet", theme.dimText)
            case .failed(let message): ("✗ \(message)" + (retryKey.map { " — \($0) retries" } ?? ""), theme.error)
            }
        for (index, line) in TextFit.wrap(text, to: max(10, area.width - 4)).prefix(max(1, area.height - 2)).enumerated() {
            buffer.write(line, at: Point(x: area.x + 2, y: area.y + 1 + index), maxWidth: area.width - 4, style: style)
        }
    }
}
