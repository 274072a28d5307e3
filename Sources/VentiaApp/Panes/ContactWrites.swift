import Foundation
import TerminalUI
import VentiaAPI
import VentiaViewModels

/// The contact writes, each described once: its form or picker, how the input becomes the call,
/// and what the answer shows.
@MainActor
struct ContactWrites {
    let context: PaneContext
    let actions: ContactActions
    let contacts: ContactListViewModel

    var session: AppSession { context.session }

    /// The writes on one contact.
    func perform(_ action: AppAction, on contact: Contact) {
        let name = contact.fullName.isEmpty ? "contact" : contact.fullName
        switch action {
        case .addNote: context.present(.form(note(for: contact.id, name: name)))
        case .composeNote: composeNote(for: contact.id, name: name)
        case .setReminder: context.present(.form(reminder(for: contact.id, name: name)))
        case .transfer: transfer(contact, name: name)
        case .archive: archive(contact.id, name: name)
        case .edit: context.present(.form(edit(contact, name: name)))
        case .sendWhatsApp: whatsApp(contact, name: name)
        case .replyWhatsApp: replyWhatsApp(contact, name: name)
        default: break
        }
    }

    func note(for contactId: String, name: String, body: String = "") -> FormModal {
        FormModal(state: FormState(ContactWriteFields.note(body: body)), title: "Note for \(name)") { [actions] state, finish in
            actions.addNote(to: contactId, body: state.values[.body]) { finish(.of($0, "Note", Notice("Note added", kind: .success))) }
        }
    }

    /// A note written in `$EDITOR` (like `git commit`), sent as soon as the editor closes.
    func composeNote(for contactId: String, name: String) {
        switch context.composeInEditor("Note for \(name). Lines starting with # are left out; an empty note is not sent.") {
        case .text(let text): context.presentSending(note(for: contactId, name: name, body: text))
        case .empty: session.show(Notice("Empty note: nothing was sent"))
        case .failed(let reason): session.report(message: reason)
        }
    }

    func reminder(for contactId: String, name: String) -> FormModal {
        reminderForm(title: "Reminder for \(name)") { [actions] date, shown, finish in
            actions.setReminder(for: contactId, at: date) { finish(.of($0, "Reminder", Notice("Reminder set for \(shown)", kind: .success))) }
        }
    }

    /// The reminder form: the resolved time shows under the field as the user types; `send` gets
    /// the time, as said back to the user, once it parses.
    func reminderForm(title: String, send: @escaping @MainActor (Date, String, @escaping FormFinish) -> Void) -> FormModal {
        let parser = context.reminderParser
        let clock = context.clock
        return FormModal(
            state: FormState(ContactWriteFields.reminder(parser: parser, now: { clock.now() })), title: title,
            update: { form in
                let hint = ContactWriteFields.reminderHint(form.values[.reminderDate], parser: parser, now: clock.now())
                form["reminderDate"]?.hint = hint
            }
        ) { state, finish in
            switch parser.parse(state.values[.reminderDate], now: clock.now()) {
            case .success(let date): send(date, parser.describe(date), finish)
            case .failure(let failure):
                finish(.failed(.validation(message: failure.description, fieldErrors: [FieldError(field: "reminderDate", message: failure.description)])))
            }
        }
    }

    func edit(_ contact: Contact, name: String) -> FormModal {
        FormModal(state: FormState(ContactWriteFields.contact(contact, origins: session.group?.origins ?? [])), title: "Edit \(name)") {
            [actions] state, finish in
            actions.edit(contact.id, ContactWriteFields.input(state.values)) { finish(.of($0, "Edit", Notice("Contact saved", kind: .success))) }
        }
    }

    func create() {
        context.present(.form(FormModal(state: FormState(ContactWriteFields.contact(nil, origins: session.group?.origins ?? [])), title: "New contact") {
            [actions, contacts] state, finish in
            actions.create(ContactWriteFields.input(state.values)) { outcome in
                finish(.of(outcome, "New contact", Notice("Contact created", kind: .success)))
                if case .done(.success(let contact)) = outcome { contacts.select(contacts.visible.firstIndex { contacts.rows[$0].id == contact.id } ?? 0) }
            }
        }))
    }

