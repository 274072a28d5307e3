import Foundation
import TerminalUI
import VentiaAPI
import VentiaCore
import VentiaViewModels

/// The key's group configuration, read-only, scrolled as one page.
@MainActor
final class CompanyPane: AppPane {
    static let registration = PaneRegistration(
        id: .company, title: "Company", showAction: .showCompany, command: "company", aliases: ["group"], commandHelp: "Show the company configuration")
    let context: PaneContext
    var scroll = 0

    init(services: PaneServices) {
        context = services.context
    }

    var session: AppSession { context.session }
    var contexts: [KeymapContext] { [.list] }
    var statusSummary: String { session.group?.name ?? "company" }

    func activate() {
        if session.groupState == .idle { session.loadDirectory() }
    }

    func refresh() { session.loadDirectory() }

    func perform(_ action: AppAction) -> Bool {
        // Kept within the page as it scrolls, so drawing only reads it.
        let furthest = CompanyView(session: session, dates: context.dates, hints: context.hints).lines().count - context.bodyArea.height
        guard let target = action.listTarget(from: scroll, count: furthest + 1) else { return false }
        scroll = max(0, min(target, furthest))
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

extension PaneID {
    static let company = PaneID(rawValue: "company")
}
