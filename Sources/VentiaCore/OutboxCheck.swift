import Foundation
import VentiaAPI
import VentiaMirror

/// After a write got no answer, whether it took effect, asked of what every answer of the
/// reference carries, one rule a kind of write: a note or a reminder in the timeline since the
/// attempt, a contact already as the write leaves it (an edit's fields included), a new user by
/// email, a new sale by ticket and phone. `settle` hears the answer that shows it (`.some`), that
/// it did not take effect (`.some(nil)`), or that the server could not tell (nil: ask again later).
@MainActor
struct OutboxCheck {
    let client: VentiaClient

    func run(_ record: OutboxRecord, since: Date, settle: @escaping @MainActor (OutboxAnswer??) -> Void) {
        if case .admin(let admin) = record.write {
            return checkAdmin(admin, since: since, settle: settle)
        }
        switch record.write {
        case .note(let body):
            client.listNotes(contactId: record.contactId, page: 0, limit: 100, lane: .outbox, on: MainQueue.answers, completion: MainQueue.deliver { result in
                switch result {
                case .success(let notes):
                    let match = notes.first { note in
                        if case .note(let text) = note.content, text == body { return (note.createdAt ?? .distantFuture) >= since }
                        return false
                    }
                    settle(.some(match.map(OutboxAnswer.interaction)))
                case .failure: settle(.none)
                }
            })
        case .create(let input), .lead(let input, _):
            // The newest contacts: one with these fields (a create) or these phones or emails (a
            // lead, which may have matched an existing contact) changed since the attempt.
            let isLead = if case .lead = record.write { true } else { false }
            client.listContacts(page: 0, limit: 100, lane: .outbox, on: MainQueue.answers, completion: MainQueue.deliver { result in
                switch result {
                case .success(let contacts):
                    let match = contacts.first { contact in
                        guard (contact.updatedAt ?? contact.createdAt ?? .distantFuture) >= since else { return false }
                        return isLead ? Self.sharesAddress(contact, input) : Self.matches(contact, input)
                    }
                    settle(.some(match.map(OutboxAnswer.contact)))
                case .failure: settle(.none)
                }
            })
        case .admin:
            break
        case .reminder(let date):
            // The reference's contact answers show no reminder; the timeline does.
            client.listInteractions(contactId: record.contactId, page: 0, limit: 100, lane: .outbox, on: MainQueue.answers, completion: MainQueue.deliver { result in
                switch result {
                case .success(let interactions):
                    let match = interactions.first { interaction in
                        guard case .reminder(let set?) = interaction.content else { return false }
                        return abs(set.timeIntervalSince(date)) < 1 && (interaction.createdAt ?? .distantFuture) >= since
                    }
                    settle(.some(match.map(OutboxAnswer.interaction)))
                case .failure: settle(.none)
                }
            })
        case .transfer, .archive, .edit:
            client.getContact(id: record.contactId, lane: .outbox, on: MainQueue.answers, completion: MainQueue.deliver { result in
                switch result {
                case .success(let contact): settle(.some(Self.shows(record.write, on: contact) ? .contact(contact) : nil))
                case .failure: settle(.none)
                }
            })
        }
    }

