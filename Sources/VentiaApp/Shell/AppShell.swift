import Dispatch
import Foundation
import Observation
import TerminalUI
import VentiaAPI
import VentiaViewModels

/// The app's panes and windows, and the one path a key takes: decoded key → keymap action → the
/// focused pane's view model. Drawing is in `AppShell+Drawing`.
@MainActor
public final class AppShell {
    public enum Pane: Int, CaseIterable {
        case contacts, users, sales, company
        var title: String { ["Contacts", "Users", "Sales", "Company"][rawValue] }
        /// The global action that switches to this pane.
        var showAction: AppAction { [.showContacts, .showUsers, .showSales, .showCompany][rawValue] }

        /// Whether an error from `source` shows here: a load's error on the pane it loads for,
        /// an action's everywhere.
        func shows(errorFrom source: ErrorSource?) -> Bool {
            switch source {
            case nil, .action?, .groups?: return true
            case .contacts?, .timeline?: return self == .contacts
            case .users?, .user?: return self == .users
            case .sales?, .allSales?: return self == .sales
            }
        }
    }

    public let session: AppSession
    public let contacts: ContactListViewModel
    public let timeline: TimelineViewModel
    public let sales: SalesListViewModel
    let actions: ContactActions
    let admin: AdminActions
    let keys: AppKeymap
    let clock: any VentiaClock
    let reminderParser: ReminderTimeParser
    /// Made once: its date formatters are too dear to build on every frame.
    let dates: DateText
    var hints: KeyHints { KeyHints(keymap: keys) }

    public private(set) var pane = Pane.contacts
    /// The contact whose detail and timeline fill the pane.
    public private(set) var openContactId: String?
    var filterEditing = false
    var filterField = TextFieldState()
    var modal: Modal?
    var helpScroll: Int?
    var usersTable = TableState()
    var contactsTable = TableState()
    var salesTable = TableState()
    var showOverview = false
    var companyScroll = 0

    /// Called to leave the app.
    public var onQuit: () -> Void = {}
    /// Runs `$EDITOR` with the terminal handed over; returns what was written.
    public var composeInEditor: (String) -> ExternalEditor.Outcome = { _ in .failed("no editor available") }
    /// Called once, after the first frame that shows contacts.
    public var onFirstContactsPaint: (() -> Void)?
    var firstPaintReported = false

    public init(session: AppSession, keymap: Keymap, schema: KeymapSchema, clock: any VentiaClock = SystemClock(), timeZone: TimeZone = .current) {
        self.session = session
        keys = AppKeymap(keymap: keymap, schema: schema)
        self.clock = clock
        contacts = ContactListViewModel(session: session)
        timeline = TimelineViewModel(session: session)
        sales = SalesListViewModel(session: session)
        actions = ContactActions(session: session, list: contacts, timeline: timeline, clock: clock)
        admin = AdminActions(session: session, sales: sales)
        reminderParser = ReminderTimeParser(timeZone: timeZone)
        dates = DateText(timeZone: timeZone)
    }

    public func start() {
        session.loadDirectory()
        contacts.start()
    }

    /// The keymap contexts in force, most specific first.
    var contexts: [KeymapContext] {
        switch pane {
        case .contacts: return [.contact, .list, .global]
        case .users: return [.users, .list, .global]
        case .sales: return [.sales, .list, .global]
        case .company: return [.list, .global]
        }
    }

    // MARK: Events

    public func handle(_ event: TerminalEvent) {
        switch event {
        case .terminate: onQuit()
        case .resize: break
        case .paste(let text): paste(text)
        case .key(let key): handle(key)
        }
    }

    func paste(_ text: String) {
        switch modal {
        case .form(var form):
            form.state.paste(text)
            modal = .form(form)
            refreshReminderHint()
        case .picker(var picker):
            picker.state.query.insert(text)
            picker.state.refilter()
            modal = .picker(picker)
        case .command(var field):
            field.insert(text)
            modal = .command(field)
        case .confirm:
            break
        case nil:
            if filterEditing {
                filterField.insert(text)
                contacts.filterText = filterField.text
            }
        }
    }

