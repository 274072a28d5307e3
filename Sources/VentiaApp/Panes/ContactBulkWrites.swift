import Foundation
import TerminalUI
import VentiaAPI
import VentiaMirror
import VentiaViewModels

/// The writes on the marked contacts: the same form or picker as for one contact, then a window
/// that says what it will cost before anything is sent, then the run (`BulkModal`).
extension ContactWrites {
    func bulk(_ action: AppAction) {
        let targets = contacts.markedContacts
        let what = ContactActions.count(targets.count)
        switch action {
        case .addNote:
            context.present(.form(FormModal(state: FormState(ContactWriteFields.note()), title: "Note on \(what) marked") { state, finish in
                self.confirm(.note(body: state.values[.body]), targets, noun: "note", finish: finish)
            }))
        case .setReminder:
            context.present(.form(reminderForm(title: "Reminder on \(what) marked") { date, _, finish in
                self.confirm(.reminder(date: date), targets, noun: "reminder", finish: finish)
            }))
        case .transfer:
            guard !session.users.isEmpty else {
                session.loadUsers()
                session.show(Notice("No users to transfer to (yet): loading users…", kind: .warning))
                return
            }
            let users = session.users
            let items = users.map { user in user.fullName + (user.roles.isEmpty ? "" : "  (" + user.roles.map(\.rawValue).joined(separator: ", ") + ")") }
            context.present(.picker(PickerModal(title: "Transfer \(what) marked to", items: items, values: users.map(\.id)) { userId in
                self.confirm(.transfer(to: userId), targets, noun: "transfer", finish: nil)
            }))
        case .archive:
            let reasons = session.group?.activeArchivingReasons ?? []
            guard !reasons.isEmpty else {
                session.loadDirectory()
                session.show(Notice("No archiving reasons loaded (yet)", kind: .warning))
                return
            }
            context.present(.picker(PickerModal(title: "Archive \(what) marked because", items: reasons.map(\.name), values: reasons.map(\.code)) { code in
                self.confirm(.archive(reason: code), targets, noun: "archiving", finish: nil)
            }))
        default:
            break
        }
    }

    /// Checks the write as one form would; a refusal stays in the form (or is reported), else the
    /// cost window opens. Confirming takes the contacts off the marks.
    private func confirm(_ write: OutboxWrite, _ targets: [(id: String, name: String)], noun: String, finish: FormFinish?) {
        switch actions.bulk(write, on: targets) {
        case .failure(let error):
            if let finish { finish(.failed(error)) } else { session.report(error) }
        case .success(let run):
            finish?(.done(Notice("Nothing is sent until you confirm", kind: .info)))
            let ids = targets.map(\.id)
            context.present(.bulk(BulkModal(run: run, noun: noun) { [contacts] in contacts.unmark(ids) }))
        }
    }

    /// The saved views with their live counts; choosing one shows it (or every contact).
    func views() {
        let views = contacts.savedViews
        guard !views.isEmpty else {
            session.show(Notice("No saved views: add some under views: in config.yml (docs/usage.md shows how)", kind: .warning), for: 6)
            return
        }
        contacts.refreshViewCounts()
        let counts = contacts.viewCounts
        let all = "Every contact" + (session.mirror != nil ? " (\(ContactsPane.grouped(contacts.mirroredCount)))" : "")
        let items = [all] + views.enumerated().map { index, view in
            let count = counts.indices.contains(index) ? counts[index].map { ContactsPane.grouped($0) } ?? "?" : "?"
            return "\(view.name)  (\(count))"
        }
        context.present(.picker(PickerModal(title: "Views", items: items, values: [nil] + views.indices.map { Optional($0) }) { [contacts] (view: Int?) in
            contacts.show(view: view)
        }))
    }
}
