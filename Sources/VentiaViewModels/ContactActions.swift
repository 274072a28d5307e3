import Foundation
import VentiaAPI
import VentiaCore
import VentiaMirror

/// How a write ended for the form that sent it: answered (done or refused), or queued in the outbox.
public enum ActionOutcome<T: Sendable>: Sendable {
    case done(Result<T, VentiaError>)
    /// Kept in the outbox and sent later; says when (`queued · sends in 34s`).
    case queued(String)

    /// The answer, when there was one.
    public var result: Result<T, VentiaError>? {
        if case .done(let result) = self { return result }
        return nil
    }
}

/// What a campaign lead came to: a new contact, or an existing one the server matched.
public struct LeadOutcome: Sendable {
    public var contact: Contact
    public var existing: Bool
}

/// The agent's writes on a contact. Each checks its input before anything is kept or sent. Note,
/// reminder, transfer, archive, edit, create and lead go through the session's outbox (kept, then sent when the
/// budget allows); on delivery the list and the open timeline show the result without a reload.
/// The caller keeps its form open on a refusal, so nothing typed is lost.
@MainActor
public final class ContactActions {
    public typealias Completion<T> = @MainActor @Sendable (Result<T, VentiaError>) -> Void
    public typealias Outcome<T: Sendable> = @MainActor @Sendable (ActionOutcome<T>) -> Void

    let session: AppSession
    let list: ContactListViewModel
    public let timeline: TimelineViewModel
    let clock: any VentiaClock

    public init(session: AppSession, list: ContactListViewModel, timeline: TimelineViewModel, clock: any VentiaClock = SystemClock()) {
        self.session = session
        self.list = list
        self.timeline = timeline
        self.clock = clock
        session.outbox.onDelivered = { [weak self] record, answer in self?.show(record, answer) }
        session.outbox.onWrittenUnseen = { [weak self] contactId in
            if self?.timeline.contactId == contactId { self?.timeline.reload() }
        }
    }

    /// Hands a checked write to the outbox; the first answer (or the queueing) comes back.
    private func submit<T: Sendable>(_ write: OutboxWrite, _ contactId: String, completion: @escaping Outcome<T>, answer: @escaping (OutboxAnswer) -> T?) {
        let name = list.contact(id: contactId)?.fullName ?? ""
        session.outbox.submit(write, contactId: contactId, contactName: name) { outcome in
            switch outcome {
            case .queued(let reason): completion(.queued(reason.statusText))
            case .answered(.failure(let error)): completion(.done(.failure(error)))
            case .answered(.success(let delivered)):
                if let value = answer(delivered) {
                    completion(.done(.success(value)))
                } else {
                    completion(.queued("sent"))
                }
            }
        }
    }

    /// The same write for every contact in `targets`, checked once as one form would check it,
    /// ready to confirm and run (`BulkRun.start`). Refused here: a bad note, a past reminder, an
    /// unknown user or reason, naming the choices.
    public func bulk(_ write: OutboxWrite, on targets: [(id: String, name: String)]) -> Result<BulkRun, VentiaError> {
        switch write {
        case .note(let body):
            let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
            if let problem = ContactFieldRules.noteBody(text) { return .failure(Self.invalid("body", problem)) }
            return .success(BulkRun(title: "Note on \(Self.count(targets.count))", items: Self.items(.note(body: text), targets), outbox: session.outbox))
        case .reminder(let date):
            guard date > clock.now() else { return .failure(Self.invalid("reminderDate", "is in the past")) }
            return .success(BulkRun(title: "Reminder on \(Self.count(targets.count))", items: Self.items(write, targets), outbox: session.outbox))
        case .transfer(let userId):
            guard let user = session.user(userId) else {
                return .failure(Self.invalid("to", "must be one of the account's users: \(session.users.map(\.fullName).joined(separator: ", "))"))
            }
            return .success(BulkRun(title: "Transfer of \(Self.count(targets.count)) to \(user.fullName)", items: Self.items(write, targets), outbox: session.outbox))
        case .archive(let reason):
            let active = session.group?.activeArchivingReasons ?? []
            guard active.isEmpty || active.map(\.code).contains(reason) else {
                return .failure(Self.invalid("reason", "must be one of the active archiving reasons: \(active.map(\.code).joined(separator: ", "))"))
            }
            return .success(BulkRun(
                title: "Archiving of \(Self.count(targets.count)): \(session.archivingReasonName(reason))", items: Self.items(write, targets), outbox: session.outbox))
        case .edit, .create, .lead, .admin:
            return .failure(.invalidRequest(reason: "a \(write.kind) is made one contact at a time"))
        }
    }