    public func handle(_ key: Key) {
        if keys.action(for: key, in: [.global]) == .quit { return onQuit() }
        if helpScroll != nil { return handleHelp(key) }
        if let modal {
            switch modal {
            case .form(let form): return handleForm(key, form)
            case .picker(let picker): return handlePicker(key, picker)
            case .command(let field): return handleCommand(key, field)
            case .confirm(let dialog, let purpose): return handleConfirm(key, dialog, purpose)
            }
        }
        if filterEditing { return handleFilter(key) }
        guard let action = keys.action(for: key, in: contexts) else {
            if let text = key.text {
                session.show(Notice("\(KeyName.label(Key(.char(text)))) does nothing here; ? lists the keys", kind: .warning), for: 3)
            }
            return
        }
        perform(action)
    }

    func perform(_ action: AppAction) {
        switch action {
        case .help: helpScroll = 0
        case .command: modal = .command(TextFieldState())
        case .nextPane: switchTo(Pane(rawValue: (pane.rawValue + 1) % Pane.allCases.count) ?? .contacts)
        case .previousPane: switchTo(Pane(rawValue: (pane.rawValue + Pane.allCases.count - 1) % Pane.allCases.count) ?? .contacts)
        case .showContacts, .showUsers, .showSales, .showCompany:
            if let target = Pane.allCases.first(where: { $0.showAction == action }) { switchTo(target) }
        case .refresh: refresh()
        case .back: back(quitAtTop: true)
        case .cancel: back(quitAtTop: false)
        case .dismiss:
            session.dismissError()
            session.clearNotice()
        case .moveDown, .moveUp, .top, .bottom, .pageDown, .pageUp: move(action)
        case .open: open()
        case .filter where pane == .contacts && openContactId == nil:
            filterEditing = true
            filterField = TextFieldState(contacts.filterText)
        case .sort where pane == .contacts: contacts.cycleSort()
        case .sortReverse where pane == .contacts: contacts.reverseSort()
        case .nextPage where pane == .sales: sales.nextPage()
        case .previousPage where pane == .sales: sales.previousPage()
        case .loadAll where pane == .contacts: contacts.loadAll()
        // These live in their pane's keymap context, so they only arrive from that pane.
        case .addNote, .composeNote, .setReminder, .transfer, .archive, .edit, .create, .createLead:
            contactAction(action)
        case .createUser, .editUser, .replaceUser:
            userAction(action)
        case .createSale, .editSale, .upsertSale, .filterStatus, .pageSize, .overview, .overviewAll:
            saleAction(action)
        case .quit, .filter, .sort, .sortReverse, .nextPage, .previousPage, .loadAll, .submit, .nextField, .previousField, .choose:
            break
        }
    }

    func switchTo(_ target: Pane) {
        pane = target
        filterEditing = false
        switch target {
        case .contacts: contacts.start()
        case .users: if session.usersState == .idle { session.loadUsers() }
        case .sales:
            sales.start()
            if session.usersState == .idle { session.loadUsers() }
        case .company: if session.groupState == .idle { session.loadDirectory() }
        }
    }

    func refresh() {
        switch pane {
        case .contacts:
            if openContactId != nil { timeline.reload() } else { contacts.refresh() }
        case .users, .company: session.loadDirectory()
        case .sales: sales.load()
        }
    }

    /// `q` closes the open contact, then clears the filter, then quits; Esc never quits.
    func back(quitAtTop: Bool) {
        if openContactId != nil {
            openContactId = nil
            timeline.close()
        } else if pane == .sales && showOverview {
            showOverview = false
        } else if pane == .contacts, !contacts.filterText.isEmpty {
            contacts.filterText = ""
            filterField = TextFieldState()
        } else if session.notice != nil && !quitAtTop {
            session.clearNotice()
        } else if pane != .contacts && quitAtTop {
            switchTo(.contacts)
        } else if quitAtTop {
            onQuit()
        }
    }

    func move(_ action: AppAction) {
        let page = 10
        let delta = [AppAction.moveDown: 1, .moveUp: -1, .pageDown: page, .pageUp: -page][action] ?? 0
        switch pane {
        case .contacts where openContactId != nil:
            let last = max(0, timeline.interactions.count - 1)
            timeline.scroll = action == .top ? 0 : action == .bottom ? last : min(max(0, timeline.scroll + delta), last)
            if timeline.scroll >= timeline.interactions.count - 5 { timeline.loadMore() }
        case .contacts:
            if action == .top { contacts.select(0) } else if action == .bottom { contacts.selectLast() } else { contacts.move(by: delta) }
        case .users:
            let count = session.users.count
            if action == .top { usersTable.select(0, rowCount: count) } else if action == .bottom { usersTable.select(count - 1, rowCount: count) } else { usersTable.move(by: delta, rowCount: count) }
        case .sales:
            if action == .top { sales.select(0) } else if action == .bottom { sales.select(sales.visible.count - 1) } else { sales.move(by: delta) }
        case .company:
            companyScroll = action == .top ? 0 : action == .bottom ? Int.max / 2 : max(0, companyScroll + delta)
        }
    }

