import Foundation
import TerminalUI
import VentiaAPI
import VentiaViewModels

/// The key's group configuration, read-only, scrolled as one page.
@MainActor
final class CompanyPane: AppPane {
    let id = PaneID.company
    let context: PaneContext
    var scroll = 0

    init(context: PaneContext) {
        self.context = context
    }

    var session: AppSession { context.session }
    var contexts: [KeymapContext] { [.list] }
    var statusSummary: String { session.group?.name ?? "company" }

    func activate() {
        if session.groupState == .idle { session.loadDirectory() }
    }

    func refresh() { session.loadDirectory() }

    func perform(_ action: AppAction) -> Bool {
        switch action {
        case .moveDown, .moveUp, .pageDown, .pageUp: scroll += [AppAction.moveDown: 1, .moveUp: -1, .pageDown: 10, .pageUp: -10][action] ?? 0
        case .top: scroll = 0
        case .bottom: scroll = Int.max / 2
        default: return false
        }
        // Kept within the page as it scrolls, so drawing only reads it.
        let lines = CompanyView(session: session, dates: context.dates, hints: context.hints).lines().count
        scroll = max(0, min(scroll, lines - context.bodyArea.height))
        return true
    }

    func back() -> Bool { false }

    func draw(_ buffer: inout CellBuffer, area: Rect, now: Date) -> Point? {
        CompanyView(session: session, dates: context.dates, hints: context.hints).company(into: &buffer, area: area, scroll: scroll)
        return nil
    }

    func shows(errorFrom source: ErrorSource?) -> Bool {
        switch source {
        case nil, .action?, .groups?: return true
        default: return false
        }
    }
}
