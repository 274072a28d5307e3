import Foundation
import VentiaAPI

/// The agent's writes on a contact. Each checks its input before sending, and on success updates
/// the list and the open timeline so the result shows without a reload. The caller keeps its form
/// open on failure, so nothing typed is lost.
@MainActor
public final class ContactActions {
    public typealias Completion<T> = @MainActor @Sendable (Result<T, VentiaError>) -> Void

    let session: AppSession
    let list: ContactListViewModel
    let timeline: TimelineViewModel
    let clock: any VentiaClock

    public init(session: AppSession, list: ContactListViewModel, timeline: TimelineViewModel, clock: any VentiaClock = SystemClock()) {
        self.session = session
        self.list = list
        self.timeline = timeline
        self.clock = clock
    }

    /// A check failure before anything is sent, shaped like the server's own 400.
    static func invalid(_ field: String, _ message: String) -> VentiaError {
        .validation(message: "\(field) \(message)", fieldErrors: [FieldError(field: field, message: message)])
    }

    public func addNote(to contactId: String, body: String, completion: @escaping Completion<Interaction>) {
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = ContactFieldRules.noteBody(text) { return completion(.failure(Self.invalid("body", problem))) }
        session.client.createNote(contactId: contactId, body: text, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            self?.finish(result, contactId: contactId) { contact, _ in contact.lastInteraction = self?.clock.now() }
            completion(result)
        })
    }

    public func setReminder(for contactId: String, at date: Date, completion: @escaping Completion<Interaction>) {
        guard date > clock.now() else { return completion(.failure(Self.invalid("reminderDate", "is in the past"))) }
        session.client.createReminder(contactId: contactId, at: date, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            self?.finish(result, contactId: contactId) { contact, _ in contact.reminder = date }
            completion(result)
        })
    }

    public func transfer(_ contactId: String, to userId: String, completion: @escaping Completion<Interaction>) {
        guard session.user(userId) != nil else { return completion(.failure(Self.invalid("to", "must be one of the account's users"))) }
        session.client.transferContact(contactId: contactId, to: userId, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            guard let self else { return completion(result) }
            self.finish(result, contactId: contactId) { contact, _ in
                contact.agent = userId
                contact.agentFullName = self.session.userName(userId)
            }
            completion(result)
        })
    }

    public func archive(_ contactId: String, reason: String, completion: @escaping Completion<Interaction>) {
        let active = session.group?.activeArchivingReasons.map(\.code) ?? []
        guard active.isEmpty || active.contains(reason) else {
            return completion(.failure(Self.invalid("reason", "must be one of the active archiving reasons")))
        }
        session.client.archiveContact(contactId: contactId, reason: reason, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            guard let self else { return completion(result) }
            self.finish(result, contactId: contactId) { contact, _ in
                contact.status = "archived"
                contact.archivingReason = reason
                contact.archivingReasonText = self.session.archivingReasonName(reason)
            }
            completion(result)
        })
    }

    public func edit(_ contactId: String, _ input: ContactInput, completion: @escaping Completion<Contact>) {
        let errors = ContactFieldRules.check(input)
        guard errors.isEmpty else { return completion(.failure(.validation(message: "check the form", fieldErrors: errors))) }
        session.client.replaceContact(id: contactId, with: input, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            if case .success(let answer) = result, let self {
                // The modify answer leaves out the agent: keep what the list knew.
                var merged = answer
                if let known = self.list.contact(id: contactId) {
                    merged.agent = answer.agent ?? known.agent
                    merged.agentFullName = answer.agentFullName ?? known.agentFullName
                }
                self.list.apply(merged)
            }
            completion(result)
        })
    }

    public func create(_ input: ContactInput, completion: @escaping Completion<Contact>) {
        let errors = ContactFieldRules.check(input)
        guard errors.isEmpty else { return completion(.failure(.validation(message: "check the form", fieldErrors: errors))) }
        session.client.createContact(input, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            if case .success(let contact) = result { self?.list.apply(contact) }
            completion(result)
        })
    }

    /// Creates a campaign lead. The answer says whether the server matched an existing contact
    /// (which then got a note for its agent) instead of creating one.
    public func createLead(_ input: ContactInput, agent: String, completion: @escaping Completion<(contact: Contact, existing: Bool)>) {
        var errors = ContactFieldRules.check(input)
        if session.user(agent) == nil { errors.append(FieldError(field: "agent", message: "must be one of the account's users")) }
        guard errors.isEmpty else { return completion(.failure(.validation(message: "check the form", fieldErrors: errors))) }
        let sentAt = clock.now()
        session.client.createLead(LeadInput(contact: input, agent: agent), on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            guard let self else { return }
            switch result {
            case .success(let contact):
                let existing = self.list.contact(id: contact.id) != nil || (contact.createdAt.map { $0 < sentAt.addingTimeInterval(-5) } ?? false)
                self.list.apply(contact)
                if existing, self.timeline.contactId == contact.id { self.timeline.reload() }
                completion(.success((contact, existing)))
            case .failure(let error):
                completion(.failure(error))
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