    func open() {
        if pane == .users, session.users.indices.contains(usersTable.selected) {
            // The list answers firstLogin as a flag; get-by-id has the date: fetch it for the card.
            session.refreshUser(session.users[usersTable.selected].id)
            return
        }
        guard pane == .contacts, openContactId == nil, let contact = contacts.selectedContact else { return }
        openContactId = contact.id
        timeline.show(contactId: contact.id)
    }

    /// The contact an action applies to: the open one, or the selected row.
    var targetContact: Contact? {
        if let openContactId { return contacts.contact(id: openContactId) }
        return contacts.selectedContact
    }

    func contactAction(_ action: AppAction) {
        guard pane == .contacts else { return }
        if action == .create {
            modal = .form(FormModal(state: ContactForms.contact(nil, origins: session.group?.origins ?? []), purpose: .createContact, title: "New contact"))
            return
        }
        if action == .createLead {
            if session.users.isEmpty { session.loadUsers() }
            modal = .form(FormModal(state: ContactForms.lead(origins: session.group?.origins ?? [], agents: session.users), purpose: .lead, title: "New campaign lead"))
            return
        }
        guard let contact = targetContact else {
            session.show(Notice("Select a contact first", kind: .warning))
            return
        }
        let name = contact.fullName.isEmpty ? "contact" : contact.fullName
        switch action {
        case .addNote:
            modal = .form(FormModal(state: ContactForms.note(), purpose: .note(contactId: contact.id), title: "Note for \(name)"))
        case .composeNote:
            composeNote(for: contact)
        case .setReminder:
            let clock = self.clock
            modal = .form(FormModal(state: ContactForms.reminder(parser: reminderParser, now: { clock.now() }), purpose: .reminder(contactId: contact.id), title: "Reminder for \(name)"))
        case .transfer:
            let candidates = session.users.filter { $0.id != contact.agent }
            guard !candidates.isEmpty else {
                session.loadUsers()
                session.show(Notice("No other user to transfer to (yet): loading users…", kind: .warning))
                return
            }
            let items = candidates.map { user in user.fullName + (user.roles.isEmpty ? "" : "  (" + user.roles.map(\.rawValue).joined(separator: ", ") + ")") }
            modal = .picker(PickerModal(state: PickerState(title: "Transfer \(name) to", items: items), purpose: .transfer(contactId: contact.id), values: candidates.map(\.id)))
        case .archive:
            let reasons = session.group?.activeArchivingReasons ?? []
            guard !reasons.isEmpty else {
                session.loadDirectory()
                session.show(Notice("No archiving reasons loaded (yet)", kind: .warning))
                return
            }
            modal = .picker(PickerModal(state: PickerState(title: "Archive \(name) because", items: reasons.map(\.name)), purpose: .archive(contactId: contact.id), values: reasons.map(\.code)))
        case .edit:
            modal = .form(FormModal(state: ContactForms.contact(contact, origins: session.group?.origins ?? []), purpose: .editContact(contactId: contact.id), title: "Edit \(name)"))
        default:
            break
        }
    }

    func composeNote(for contact: Contact) {
        let outcome = composeInEditor("Note for \(contact.fullName). Lines starting with # are left out; an empty note is not sent.")
        switch outcome {
        case .text(let text):
            var form = FormModal(state: ContactForms.note(body: text), purpose: .note(contactId: contact.id), title: "Note for \(contact.fullName)")
            form.sending = true
            modal = .form(form)
            submit(form)
        case .empty:
            session.show(Notice("Empty note: nothing was sent"))
        case .failed(let reason):
            session.report(message: reason)
        }
    }

    // MARK: Windows

    func handleHelp(_ key: Key) {
        let current = helpScroll ?? 0
        switch keys.action(for: key, in: [.list]) {
        case .moveDown: helpScroll = current + 1
        case .moveUp: helpScroll = max(0, current - 1)
        case .pageDown: helpScroll = current + 10
        case .pageUp: helpScroll = max(0, current - 10)
        default: helpScroll = nil
        }
    }

