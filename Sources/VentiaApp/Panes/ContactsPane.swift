import Foundation
import TerminalUI
import VentiaAPI
import VentiaCore
import VentiaMirror
import VentiaViewModels

/// The contact list with its filter and, wide enough, the selected contact's card; Enter opens a
/// contact into its card and timeline (`TimelinePane`).
@MainActor
final class ContactsPane: AppPane {
    static let registration = PaneRegistration(
        id: .contacts, title: "Contacts", showAction: .showContacts, command: "contacts", aliases: ["c"], commandHelp: "Go to contacts")
    let context: PaneContext
    let contacts: ContactListViewModel
    let timelinePane: TimelinePane
    let writes: ContactWrites
    var filterEditing = false
    var isTypingInMessageLine: Bool { filterEditing }
    var filterField = TextFieldState()
    var table = TableState()
    var rowClick = RowClick()

    init(services: PaneServices) {
        context = services.context
        contacts = services.contacts
        writes = services.contactWrites
        timelinePane = TimelinePane(context: context, timeline: services.timeline, contacts: contacts)
    }

    var contexts: [KeymapContext] { [.contact, .list] }

    var statusSummary: String {
        let marks = contacts.marks.isEmpty ? "" : " · " + contacts.marks.statusText
        return contactCount + marks
    }

    private var contactCount: String {
        if context.session.mirror != nil {
            let held = contacts.mirroredCount
            if held == 0 { return contacts.state.isBusy ? "loading" : "no contacts" }
            return held == 1 ? "1 contact" : "\(Self.grouped(held)) contacts"
        }
        let loaded = contacts.contacts.count
        if loaded == 0 && !contacts.reachedEnd { return contacts.state.isBusy ? "loading" : "none loaded" }
        if contacts.reachedEnd { return loaded == 1 ? "1 contact" : "\(loaded) contacts" }
        return contacts.loadingAll ? "\(loaded) loaded, loading every page…" : "\(loaded) loaded, more below"
    }

    func activate() { contacts.start() }
    func resignFocus() { filterEditing = false }

    func refresh() {
        if timelinePane.isOpen { timelinePane.refresh() } else { contacts.refresh() }
    }

    /// The contact an action applies to: the open one, or the selected row.
    var targetContact: Contact? {
        if let id = timelinePane.contactId { return contacts.contact(id: id) }
        return contacts.selectedContact
    }

    func perform(_ action: AppAction) -> Bool {
        if timelinePane.isOpen, timelinePane.perform(action) { return true }
        if let row = action.listTarget(from: contacts.selection, count: contacts.visible.count) {
            contacts.select(row)
            revealSelection()
            return true
        }
        // With marks, the writes that make sense in bulk apply to every marked contact.
        if [.addNote, .setReminder, .transfer, .archive].contains(action), !contacts.marks.isEmpty, !timelinePane.isOpen {
            writes.bulk(action)
            return true
        }
        switch action {
        case .open:
            guard let contact = contacts.selectedContact else { return true }
            timelinePane.open(contact.id)
            contacts.opened(contact.id)
        case .filter:
            filterEditing = true
            filterField = TextFieldState(contacts.filterText)
        case .mark:
            contacts.toggleMark()
            revealSelection()
        case .markAll:
            let added = contacts.markAllShown()
            context.session.show(Notice("\(contacts.marks.statusText)" + (added == contacts.marks.count ? "" : " (\(added) new)")), for: 4)
        case .clearMarks:
            guard !contacts.marks.isEmpty else { return true }
            contacts.clearMarks()
            context.session.show(Notice("Marks cleared"), for: 3)
        case .nextView:
            guard !contacts.savedViews.isEmpty else {
                context.session.show(Notice("No saved views: add some under views: in config.yml (docs/usage.md shows how)", kind: .warning), for: 6)
                return true
            }
            contacts.cycleView()
            revealSelection()
        case .views: writes.views()
        case .sort: contacts.cycleSort()
        case .sortReverse: contacts.reverseSort()
        case .loadAll: contacts.loadAll()
        case .create: writes.create()
        case .createLead: writes.lead()
        case .addNote, .composeNote, .setReminder, .transfer, .archive, .edit, .sendWhatsApp, .replyWhatsApp:
            guard let contact = targetContact else {
                context.session.show(Notice("Select a contact first", kind: .warning))
                return true
            }
            writes.perform(action, on: contact)
        default:
            return false
        }
        return true
    }

