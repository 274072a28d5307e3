import Foundation
import TerminalUI
import VentiaAPI
import VentiaCore
import VentiaViewModels

/// User administration: the account's users, the selected one's card, and the user writes
/// (create with POST, edit with PATCH of what changed, replace with PUT after a confirm).
@MainActor
final class UsersPane: AppPane {
    static let registration = PaneRegistration(
        id: .users, title: "Users", showAction: .showUsers, command: "users", aliases: ["u"], commandHelp: "Go to users")
    let context: PaneContext
    let users: UsersViewModel
    let admin: AdminActions
    var table = TableState()
    var rowClick = RowClick()
    /// Hands the marked users' contacts over (the contact list knows who holds what).
    let contactActions: ContactActions
    let contacts: ContactListViewModel

    init(services: PaneServices) {
        context = services.context
        admin = services.admin
        contactActions = services.contactActions
        contacts = services.contacts
        users = UsersViewModel(session: context.session)
    }

    var contexts: [KeymapContext] { [.users, .list] }
    var statusSummary: String {
        (users.users.count == 1 ? "1 user" : "\(users.users.count) users") + (users.marks.isEmpty ? "" : " · " + users.marks.statusText)
    }

    func activate() { users.start() }
    func refresh() { users.refresh() }

    func perform(_ action: AppAction) -> Bool {
        if let row = action.listTarget(from: users.selection, count: users.users.count) {
            users.select(row)
            revealSelection()
            return true
        }
        switch action {
        case .open: users.openSelected()
        case .createUser: context.present(.form(create()))
        case .editUser: if let user = users.selectedUser { context.present(.form(edit(user))) }
        case .replaceUser: if let user = users.selectedUser { context.present(.form(replace(user))) }
        case .mark:
            users.toggleMark()
            revealSelection()
        case .markAll:
            users.markAll()
            context.session.show(Notice(users.marks.statusText), for: 4)
        case .clearMarks:
            guard !users.marks.isEmpty else { return true }
            users.clearMarks()
            context.session.show(Notice("Marks cleared"), for: 3)
        case .handOver: handOver()
        default: return false
        }
        return true
    }

    func back() -> Bool { false }

    /// Every contact of the marked users (or the selected one) to another user, in one bulk
    /// transfer confirmed with its cost: a colleague off sick, their leads to someone else.
    func handOver() {
        let from = users.targets
        guard !from.isEmpty else { return }
        let held = contacts.contacts(ofAgents: from.map(\.id))
        let names = from.map(\.fullName).joined(separator: ", ")
        guard !held.isEmpty else {
            let scope = context.session.mirror == nil ? "loaded " : (context.session.syncProgress == nil ? "" : "kept so far ")
            context.session.show(Notice("No \(scope)contact is assigned to \(names)", kind: .warning), for: 6)
            return
        }
        let candidates = users.users.filter { user in !from.contains { $0.id == user.id } }
        guard !candidates.isEmpty else {
            context.session.show(Notice("No other user to hand the contacts to", kind: .warning))
            return
        }
        let title = "Hand \(ContactActions.count(held.count)) of \(names) to"
        context.present(.picker(PickerModal(title: title, items: candidates.map(\.fullName), values: candidates.map(\.id)) { [self] userId in
            switch contactActions.bulk(.transfer(to: userId), on: held) {
            case .failure(let error): context.session.report(error)
            case .success(let run): context.present(.bulk(BulkModal(run: run, noun: "transfer") { [users] in users.clearMarks() }))
            }
        }))
    }

    /// A click selects the user under it; a second one opens the full record.
    func click(at point: Point, in area: Rect) -> Bool {
        guard let row = RowClick.row(at: point, table: table, in: UserViews.tableArea(in: area), rowCount: users.users.count) else { return false }
        users.select(row)
        revealSelection()
        if rowClick.click(row: row, now: context.clock.now()) { _ = perform(.open) }
        return true
    }

    /// Scrolls the table so the selected user shows, when the selection moves (not when drawing).
    func revealSelection() {
        table.selected = users.selection
        let tableArea = UserViews.tableArea(in: context.bodyArea)
        table.scrollToSelection(visibleRows: Table.visibleRows(in: tableArea), rowCount: users.users.count)
    }

    func draw(_ buffer: inout CellBuffer, area: Rect, now: Date) -> Point? {
        var table = self.table  // drawing reads the scroll position, never moves it
        UserViews(session: context.session, dates: context.dates, hints: context.hints).users(users, into: &buffer, area: area, state: &table)
        return nil
    }

    func shows(errorFrom source: ErrorSource?) -> Bool {
        switch source {
        case nil, .action?, .groups?, .users?, .user?: return true
        default: return false
        }
    }

    // MARK: Writes

    func create() -> FormModal {
        FormModal(state: FormState(AdminWriteFields.user(nil, withPassword: true)), title: "New user") { [admin, users] state, finish in
            let input = AdminWriteFields.newUser(state.values)
            admin.createUser(input) { outcome in
                finish(.of(outcome, "New user", Notice("User \(input.name) \(input.lastname) created", kind: .success)))
                if case .done(.success(let user)) = outcome { users.select(id: user.id) }
            }
        }
    }

    func edit(_ user: User) -> FormModal {
        FormModal(state: FormState(AdminWriteFields.user(user, withPassword: false)), title: "Edit \(user.fullName) (PATCH)") { [admin] state, finish in
            let values = AdminWriteFields.userValues(state.values)
            let unchanged = values.patch(from: user).isEmpty
            admin.updateUser(user, to: values) { outcome in
                finish(.of(outcome, "User edit", unchanged
                    ? Notice("Nothing changed: nothing was sent", kind: .info)
                    : Notice("User saved (only the changed fields were sent)", kind: .success)))
            }
        }
    }

    /// PUT resets what the form leaves out, so Enter first says what will be reset.
    func replace(_ user: User) -> FormModal {
        FormModal(
            state: FormState(AdminWriteFields.user(user, withPassword: false)), title: "Replace \(user.fullName) (PUT)",
            confirmation: { state in
                let resets = AdminWriteFields.userValues(state.values).resets(comparedWith: user)
                let message = resets.isEmpty
                    ? "Replace \(user.fullName) with these values? Nothing else changes." : "Replace \(user.fullName)? " + resets.joined(separator: "; ") + "."
                return DialogState.confirm(title: "Replace user (PUT)", message: message, confirm: "Replace", cancel: "Back")
            }
        ) { [admin] state, finish in
            let values = AdminWriteFields.userValues(state.values)
            admin.replaceUser(user, with: values) { finish(.of($0, "User replacement", Notice("User \(values.name) \(values.lastname) replaced", kind: .success))) }
        }
    }
}

extension PaneID {
    static let users = PaneID(rawValue: "users")
}