    func handleFilter(_ key: Key) {
        if key.code == .enter {
            filterEditing = false
            return
        }
        if keys.action(for: key, in: [.global]) == .cancel {
            filterEditing = false
            filterField = TextFieldState()
            contacts.filterText = ""
            return
        }
        if key.code == .down || key.code == .up {
            contacts.move(by: key.code == .down ? 1 : -1)
            return
        }
        if filterField.handle(key) { contacts.filterText = filterField.text }
    }

    func handleCommand(_ key: Key, _ field: TextFieldState) {
        var field = field
        switch key.code {
        case .enter:
            modal = nil
            run(field.text)
            return
        case .tab:
            field.text = AppCommand.complete(field.text)
        default:
            if keys.action(for: key, in: [.global]) == .cancel {
                modal = nil
                return
            }
            if key.code == .backspace && field.isEmpty {
                modal = nil
                return
            }
            field.handle(key)
        }
        modal = .command(field)
    }

    func run(_ text: String) {
        guard !text.trimmingSpaces.isEmpty else { return }
        guard let command = AppCommand.parse(text) else {
            let candidates = AppCommand.suggestions(text)
            let message = candidates.count > 1
                ? ":\(text.trimmingSpaces) could be " + candidates.map { ":" + $0 }.joined(separator: " or ")
                : ":\(text.trimmingSpaces) is not a command; try " + AppCommand.allCases.map { ":" + $0.rawValue }.joined(separator: ", ")
            session.show(Notice(message, kind: .error))
            return
        }
        switch command {
        case .contacts: switchTo(.contacts)
        case .users: switchTo(.users)
        case .sales: switchTo(.sales)
        case .company: switchTo(.company)
        case .refresh: refresh()
        case .help: helpScroll = 0
        case .quit: onQuit()
        }
    }

    func handlePicker(_ key: Key, _ picker: PickerModal) {
        var picker = picker
        switch keys.action(for: key, in: [.picker]) {
        case .cancel:
            modal = nil
            return
        case .choose:
            guard let index = picker.state.selectedItem else { return }
            modal = nil
            choose(picker.values[index], for: picker.purpose)
            return
        default:
            _ = picker.state.handle(key)
        }
        modal = .picker(picker)
    }

    func choose(_ value: String, for purpose: PickerPurpose) {
        switch purpose {
        case .transfer(let contactId):
            actions.transfer(contactId, to: value) { [weak self] result in
                self?.announce(result, success: "Transferred to \(self?.session.userName(value) ?? "")")
            }
        case .archive(let contactId):
            actions.archive(contactId, reason: value) { [weak self] result in
                self?.announce(result, success: "Archived: \(self?.session.archivingReasonName(value) ?? value)")
            }
        }
    }

    func announce<T>(_ result: Result<T, VentiaError>, success: String) {
        switch result {
        case .success: session.show(Notice(success, kind: .success))
        case .failure(let error): session.report(error)
        }
    }

    func handleForm(_ key: Key, _ form: FormModal) {
        var form = form
        guard !form.sending else { return }
        let multiline = form.state.focusIsMultiline
        if multiline, key.code == .enter || key.code == .up || key.code == .down {
            _ = form.state.handleEditing(key)
            modal = .form(form)
            return
        }
        switch keys.action(for: key, in: [.form]) {
        case .cancel:
            modal = nil
            return
        case .nextField: form.state.focusNext()
        case .previousField: form.state.focusPrevious()
        case .submit:
            guard form.state.validate() else {
                modal = .form(form)
                return
            }
            form.sending = true
            form.state.message = nil
            modal = .form(form)
            submit(form)
            return
        default:
            _ = form.state.handleEditing(key)
        }
        modal = .form(form)
        refreshReminderHint()
    }

    /// Shows the resolved reminder time under the field as the user types.
    func refreshReminderHint() {
        guard case .form(var form) = modal, case .reminder = form.purpose, var field = form.state["reminderDate"] else { return }
        let text = field.value
        if text.trimmingSpaces.isEmpty {
            field.hint = ContactForms.reminderExamples
        } else {
            switch reminderParser.parse(text, now: clock.now()) {
            case .success(let date): field.hint = "→ " + reminderParser.describe(date)
            case .failure(let failure): field.hint = failure.description
            }
        }
        form.state["reminderDate"] = field
        modal = .form(form)
    }