    func lead() {
        if session.users.isEmpty { session.loadUsers() }
        let users = session.users
        context.present(.form(FormModal(state: FormState(ContactWriteFields.lead(origins: session.group?.origins ?? [], agents: users)), title: "New campaign lead") {
            [actions] state, finish in
            let values = state.values
            actions.createLead(ContactWriteFields.input(values), agent: ContactWriteFields.agent(values, agents: users)) { outcome in
                switch outcome {
                case .done(.success(let answer)) where answer.existing:
                    finish(.done(Notice("\(answer.contact.fullName) already exists: a note was added for its agent instead of a new contact", kind: .warning)))
                case .done(.success(let answer)): finish(.done(Notice("Lead created: \(answer.contact.fullName)", kind: .success)))
                case .done(.failure(let error)): finish(.failed(error))
                case .queued(let when): finish(.done(Notice("Lead \(when)", kind: .info)))
                }
            }
        }))
    }

    func transfer(_ contact: Contact, name: String) {
        let candidates = session.users.filter { $0.id != contact.agent }
        guard !candidates.isEmpty else {
            session.loadUsers()
            session.show(Notice("No other user to transfer to (yet): loading users…", kind: .warning))
            return
        }
        let items = candidates.map { user in user.fullName + (user.roles.isEmpty ? "" : "  (" + user.roles.map(\.rawValue).joined(separator: ", ") + ")") }
        context.present(.picker(PickerModal(title: "Transfer \(name) to", items: items, values: candidates.map(\.id)) {
            [actions, context] userId in
            actions.transfer(contact.id, to: userId) { context.announce($0, "Transfer", success: "Transferred to \(context.session.userName(userId))") }
        }))
    }

    func archive(_ contactId: String, name: String) {
        let reasons = session.group?.activeArchivingReasons ?? []
        guard !reasons.isEmpty else {
            session.loadDirectory()
            session.show(Notice("No archiving reasons loaded (yet)", kind: .warning))
            return
        }
        context.present(.picker(PickerModal(title: "Archive \(name) because", items: reasons.map(\.name), values: reasons.map(\.code)) {
            [actions, context] code in
            actions.archive(contactId, reason: code) { context.announce($0, "Archiving", success: "Archived: \(context.session.archivingReasonName(code))") }
        }))
    }

    /// `:leadform CODE`: the form's fields with the group's additional data; the stored entry's id
    /// shows once the server has it.
    func leadEntry(code: String) {
        guard !code.isEmpty else {
            session.show(Notice("Say which form: :leadform CODE (the codes are those of the account's lead-entry forms)", kind: .warning))
            return
        }
        if session.group == nil { session.loadDirectory() }
        let additional = session.group?.additionalDataFields ?? []
        context.present(.form(FormModal(state: FormState(LeadEntryFields.fields(additional: additional)), title: "Lead form \(code)") {
            [actions] state, finish in
            actions.submitLeadEntry(code: code, LeadEntryFields.input(state.values, additional: additional)) { result in
                finish(.of(result, Notice("Entry stored in form \(code): \((try? result.get())?.id ?? "")", kind: .success)))
            }
        }))
    }

    // MARK: WhatsApp

    /// The composer: a contact without a phone is told why; the channel is the contact's, else the
    /// configured one, else asked once and kept for the account; then the type, then its form.
    /// A reply to the WhatsApp message at the top of the timeline shown, else to the newest one
    /// from the contact; the message answered is quoted in the composer's titles.
    func replyWhatsApp(_ contact: Contact, name: String) {
        let timeline = actions.timeline
        guard timeline.contactId == contact.id else {
            session.show(Notice("Open the contact (enter) to reply to one of its WhatsApp messages", kind: .warning))
            return
        }
        let top = timeline.interactions.indices.contains(timeline.scroll) ? timeline.interactions[timeline.scroll] : nil
        let quoted = [top].compactMap { $0 }.first { if case .whatsApp = $0.content { true } else { false } }
            ?? timeline.interactions.first { if case .whatsApp(let entry) = $0.content { entry.direction == .inbound } else { false } }
        guard let quoted, case .whatsApp(let entry) = quoted.content else {
            session.show(Notice("\(name) has no WhatsApp message in the timeline to reply to (w writes a new one)", kind: .warning))
            return
        }
        let text = entry.message?.summary ?? entry.raw["type"]?.stringValue ?? "message"
        whatsApp(contact, name: name, quote: "re: “" + String(TextSanitizer.clean(text).prefix(40)) + (text.count > 40 ? "…”" : "”"))
    }

