import Foundation
import TerminalUI
import VentiaAPI
import VentiaCore
import VentiaMirror
import VentiaViewModels

/// The contact list, the contact card and the timeline, drawn from their view models.
@MainActor
struct ContactViews {
    let session: AppSession
    let dates: DateText
    let hints: KeyHints
    let now: Date
    let theme = Theme.standard

    func list(_ list: ContactListViewModel, into buffer: inout CellBuffer, area: Rect, state: inout TableState, focused: Bool) {
        if list.contacts.isEmpty {
            LoadPlaceholder.render(list.state, noun: "contacts", hints: hints, into: &buffer, area: area)
            return
        }
        let contacts = list.rows
        let visible = list.visible
        let unread = list.unread
        let marks = list.marks
        // A write waiting in the outbox shows on its contact's row until the server has it.
        var pending: Set<String> = []
        var refused: Set<String> = []
        for record in session.outbox.entries where !record.contactId.isEmpty {
            if record.state == .failed { refused.insert(record.contactId) } else { pending.insert(record.contactId) }
        }
        let now = self.now
        let dates = self.dates
        let session = self.session
        var table = Table(
            columns: [
                TableColumn("Name", width: .flexible(min: 12, weight: 3)), TableColumn("Phone", width: .fixed(13)),
                TableColumn("Status", width: .fixed(11)), TableColumn("Agent", width: .flexible(min: 8, weight: 2)),
                TableColumn("Last", width: .fixed(6), alignRight: true),
            ],
            rowCount: visible.count,
            row: { index in
                let contact = contacts[visible[index]]
                let name = contact.fullName.isEmpty ? "(no name)" : contact.fullName
                return [
                    (marks.contains(contact.id) ? "* " : "") + (refused.contains(contact.id) ? "✗ " : pending.contains(contact.id) ? "⧗ " : "")
                        + (unread.contains(contact.id) ? "● " : "") + name, contact.phones.first ?? "—", contact.status ?? "—",
                    session.agentName(of: contact), dates.relative(contact.lastInteraction, now: now),
                ]
            })
        table.rowStyle = { index in
            let contact = contacts[visible[index]]
            if marks.contains(contact.id) { return Theme.standard.title }
            return contact.status == "archived" ? Theme.standard.dimText : nil
        }
        table.sortColumn = list.sortColumn?.rawValue
        table.sortAscending = list.sortAscending
        table.focused = focused
        if let view = list.activeView, list.savedViews.indices.contains(view), list.filterText.isEmpty {
            table.emptyMessage = list.viewProblem ?? "No contact in the view \"\(list.savedViews[view].name)\""
        } else if list.searchResults != nil {
            // The mirror's search: everything kept was searched; the sync may still be bringing more.
            let syncing = session.syncProgress != nil ? " (older contacts are still coming in)" : ""
            table.emptyMessage = "No contact matches \"\(list.filterText)\"" + syncing
        } else {
            let more = list.reachedEnd ? "" : hints.key(.loadAll, in: .contact).map { " — \($0) loads every page" } ?? ""
            table.emptyMessage = list.filterText.isEmpty ? "No contacts" : "No loaded contact matches \"\(list.filterText)\"" + more
        }
        state.selected = list.selection
        table.render(into: &buffer, area: area, state: &state)
    }

    /// The contact card: identity, how to reach them, who owns them, what is pending.
    func card(_ contact: Contact, into buffer: inout CellBuffer, area: Rect) {
        buffer.drawBorder(area, style: theme.border, title: contact.fullName.isEmpty ? "(no name)" : contact.fullName, titleStyle: theme.title)
        let inner = area.inset(horizontal: 2, vertical: 1)
        guard !inner.isEmpty else { return }
        let status = contact.status ?? "—"
        let archived = status == "archived" && !(contact.archivingReasonText ?? contact.archivingReason ?? "").isEmpty
            ? " (\(contact.archivingReasonText.flatMap { $0.isEmpty ? nil : $0 } ?? session.archivingReasonName(contact.archivingReason ?? "")))" : ""
        let rows: [(String, String)] = [
            ("Status", status + archived),
            ("Phones", contact.phones.isEmpty ? "—" : contact.phones.joined(separator: ", ")),
            ("Emails", contact.emails.isEmpty ? "—" : contact.emails.joined(separator: ", ")),
            ("Origin", contact.originText ?? session.originName(contact.origin)),
            ("Agent", session.agentName(of: contact)),
            ("Reminder", contact.reminder.map { dates.full($0) + ($0 < now ? "  (past)" : "") } ?? "—"),
            ("Last", dates.full(contact.lastInteraction)),
        ]
        var y = inner.y
        for (label, value) in rows where y < inner.maxY {
            buffer.write(label, at: Point(x: inner.x, y: y), maxWidth: 9, style: theme.dimText)
            buffer.write(value, at: Point(x: inner.x + 10, y: y), maxWidth: inner.width - 10)
            y += 1
        }
        if !contact.detail.isEmpty, y < inner.maxY {
            buffer.write("Detail", at: Point(x: inner.x, y: y), maxWidth: 9, style: theme.dimText)
            for line in TextFit.wrap(TextSanitizer.clean(contact.detail), to: max(1, inner.width - 10)) where y < inner.maxY {
                buffer.write(line, at: Point(x: inner.x + 10, y: y), maxWidth: inner.width - 10)
                y += 1
            }
        }
    }