    /// Sends a form; on success it closes with a notice, on failure it stays with its input and errors.
    func submit(_ form: FormModal) {
        let state = form.state
        switch form.purpose {
        case .note(let contactId):
            actions.addNote(to: contactId, body: state.value("body")) { [weak self] result in self?.finishForm(result, success: "Note added") }
        case .reminder(let contactId):
            switch reminderParser.parse(state.value("reminderDate"), now: clock.now()) {
            case .success(let date):
                let shown = reminderParser.describe(date)
                actions.setReminder(for: contactId, at: date) { [weak self] result in self?.finishForm(result, success: "Reminder set for \(shown)") }
            case .failure(let failure):
                finishForm(Result<Void, VentiaError>.failure(.validation(message: failure.description, fieldErrors: [FieldError(field: "reminderDate", message: failure.description)])), success: "")
            }
        case .editContact(let contactId):
            actions.edit(contactId, ContactForms.contactInput(from: state)) { [weak self] result in self?.finishForm(result, success: "Contact saved") }
        case .createContact:
            actions.create(ContactForms.contactInput(from: state)) { [weak self] result in
                self?.finishForm(result, success: "Contact created")
                if case .success(let contact) = result { self?.contacts.select(self?.contacts.visible.firstIndex { self?.contacts.contacts[$0].id == contact.id } ?? 0) }
            }
        case .lead:
            let agentIndex = state["agent"]?.choice ?? 0
            let agent = session.users.indices.contains(agentIndex) ? session.users[agentIndex].id : ""
            actions.createLead(ContactForms.contactInput(from: state), agent: agent) { [weak self] result in
                switch result {
                case .success(let answer):
                    let text = answer.existing
                        ? "\(answer.contact.fullName) already exists: a note was added for its agent instead of a new contact"
                        : "Lead created: \(answer.contact.fullName)"
                    self?.finishForm(Result<Void, VentiaError>.success(()), success: text, kind: answer.existing ? .warning : .success)
                case .failure(let error):
                    self?.finishForm(Result<Void, VentiaError>.failure(error), success: "")
                }
            }
        default:
            submitAdmin(form)
        }
    }

    func submitAdmin(_ form: FormModal) {
        let state = form.state
        switch form.purpose {
        case .createUser:
            let values = AdminForms.values(state)
            let input = UserInput(
                name: values.name, lastname: values.lastname, email: values.email, password: state.value("password"),
                phoneWork: values.phoneWork.isEmpty ? nil : values.phoneWork, roles: values.roles.isEmpty ? [.user] : values.roles)
            admin.createUser(input) { [weak self] result in
                self?.finishForm(result, success: "User \(values.name) \(values.lastname) created")
                if case .success(let user) = result, let index = self?.session.users.firstIndex(where: { $0.id == user.id }) { self?.usersTable.selected = index }
            }
        case .editUser(let user):
            let values = AdminForms.values(state)
            let unchanged = values.patch(from: user).isEmpty
            admin.updateUser(user, to: values) { [weak self] result in
                self?.finishForm(result, success: unchanged ? "Nothing changed: nothing was sent" : "User saved (only the changed fields were sent)", kind: unchanged ? .info : .success)
            }
        case .replaceUser(let user):
            let values = AdminForms.values(state)
            let resets = values.resets(comparedWith: user)
            var waiting = form
            waiting.sending = true
            let message = resets.isEmpty ? "Replace \(user.fullName) with these values? Nothing else changes." : "Replace \(user.fullName)? " + resets.joined(separator: "; ") + "."
            modal = .confirm(DialogState.confirm(title: "Replace user (PUT)", message: message, confirm: "Replace", cancel: "Back"), .replaceUser(user, values, waiting))
        case .createSale:
            admin.createSale(AdminForms.saleInput(state, users: session.users)) { [weak self] result in
                self?.finishForm(result, success: "Sale \(state.value("ticket_id")) created")
            }
        case .editSale(let sale):
            let patch = AdminForms.salePatch(state, sale: sale, users: session.users)
            admin.updateSale(sale, patch) { [weak self] result in
                self?.finishForm(result, success: patch.isEmpty ? "Nothing changed: nothing was sent" : "Sale \(sale.ticketId ?? "") saved", kind: patch.isEmpty ? .info : .success)
            }
        case .upsertSale:
            let id = state.value("id")
            admin.upsertSale(id: id, AdminForms.saleInput(state, users: session.users)) { [weak self] result in
                self?.finishForm(result, success: "Sale \(id.trimmingSpaces) saved (created if it was new)")
            }
        case .pageSize:
            let size = Int(state.value("limit").trimmingSpaces) ?? sales.cursor.limit
            modal = nil
            sales.setPageSize(size)
            session.show(Notice("\(size) sales per page", kind: .success))
        default:
            break
        }
    }