    public static func count(_ contacts: Int) -> String { contacts == 1 ? "1 contact" : "\(contacts) contacts" }

    static func items(_ write: OutboxWrite, _ targets: [(id: String, name: String)]) -> [BulkItem] {
        targets.map { BulkItem(targetId: $0.id, name: $0.name, write: write) }
    }

    private static func interaction(_ answer: OutboxAnswer) -> Interaction? {
        if case .interaction(let interaction) = answer { return interaction }
        return nil
    }

    /// A delivered write on screen: the interaction joins the open timeline and the contact is
    /// patched as the write leaves it; a contact the server sent (an edit, a check) replaces it.
    private func show(_ record: OutboxRecord, _ answer: OutboxAnswer) {
        switch answer {
        case .interaction(let interaction):
            finish(.success(interaction), contactId: record.contactId) { contact, _ in Self.patch(&contact, with: record.write, session: session, now: clock.now()) }
        case .contact(let answered):
            // The modify answer leaves out the agent: keep what the list knew.
            var merged = answered
            if let known = list.contact(id: record.contactId) {
                merged.agent = answered.agent ?? known.agent
                merged.agentFullName = answered.agentFullName ?? known.agentFullName
            }
            list.apply(merged)
            // A lead that matched this contact added a note to it; a check found the write done.
            if case .edit = record.write {} else if timeline.contactId == answered.id { timeline.reload() }
        case .json:
            // A WhatsApp message (users and sales go to `AdminActions`): the timeline shows it.
            if timeline.contactId == record.contactId { timeline.reload() }
            if var contact = list.contact(id: record.contactId) {
                contact.lastInteraction = clock.now()
                contact.updatedAt = contact.lastInteraction
                list.apply(contact)
            }
        }
    }

    static func patch(_ contact: inout Contact, with write: OutboxWrite, session: AppSession, now: Date) {
        switch write {
        case .note: contact.lastInteraction = now
        case .reminder(let date): contact.reminder = date
        case .transfer(let to):
            contact.agent = to
            contact.agentFullName = session.userName(to)
        case .archive(let reason):
            contact.status = "archived"
            contact.archivingReason = reason
            contact.archivingReasonText = session.archivingReasonName(reason)
        case .edit, .create, .lead, .admin: break
        }
    }

    /// A check failure before anything is sent, shaped like the server's own 400.
    static func invalid(_ field: String, _ message: String) -> VentiaError {
        .validation(message: "\(field) \(message)", fieldErrors: [FieldError(field: field, message: message)])
    }

    public func addNote(to contactId: String, body: String, completion: @escaping Outcome<Interaction>) {
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = ContactFieldRules.noteBody(text) { return completion(.done(.failure(Self.invalid("body", problem)))) }
        submit(.note(body: text), contactId, completion: completion, answer: Self.interaction)
    }

    public func setReminder(for contactId: String, at date: Date, completion: @escaping Outcome<Interaction>) {
        guard date > clock.now() else { return completion(.done(.failure(Self.invalid("reminderDate", "is in the past")))) }
        submit(.reminder(date: date), contactId, completion: completion, answer: Self.interaction)
    }

    public func transfer(_ contactId: String, to userId: String, completion: @escaping Outcome<Interaction>) {
        guard session.user(userId) != nil else { return completion(.done(.failure(Self.invalid("to", "must be one of the account's users")))) }
        submit(.transfer(to: userId), contactId, completion: completion, answer: Self.interaction)
    }

    public func archive(_ contactId: String, reason: String, completion: @escaping Outcome<Interaction>) {
        let active = session.group?.activeArchivingReasons.map(\.code) ?? []
        guard active.isEmpty || active.contains(reason) else {
            return completion(.done(.failure(Self.invalid("reason", "must be one of the active archiving reasons"))))
        }
        submit(.archive(reason: reason), contactId, completion: completion, answer: Self.interaction)
    }

    public func edit(_ contactId: String, _ input: ContactInput, completion: @escaping Outcome<Contact>) {
        let errors = ContactFieldRules.check(input)
        guard errors.isEmpty else { return completion(.done(.failure(.validation(message: "check the form", fieldErrors: errors)))) }
        submit(.edit(input), contactId, completion: completion) { [weak self] answer in
            guard case .contact(let answered) = answer else { return nil }
            return self?.list.contact(id: contactId) ?? answered
        }
    }