    /// Closes the open contact, else clears the filter.
    func back() -> Bool {
        if timelinePane.isOpen {
            timelinePane.close()
            return true
        }
        guard !contacts.filterText.isEmpty else { return false }
        contacts.filterText = ""
        filterField = TextFieldState()
        return true
    }

    func handleTyping(_ key: Key) -> Bool {
        guard filterEditing else { return false }
        if key.code == .enter {
            filterEditing = false
        } else if context.keys.action(for: key, in: [.global]) == .cancel {
            filterEditing = false
            filterField = TextFieldState()
            contacts.filterText = ""
        } else if key.code == .down || key.code == .up {
            contacts.move(by: key.code == .down ? 1 : -1)
        } else if filterField.handle(key) {
            contacts.filterText = filterField.text
        }
        return true
    }

    func paste(_ text: String) -> Bool {
        guard filterEditing else { return false }
        filterField.insert(text)
        contacts.filterText = filterField.text
        return true
    }

    /// Where the list goes in the pane's `area`: beside the card when wide enough, below the lines
    /// of new contacts still in the outbox.
    func listArea(in area: Rect) -> Rect {
        let whole = listFrame(in: area)
        let lines = pendingLines(for: whole).count
        return Rect(x: whole.x, y: whole.y + lines, width: whole.width, height: max(0, whole.height - lines))
    }

    /// The list's part of the pane, pending lines included.
    func listFrame(in area: Rect) -> Rect {
        guard area.width >= 110 else { return area }
        let left = area.splitLeft(area.width * 62 / 100).0
        return Rect(x: left.x, y: left.y, width: left.width - 1, height: left.height)
    }

    /// New contacts and leads the server does not have yet: where they will show, marked pending.
    func pendingLines(for area: Rect) -> [String] {
        let creates = context.session.outbox.entries.filter { record in
            switch record.write {
            case .create, .lead: return true
            default: return false
            }
        }
        guard !creates.isEmpty, area.height > 8 else { return [] }
        var lines = creates.prefix(3).map { record in
            (record.state == .failed ? "✗ " : "⧗ ") + Outbox.describe(record) + (record.state == .failed ? " — refused (:outbox)" : " — waiting to be sent")
        }
        if creates.count > 3 { lines.append("⧗ \(creates.count - 3) more in :outbox") }
        return lines
    }

    /// Scrolls the list so the selected row shows, when the selection moves (not when drawing).
    func revealSelection() {
        table.selected = contacts.selection
        table.scrollToSelection(visibleRows: Table.visibleRows(in: listArea(in: context.bodyArea)), rowCount: contacts.visible.count)
    }

    /// A click selects the row under it; a second one within half a second opens it.
    func click(at point: Point, in area: Rect) -> Bool {
        guard !timelinePane.isOpen else { return false }
        guard let row = RowClick.row(at: point, table: table, in: listArea(in: area), rowCount: contacts.visible.count) else { return false }
        contacts.select(row)
        table.selected = row
        if rowClick.click(row: row, now: context.clock.now()) { _ = perform(.open) }
        return true
    }

    func draw(_ buffer: inout CellBuffer, area: Rect, now: Date) -> Point? {
        let views = ContactViews(session: context.session, dates: context.dates, hints: context.hints, now: now)
        var table = self.table  // drawing reads the scroll position, never moves it
        if let id = timelinePane.contactId, let contact = contacts.contact(id: id) {
            // The card takes what it needs (7 rows + detail), the timeline the rest.
            let detailLines = contact.detail.isEmpty ? 0 : TextFit.wrap(contact.detail, to: max(1, area.width - 14)).count
            let (cardArea, rest) = area.splitTop(min(9 + min(detailLines, 4), max(3, area.height / 2)))
            views.card(contact, into: &buffer, area: cardArea)
            views.timeline(timelinePane.timeline, into: &buffer, area: rest)
        } else {
            let frame = listFrame(in: area)
            for (index, line) in pendingLines(for: frame).enumerated() {
                buffer.write(line, at: Point(x: frame.x, y: frame.y + index), maxWidth: frame.width, style: line.hasPrefix("✗") ? Theme.standard.error : Theme.standard.dimText)
            }
            let list = listArea(in: area)
            views.list(contacts, into: &buffer, area: list, state: &table, focused: true)
            if area.width >= 110, let contact = contacts.selectedContact { views.card(contact, into: &buffer, area: area.splitLeft(area.width * 62 / 100).1) }
        }
        return nil
    }