    func handleConfirm(_ key: Key, _ dialog: DialogState, _ purpose: ConfirmPurpose) {
        var dialog = dialog
        let cancelled = keys.action(for: key, in: [.global]) == .cancel
        let choice = cancelled ? 1 : dialog.handle(key)
        switch purpose {
        case .replaceUser(let user, let values, var form):
            guard let choice else {
                modal = .confirm(dialog, purpose)
                return
            }
            if choice == 0 {
                modal = .form(form)
                admin.replaceUser(user, with: values) { [weak self] result in self?.finishForm(result, success: "User \(values.name) \(values.lastname) replaced") }
            } else {
                form.sending = false
                modal = .form(form)
            }
        }
    }

    func userAction(_ action: AppAction) {
        if session.users.isEmpty && action != .createUser { return }
        let selected = session.users.indices.contains(usersTable.selected) ? session.users[usersTable.selected] : nil
        switch action {
        case .createUser:
            modal = .form(FormModal(state: AdminForms.user(nil, withPassword: true), purpose: .createUser, title: "New user"))
        case .editUser:
            guard let selected else { return }
            modal = .form(FormModal(state: AdminForms.user(selected, withPassword: false), purpose: .editUser(selected), title: "Edit \(selected.fullName) (PATCH)"))
        case .replaceUser:
            guard let selected else { return }
            modal = .form(FormModal(state: AdminForms.user(selected, withPassword: false), purpose: .replaceUser(selected), title: "Replace \(selected.fullName) (PUT)"))
        default:
            break
        }
    }

    func saleAction(_ action: AppAction) {
        switch action {
        case .createSale:
            if session.users.isEmpty { session.loadUsers() }
            modal = .form(FormModal(state: AdminForms.sale(statuses: sales.knownStatuses, users: session.users, today: clock.now()), purpose: .createSale, title: "New sale"))
        case .upsertSale:
            modal = .form(FormModal(state: AdminForms.sale(statuses: sales.knownStatuses, users: session.users, today: clock.now(), withId: true), purpose: .upsertSale, title: "Create or update a sale by id (PUT)"))
        case .editSale:
            guard let sale = sales.selectedSale else { return }
            if sale.lock {
                session.report(AdminActions.locked(sale))
                return
            }
            modal = .form(FormModal(state: AdminForms.saleChanges(sale, statuses: sales.knownStatuses, users: session.users), purpose: .editSale(sale), title: "Change sale \(sale.ticketId ?? "") (PATCH)"))
        case .filterStatus:
            sales.cycleStatusFilter()
            let scope = sales.allSales == nil ? " of this page" : ""
            session.show(Notice(sales.statusFilter.map { "Showing \($0) sales\(scope)" } ?? "Showing all statuses"))
        case .pageSize:
            modal = .form(FormModal(state: AdminForms.pageSize(current: sales.cursor.limit), purpose: .pageSize, title: "Sales per page"))
        case .overview:
            showOverview.toggle()
        case .overviewAll:
            showOverview = true
            sales.loadAllPages()
        default:
            break
        }
    }

    func finishForm<T>(_ result: Result<T, VentiaError>, success: String, kind: Notice.Kind = .success) {
        guard case .form(var form) = modal else {
            if case .failure(let error) = result { session.report(error) } else { session.show(Notice(success, kind: kind), for: 6) }
            return
        }
        switch result {
        case .success:
            modal = nil
            session.show(Notice(success, kind: kind), for: 6)
        case .failure(let error):
            form.sending = false
            form.state.apply(errors: ContactForms.fieldErrors(error), message: error.fieldErrors.isEmpty ? error.description : nil)
            modal = .form(form)
            if error.fieldErrors.isEmpty { session.report(error) }
        }
    }
}