    /// One line per interaction, newest first, each type with its glyph and color.
    func timeline(_ model: TimelineViewModel, into buffer: inout CellBuffer, area: Rect) {
        buffer.drawBorder(area, style: theme.focusedBorder, title: "Timeline", titleStyle: theme.title)
        let inner = area.inset(horizontal: 1, vertical: 1)
        guard !inner.isEmpty else { return }
        let pending = model.pending
        if model.interactions.isEmpty && pending.isEmpty {
            let state = model.state == .loaded ? LoadState.empty : model.state
            LoadPlaceholder.render(state, noun: "interactions", hints: hints, into: &buffer, area: inner)
            return
        }
        let start = min(model.scroll, max(0, model.interactions.count - 1))
        var y = inner.y
        // Writes the server does not have yet, newest first, above what it has.
        for record in pending.reversed() where start == 0 {
            let refused = record.state == .failed
            let (glyph, style) = refused ? ("✗", theme.error) : ("⧗", theme.dimText)
            buffer.write(glyph, at: Point(x: inner.x, y: y), style: style)
            buffer.write(refused ? "refused" : "pending", at: Point(x: inner.x + 2, y: y), maxWidth: 16, style: style)
            let x = inner.x + 2 + 17
            let text = describe(record.write) + (refused ? " — " + (record.failure ?? "refused") + " (:outbox)" : "")
            for line in TextFit.wrap(text, to: max(1, inner.maxX - x)) where y < inner.maxY {
                buffer.write(line, at: Point(x: x, y: y), maxWidth: inner.maxX - x, style: refused ? theme.error : theme.dimText)
                y += 1
            }
        }
        if let failure = model.restFailedToLoad {
            let retry = hints.key(.refresh, in: .global).map { " — \($0) retries" } ?? ""
            for line in TextFit.wrap("✗ The rest of the timeline did not load: \(failure)\(retry)", to: inner.width).prefix(2) where y < inner.maxY {
                buffer.write(line, at: Point(x: inner.x, y: y), maxWidth: inner.width, style: theme.error)
                y += 1
            }
        }
        for interaction in model.interactions[start...] {
            guard y < inner.maxY else { break }
            let (glyph, style, text) = describe(interaction)
            buffer.write(glyph, at: Point(x: inner.x, y: y), style: style)
            let when = dates.full(interaction.createdAt)
            buffer.write(when, at: Point(x: inner.x + 2, y: y), maxWidth: 16, style: theme.dimText)
            let x = inner.x + 2 + 17
            // Whole notes, wrapped under their first line: a timeline that clips them hides what was said.
            for line in TextFit.wrap(text, to: max(1, inner.maxX - x)) where y < inner.maxY {
                buffer.write(line, at: Point(x: x, y: y), maxWidth: inner.maxX - x, style: style == theme.text ? theme.text : Style(foreground: style.foreground))
                y += 1
            }
        }
        if start > 0 { buffer.write("↑ \(start) newer", at: Point(x: inner.maxX - 12, y: area.y), maxWidth: 12, style: theme.dimText) }
    }

    /// A write waiting in the outbox, in the words of its timeline entry.
    func describe(_ write: OutboxWrite) -> String {
        switch write {
        case .note(let body): return body
        case .reminder(let date): return "Reminder for \(dates.full(date))"
        case .transfer(let to): return "Transfer → \(session.userName(to))"
        case .archive(let reason): return "Archive: \(session.archivingReasonName(reason))"
        case .edit(let input): return "Edit: \([input.firstName, input.lastName].joined(separator: " "))"
        case .create(let input): return "New contact: \([input.firstName, input.lastName].joined(separator: " "))"
        case .lead(let input, _): return "Lead: \([input.firstName, input.lastName].joined(separator: " "))"
        case .admin(let admin): return admin.label
        }
    }

    func describe(_ interaction: Interaction) -> (String, Style, String) {
        switch interaction.content {
        case .note(let body):
            return ("✎", Style(foreground: .cyan), body)
        case .reminder(let date):
            return ("◷", Style(foreground: .yellow), date.map { "Reminder for \(dates.full($0))" } ?? "Reminder cleared")
        case .transfer(let from, let to):
            return ("⇄", Style(foreground: .magenta), "Transferred \(session.userName(from.isEmpty ? nil : from)) → \(session.userName(to))")
        case .archiving(_, let to):
            return ("▣", Style(foreground: .red), "Archived: \(session.archivingReasonName(to))")
        case .whatsApp(let entry):
            let arrow = entry.direction == .inbound ? "← " : "→ "
            return ("✆", Style(foreground: .green), "WhatsApp " + arrow + (entry.message?.summary ?? entry.raw["type"]?.stringValue ?? "message"))
        case .other(let value):
            return ("•", theme.text, "\(interaction.type): \(value.displayText)")
        }
    }
}
