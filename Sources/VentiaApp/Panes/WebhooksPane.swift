import Foundation
import TerminalUI
import VentiaAPI
import VentiaCore
import VentiaViewModels

/// The account's webhooks, for administrators: the list, and create, edit (a PATCH of what
/// changed) and toggle active, each checked with the contract's rules before anything is sent.
@MainActor
final class WebhooksPane: AppPane {
    static let registration = PaneRegistration(
        id: .webhooks, title: "Webhooks", showAction: .showWebhooks, command: "webhooks", aliases: [], commandHelp: "Go to webhooks")
    let context: PaneContext
    let webhooks: WebhooksViewModel
    let admin: AdminActions
    var table = TableState()

    init(services: PaneServices) {
        context = services.context
        admin = services.admin
        webhooks = WebhooksViewModel(session: context.session)
        admin.onWebhookChange = { [webhooks] in webhooks.load() }
    }

    var contexts: [KeymapContext] { [.webhooks, .list] }
    var statusSummary: String { webhooks.webhooks.count == 1 ? "1 webhook" : "\(webhooks.webhooks.count) webhooks" }

    func activate() { webhooks.start() }
    func refresh() { webhooks.load() }

    func perform(_ action: AppAction) -> Bool {
        if let row = action.listTarget(from: webhooks.selection, count: webhooks.webhooks.count) {
            webhooks.select(row)
            table.selected = webhooks.selection
            table.scrollToSelection(visibleRows: Table.visibleRows(in: WebhookViews.tableArea(in: context.bodyArea)), rowCount: webhooks.webhooks.count)
            return true
        }
        switch action {
        case .createWebhook: context.present(.form(form(nil)))
        case .editWebhook: if let hook = webhooks.selectedWebhook { context.present(.form(form(hook))) }
        case .toggleWebhook: if let hook = webhooks.selectedWebhook { toggle(hook) }
        default: return false
        }
        return true
    }

    func back() -> Bool { false }

    /// A click selects the webhook under it (its card shows below).
    func click(at point: Point, in area: Rect) -> Bool {
        guard let row = RowClick.row(at: point, table: table, in: WebhookViews.tableArea(in: area), rowCount: webhooks.webhooks.count) else { return false }
        webhooks.select(row)
        table.selected = webhooks.selection
        return true
    }

    func draw(_ buffer: inout CellBuffer, area: Rect, now: Date) -> Point? {
        var table = self.table
        WebhookViews(hints: context.hints).webhooks(webhooks, into: &buffer, area: area, state: &table)
        return nil
    }

    func shows(errorFrom source: ErrorSource?) -> Bool {
        switch source {
        case nil, .action?, .webhooks?: return true
        default: return false
        }
    }

    /// A new webhook (POST) or the selected one's changes (a PATCH of what differs).
    func form(_ hook: Webhook?) -> FormModal {
        FormModal(state: FormState(WebhookFields.fields(hook, allowingPlainHTTP: context.session.connection.mode == .demo)), title: hook.map { "Edit webhook \($0.name) (PATCH)" } ?? "New webhook") {
            [admin, webhooks] state, finish in
            let input = WebhookFields.input(state.values)
            guard let hook else {
                return admin.createWebhook(input) { outcome in
                    finish(.of(outcome, "New webhook", Notice("Webhook \(input.name) created", kind: .success)))
                    if case .done(.success(let id)) = outcome { webhooks.load(); webhooks.select(id: id) }
                }
            }
            admin.updateWebhook(hook, WebhookFields.patch(input, from: hook)) { outcome in
                let sent = (try? outcome.result?.get()) ?? true
                finish(.of(outcome, "Webhook edit", sent
                    ? Notice("Webhook saved (only the changed fields were sent)", kind: .success) : Notice("Nothing changed: nothing was sent", kind: .info)))
            }
        }
    }

    func toggle(_ hook: Webhook) {
        admin.updateWebhook(hook, WebhookPatch(active: !hook.active)) { [context] outcome in
            context.announce(outcome, "Webhook \(hook.name)", success: "Webhook \(hook.name) \(hook.active ? "switched off" : "switched on")")
        }
    }
}

/// The webhooks table and the selected webhook's card.
@MainActor
struct WebhookViews {
    let hints: KeyHints
    let theme = Theme.standard

    /// The table above the card, which takes 6 rows when there is room.
    static func tableArea(in area: Rect) -> Rect { area.splitBottom(area.height >= 14 ? 6 : 0).0 }

    func webhooks(_ model: WebhooksViewModel, into buffer: inout CellBuffer, area: Rect, state: inout TableState) {
        let (tableArea, cardArea) = (Self.tableArea(in: area), area.splitBottom(area.height >= 14 ? 6 : 0).1)
        let hooks = model.webhooks
        if hooks.isEmpty {
            LoadPlaceholder.render(model.state, noun: "webhooks", hints: hints, into: &buffer, area: tableArea)
            return
        }
        state.selected = model.selection
        var table = Table(
            columns: [
                TableColumn("Name", width: .flexible(min: 8, weight: 2)), TableColumn("Active", width: .fixed(6)),
                TableColumn("Topics", width: .flexible(min: 10, weight: 3)), TableColumn("Callback URL", width: .flexible(min: 12, weight: 4)),
            ],
            rowCount: hooks.count,
            row: { index in
                let hook = hooks[index]
                return [hook.name, hook.active ? "yes" : "no", Self.topics(hook.topics), hook.callbackUrl ?? "—"]
            })
        table.rowStyle = { index in hooks[index].active ? nil : Theme.standard.dimText }
        table.render(into: &buffer, area: tableArea, state: &state)
        guard !cardArea.isEmpty, let hook = model.selectedWebhook else { return }
        buffer.drawBorder(cardArea, style: theme.border, title: hook.name, titleStyle: theme.title)
        let inner = cardArea.inset(horizontal: 2, vertical: 1)
        let rows = [("Active", hook.active ? "yes" : "no"), ("Topics", hook.topics.joined(separator: ", ")), ("Callback", hook.callbackUrl ?? "—"), ("Id", hook.id)]
        for (index, row) in rows.enumerated() where index < inner.height {
            buffer.write(row.0, at: Point(x: inner.x, y: inner.y + index), maxWidth: 9, style: theme.dimText)
            buffer.write(row.1, at: Point(x: inner.x + 10, y: inner.y + index), maxWidth: inner.width - 10)
        }
    }

    /// `messages, statuses`: the topics without their shared prefix.
    static func topics(_ topics: [String]) -> String {
        topics.isEmpty ? "—" : topics.map { $0 == WebhookTopic.officialWhatsApp ? "messages" : $0 == WebhookTopic.officialWhatsAppStatuses ? "statuses" : $0 }
            .joined(separator: ", ")
    }
}

extension PaneID {
    static let webhooks = PaneID(rawValue: "webhooks")
}