    public func create(_ input: ContactInput, completion: @escaping Outcome<Contact>) {
        let errors = ContactFieldRules.check(input)
        guard errors.isEmpty else { return completion(.done(.failure(.validation(message: "check the form", fieldErrors: errors)))) }
        submit(.create(input), "", completion: completion) { answer in
            if case .contact(let contact) = answer { return contact }
            return nil
        }
    }

    /// Creates a campaign lead. The answer says whether the server matched an existing contact
    /// (which then got a note for its agent) instead of creating one.
    public func createLead(_ input: ContactInput, agent: String, completion: @escaping Outcome<LeadOutcome>) {
        var errors = ContactFieldRules.check(input)
        if session.user(agent) == nil { errors.append(FieldError(field: "agent", message: "must be one of the account's users")) }
        guard errors.isEmpty else { return completion(.done(.failure(.validation(message: "check the form", fieldErrors: errors)))) }
        let sentAt = clock.now()
        let shown = Set(list.contacts.map(\.id))
        submit(.lead(input, agent: agent), "", completion: completion) { answer in
            guard case .contact(let contact) = answer else { return nil }
            // On the list before, or created well before it was sent: the server matched it.
            let existing = shown.contains(contact.id) || (contact.createdAt.map { $0 < sentAt.addingTimeInterval(-5) } ?? false)
            return LeadOutcome(contact: contact, existing: existing)
        }
    }

    /// Sends a WhatsApp message through the outbox; it shows as pending in the contact's timeline
    /// until the server has it. A 409 is explained, never shown raw.
    public func sendWhatsApp(to contact: Contact, channel: String, _ request: WhatsAppSendRequest, completion: @escaping Outcome<Bool>) {
        let name = contact.fullName.isEmpty ? "the contact" : contact.fullName
        guard let data = try? VentiaJSON.encoder().encode(request) else {
            return completion(.done(.failure(.invalidRequest(reason: "the message could not be encoded"))))
        }
        let summary = request.message.summary
        let write = AdminWrite(
            endpoint: .sendWhatsAppMessage, path: [channel, contact.id], body: data, label: "WhatsApp \(request.message.typeName): \(summary)",
            check: .whatsAppSent(contactId: contact.id, summary: summary))
        session.outbox.submit(.admin(write), contactId: contact.id, contactName: name) { outcome in
            switch outcome {
            case .queued(let reason): completion(.queued(reason.statusText))
            case .answered(.success): completion(.done(.success(true)))
            case .answered(.failure(.conflict(let message))):
                let explained = message.lowercased().contains("window")
                    ? "The 24-hour window with \(name) is closed (no message from them in the last day): only a template can be sent now"
                    : "WhatsApp refused it: \(message)"
                completion(.done(.failure(.conflict(message: explained))))
            case .answered(.failure(let error)): completion(.done(.failure(error)))
            }
        }
    }

    /// Posts an entry to the lead-entry form `code`; the answer is the stored entry. Sent at once:
    /// the API lists no entries, so a lost answer could not be checked before sending again.
    public func submitLeadEntry(code: String, _ input: LeadEntryInput, completion: @escaping Completion<LeadEntry>) {
        let errors = LeadEntryFields.check(input, additional: session.group?.additionalDataFields ?? [])
        guard errors.isEmpty else { return completion(.failure(.validation(message: "check the form", fieldErrors: errors))) }
        session.client.createLeadEntry(formCode: code, input, on: MainQueue.answers, completion: MainQueue.deliver { result in
            switch result {
            case .failure(.notFound):
                // The server's 404 in plain words.
                completion(.failure(.notFound(message: "There is no lead-entry form with the code \"\(code)\" in this account")))
            case .failure(let error) where Outbox.isAmbiguous(error):
                completion(.failure(.unconfirmed(error)))
            default: completion(result)
            }
        })
    }

    /// On success: the interaction joins the open timeline and the contact is patched locally.
    private func finish(_ result: Result<Interaction, VentiaError>, contactId: String, patch: (inout Contact, Interaction) -> Void) {
        guard case .success(let interaction) = result else { return }
        if timeline.contactId == contactId { timeline.prepend(interaction) }
        if var contact = list.contact(id: contactId) {
            patch(&contact, interaction)
            contact.lastInteraction = interaction.createdAt ?? clock.now()
            contact.updatedAt = contact.lastInteraction
            list.apply(contact)
        }
    }
}