    /// After an ambiguous failure of a user or sale write: a PATCH or PUT is sent again; a new
    /// user is looked for by email among the users, a new sale by ticket and phone among the
    /// newest sales.
    func checkAdmin(_ admin: AdminWrite, since: Date, settle: @escaping @MainActor (OutboxAnswer??) -> Void) {
        switch admin.check {
        case .resend: settle(.some(nil))
        case .userWithEmail(let email):
            client.listUsers(page: 0, limit: 100, on: MainQueue.answers, completion: MainQueue.deliver { result in
                switch result {
                case .success(let users):
                    settle(.some(users.contains { $0.email.lowercased() == email.lowercased() } ? .json(.null) : nil))
                case .failure: settle(.none)
                }
            })
        case .saleWithId(let id):
            client.getSale(id: id, on: MainQueue.answers, completion: MainQueue.deliver { result in
                switch result {
                case .success: settle(.some(.json(.null)))
                case .failure(.notFound): settle(.some(nil))
                case .failure: settle(.none)
                }
            })
        case .webhookShows(let id, let name, let active, let topics):
            client.getWebhook(id: id, on: MainQueue.answers, completion: MainQueue.deliver { result in
                switch result {
                case .success(let hook):
                    let shows = (name.map { $0 == hook.name } ?? true) && (active.map { $0 == hook.active } ?? true)
                        && (topics.map { Set($0) == Set(hook.topics) } ?? true)
                    settle(.some(shows ? .json(.null) : nil))
                case .failure: settle(.none)
                }
            })
        case .whatsAppSent(let contactId, let summary):
            client.listInteractions(contactId: contactId, page: 0, limit: 100, on: MainQueue.answers, completion: MainQueue.deliver { result in
                switch result {
                case .success(let interactions):
                    let found = interactions.contains { interaction in
                        guard case .whatsApp(let entry) = interaction.content, entry.direction == .outbound else { return false }
                        return entry.message?.summary == summary && (interaction.createdAt ?? .distantFuture) >= since
                    }
                    settle(.some(found ? .json(.null) : nil))
                case .failure: settle(.none)
                }
            })
        case .webhookNamed(let name, let url):
            client.listWebhooks(page: 0, limit: 100, on: MainQueue.answers, completion: MainQueue.deliver { result in
                switch result {
                case .success(let list):
                    // The reference's list shows no callback URL and no creation time; the id holds the time.
                    let found = list.webhooks.contains { hook in
                        hook.name == name && (hook.callbackUrl.map { $0 == url } ?? true)
                            && (ObjectId.creationDate(of: hook.id) ?? .distantFuture) >= since
                    }
                    settle(.some(found ? .json(.null) : nil))
                case .failure: settle(.none)
                }
            })
        case .saleWithTicket(let ticket, let phone):
            client.listSales(page: 1, limit: 100, on: MainQueue.answers, completion: MainQueue.deliver { result in
                switch result {
                case .success(let page):
                    let found = page.data.contains { sale in
                        sale.ticketId == ticket && sale.phone == phone && (sale.createdAt ?? .distantFuture) >= since
                    }
                    settle(.some(found ? .json(.null) : nil))
                case .failure: settle(.none)
                }
            })
        }
    }

    /// A contact with exactly the fields a create sent.
    static func matches(_ contact: Contact, _ input: ContactInput) -> Bool {
        contact.firstName == input.firstName && contact.lastName == input.lastName && contact.detail == input.detail
            && Set(contact.phones.map(PhoneNumber.normalized)) == Set(input.phones.map(PhoneNumber.normalized))
            && Set(contact.emails.map { $0.lowercased() }) == Set(input.emails.map { $0.lowercased() })
    }

    /// A contact a lead with these phones or emails would have matched.
    static func sharesAddress(_ contact: Contact, _ input: ContactInput) -> Bool {
        !Set(contact.phones.map(PhoneNumber.normalized)).isDisjoint(with: input.phones.map(PhoneNumber.normalized))
            || !Set(contact.emails.map { $0.lowercased() }).isDisjoint(with: input.emails.map { $0.lowercased() })
    }

    /// Whether the contact already is as the write leaves it.
    static func shows(_ write: OutboxWrite, on contact: Contact) -> Bool {
        switch write {
        case .transfer(let to): return contact.agent == to
        case .archive(let reason): return contact.status == "archived" && contact.archivingReason == reason
        // Sending a PUT again would change nothing more, but it would be a second write.
        case .edit(let input): return matches(contact, input) && contact.origin == input.origin
        case .reminder, .note, .create, .lead, .admin: return false
        }
    }
}
