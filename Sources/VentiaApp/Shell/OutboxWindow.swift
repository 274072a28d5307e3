import Foundation
import TerminalUI
import VentiaAPI
import VentiaCore
import VentiaMirror
import VentiaViewModels

/// `:outbox`: the writes the server does not have yet, pending or refused, each to send again,
/// fix (a note or an edit reopens its form with the server's field errors) or discard. A window
/// of its own: it opens its pickers and forms through `present`, like a pane.
@MainActor
struct OutboxWindow {
    let session: AppSession
    let services: PaneServices
    let present: (Modal) -> Void

    var contacts: ContactListViewModel { services.contacts }

    func open() {
        let outbox = session.outbox
        let entries = outbox.entries
        guard !entries.isEmpty else {
            session.show(Notice("The outbox is empty: the server has every write", kind: .success))
            return
        }
        let items = entries.map { record in
            let glyph = record.state == .failed ? "✗ " : "⧗ "
            let state: String
            switch record.state {
            case .failed: state = "refused: " + (record.failure ?? "")
            case .sending: state = "sent, waiting for a check"
            case .queued: state = session.budget.secondsUntilSlot > 0 && session.budget.remaining == 0 ? "queued · sends in \(session.budget.secondsUntilSlot)s" : "queued"
            }
            return glyph + Outbox.describe(record) + ": " + summary(record.write) + " · " + state
        }
        present(.picker(PickerModal(title: "Outbox — pick a write", items: items, values: entries.map(\.id)) { id in
            chooseOutboxAction(id)
        }))
    }

    private func summary(_ write: OutboxWrite) -> String {
        switch write {
        case .note(let body): return "\"" + TextSanitizer.clean(String(body.prefix(40))) + (body.count > 40 ? "…\"" : "\"")
        case .reminder(let date): return VentiaDate.format(date)
        case .transfer(let to): return "to " + session.userName(to)
        case .archive(let reason): return session.archivingReasonName(reason)
        case .edit(let input), .create(let input), .lead(let input, _):
            return ([input.firstName, input.lastName] + input.phones + input.emails).filter { !$0.isEmpty }.joined(separator: " ")
        case .admin(let admin): return admin.kind
        }
    }

    /// What can be done with a write in the outbox.
    enum OutboxChoice {
        case retry, fixInForm, discard
    }

    private func chooseOutboxAction(_ id: String) {
        guard let record = session.outbox.entries.first(where: { $0.id == id }) else { return }
        var choices: [(String, OutboxChoice)] = [("Send it again now", .retry)]
        switch record.write {
        case .note, .edit: choices.append(("Fix it in its form", .fixInForm))
        default: break
        }
        choices.append(("Discard it", .discard))
        let title = Outbox.describe(record)
        present(.picker(PickerModal(title: title, items: choices.map(\.0), values: choices.map(\.1)) { choice in
            switch choice {
            case .retry:
                session.outbox.retry(id)
                session.show(Notice("\(title): sending again"))
            case .discard:
                session.outbox.discard(id)
                session.show(Notice("\(title): discarded"))
            case .fixInForm: fixInForm(record)
            }
        }))
    }

    /// Reopens the write's form with what was typed and the server's field errors; sending it
    /// replaces the refused entry.
    private func fixInForm(_ record: OutboxRecord) {
        let writes = services.contactWrites
        let name = record.contactName.isEmpty ? "contact" : record.contactName
        var form: FormModal
        switch record.write {
        case .note(let body): form = writes.note(for: record.contactId, name: name, body: body)
        case .edit(let input):
            guard var contact = contacts.contact(id: record.contactId) else {
                session.show(Notice("\(Outbox.describe(record)): the contact is not loaded here", kind: .warning))
                return
            }
            contact.firstName = input.firstName
            contact.lastName = input.lastName
            contact.emails = input.emails
            contact.phones = input.phones
            contact.detail = input.detail
            contact.origin = input.origin
            form = writes.edit(contact, name: name)
        default: return
        }
        let error = VentiaError.validation(message: record.failure ?? "", fieldErrors: record.fieldErrors)
        form.state.apply(errors: WriteErrors.byField(error), message: record.fieldErrors.isEmpty ? record.failure : nil)
        let send = form.send
        let outbox = session.outbox
        form = FormModal(state: form.state, title: form.title, update: form.update, confirmation: form.confirmation) { state, finish in
            outbox.discard(record.id)
            send(state, finish)
        }
        present(.form(form))
    }
}