    /// The filter being typed, or the filter in force, with how many rows it leaves.
    func drawMessageLine(_ buffer: inout CellBuffer, row: Rect) -> MessageLineUse? {
        if !timelinePane.isOpen, !filterEditing, contacts.filterText.isEmpty, let index = contacts.activeView, contacts.savedViews.indices.contains(index) {
            return drawViewLine(&buffer, row: row, index: index)
        }
        guard !timelinePane.isOpen, filterEditing || !contacts.filterText.isEmpty else { return nil }
        let theme = Theme.standard
        buffer.write("/", at: Point(x: 0, y: row.y), style: theme.title)
        let count: String
        let placeholder: String
        if context.session.mirror != nil {
            let matched = contacts.searchMatched
            let found: String
            if matched > ContactMirror.rankedMatches {
                found = "\(Self.grouped(ContactMirror.rankedMatches))+ found, newest \(contacts.rows.count) shown,"
            } else if matched > contacts.rows.count {
                found = "\(Self.grouped(matched)) found, best \(contacts.rows.count) shown,"
            } else {
                found = "\(matched)"
            }
            let searched = contacts.searchedTeamCopy.map { "\(Self.grouped($0)) in the team's copy (\(Self.grouped(contacts.mirroredCount)) here so far)" }
                ?? "\(Self.grouped(contacts.mirroredCount)) contacts" + (context.session.caughtUpAt.map { " · as of " + context.dates.asOf($0, now: context.clock.now()) } ?? "")
            count = contacts.filterText.isEmpty ? searched : (found.hasSuffix(",") ? "\(found) in \(searched)" : "\(found) found in \(searched)")
            placeholder = "search every contact: name, phone, email, note"
        } else {
            count = "\(contacts.visible.count) of \(contacts.contacts.count) loaded"
            placeholder = "filter loaded contacts"
        }
        let width = max(10, row.width - DisplayWidth.of(count) - 3)
        var field = filterField
        let caret = TextField(placeholder: placeholder, focused: filterEditing).render(
            into: &buffer, area: Rect(x: 1, y: row.y, width: width, height: 1), state: &field)
        buffer.write(count, at: Point(x: row.maxX - DisplayWidth.of(count), y: row.y), style: theme.dimText)
        return MessageLineUse(caret: filterEditing ? caret : nil)
    }

    /// `view 2/3: new and unassigned · 34 contacts` and the keys that move between views.
    func drawViewLine(_ buffer: inout CellBuffer, row: Rect, index: Int) -> MessageLineUse {
        let theme = Theme.standard
        let name = contacts.savedViews[index].name
        // Over the mirror the view counted every match; over the loaded rows, those it shows.
        let matched = context.session.mirror != nil ? contacts.searchMatched : contacts.visible.count
        let shown = contacts.rows.count < matched ? ", newest \(Self.grouped(contacts.rows.count)) shown" : ""
        let count = contacts.viewProblem ?? "\(Self.grouped(matched)) contact\(matched == 1 ? "" : "s")\(shown)"
        let keys = [hints(.nextView, "next"), hints(.views, "all views")].compactMap { $0 }.joined(separator: " · ")
        var x = buffer.write("view \(index + 1)/\(contacts.savedViews.count): ", at: Point(x: 0, y: row.y), maxWidth: row.width, style: theme.dimText)
        x += buffer.write(name, at: Point(x: x, y: row.y), maxWidth: row.width - x, style: theme.title)
        x += buffer.write(" · " + count, at: Point(x: x, y: row.y), maxWidth: row.width - x, style: contacts.viewProblem == nil ? theme.text : theme.error)
        if DisplayWidth.of(keys) + 2 < row.width - x { buffer.write(keys, at: Point(x: row.maxX - DisplayWidth.of(keys), y: row.y), style: theme.dimText) }
        return MessageLineUse(caret: nil)
    }

    private func hints(_ action: AppAction, _ text: String) -> String? { context.hints.hint(action, in: .contact, text) }

    /// `12,345`: counts as the status line shows them.
    static func grouped(_ count: Int) -> String {
        count.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    }

    func shows(errorFrom source: ErrorSource?) -> Bool {
        switch source {
        case nil, .action?, .groups?, .contacts?, .timeline?: return true
        default: return false
        }
    }
}

extension PaneID {
    static let contacts = PaneID(rawValue: "contacts")
}