    func whatsApp(_ contact: Contact, name: String, quote: String? = nil) {
        guard contact.phones.contains(where: { !PhoneNumber.normalized($0).isEmpty }) else {
            session.show(Notice("\(name) has no phone number: WhatsApp needs one (e edits the contact)", kind: .warning), for: 6)
            return
        }
        if let channel = contact.channels.first ?? session.whatsAppChannel() {
            return whatsAppTypes(contact, name: name, channel: channel, quote: quote)
        }
        let field = WriteField(.channel, "Channel id", hint: "the account's WhatsApp channel; kept for next time") {
            $0.trimmingCharacters(in: .whitespaces).isEmpty ? "is required" : nil
        }
        context.present(.form(FormModal(state: FormState([field]), title: "Which WhatsApp channel?") { [session] state, finish in
            let channel = state.values[.channel].trimmingCharacters(in: .whitespaces)
            session.rememberWhatsAppChannel(channel)
            finish(.done(Notice("WhatsApp channel \(channel) kept for this account")))
            self.whatsAppTypes(contact, name: name, channel: channel, quote: quote)
        }))
    }

    /// The 24-hour window as the timeline here knows it: its own, or the one kept in the mirror.
    func whatsAppWindow(_ contact: Contact) -> WhatsAppWindow? {
        let open = actions.timeline.contactId == contact.id ? actions.timeline.interactions : []
        let kept = open.isEmpty ? (session.mirror.flatMap { mirror in session.mirrorTry { try mirror.timeline(of: contact.id) } } ?? []) : open
        return kept.isEmpty ? nil : WhatsAppWindow.of(kept, now: context.clock.now())
    }

    /// What the type picker offers: a message type's form, or a text written in `$EDITOR`.
    enum WhatsAppChoice {
        case form(WhatsAppKind)
        case textInEditor
    }

    func whatsAppTypes(_ contact: Contact, name: String, channel: String, quote: String? = nil) {
        let window = whatsAppWindow(contact)
        let kinds = window.map { $0.isOpen ? WhatsAppKind.allCases : [.template] } ?? WhatsAppKind.allCases
        var state: String
        switch window {
        case .open(let until)?: state = "window open until " + context.dates.asOf(until, now: context.clock.now())
        case .closed?: state = "window closed: a template only"
        case nil: state = "timeline not loaded: the window is unknown"
        }
        if let quote { state = quote + " · " + state }
        var items = kinds.map(\.title)
        var values = kinds.map { WhatsAppChoice.form($0) }
        if kinds.contains(.text) {
            items.insert("Text in $EDITOR", at: 1)
            values.insert(.textInEditor, at: 1)
        }
        context.present(.picker(PickerModal(title: "WhatsApp to \(name) — \(state)", items: items, values: values) {
            [context] (choice: WhatsAppChoice) in
            switch choice {
            case .textInEditor:
                switch context.composeInEditor("WhatsApp to \(name). Lines starting with # are left out; an empty message is not sent.") {
                case .text(let text): context.presentSending(self.whatsAppForm(.text, contact, name: name, channel: channel, state: state, body: text))
                case .empty: context.session.show(Notice("Empty message: nothing was sent"))
                case .failed(let reason): context.session.report(message: reason)
                }
            case .form(let kind):
                context.present(.form(self.whatsAppForm(kind, contact, name: name, channel: channel, state: state)))
            }
        }))
    }

    func whatsAppForm(_ kind: WhatsAppKind, _ contact: Contact, name: String, channel: String, state: String, body: String = "") -> FormModal {
        FormModal(state: FormState(WhatsAppFields.fields(kind, body: body)), title: "WhatsApp \(kind.rawValue) to \(name) · \(state)") { [actions] values, finish in
            switch WhatsAppFields.request(kind, values.values) {
            case .failure(let error): finish(.failed(error))
            case .success(let request):
                actions.sendWhatsApp(to: contact, channel: channel, request) { outcome in
                    finish(.of(outcome, "WhatsApp message", Notice("WhatsApp \(kind.rawValue) sent to \(name)", kind: .success)))
                }
            }
        }
    }
}
