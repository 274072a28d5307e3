import Foundation
import VentiaAPI
import VentiaMirror

/// The outbox's checks: after a write got no answer, whether it took effect, asked of what every
/// answer of the reference carries, one rule a kind of write.
extension Outbox {
    /// Asks the server whether a write sent without an answer took effect, from fields every
    /// answer of the reference carries: a note or a reminder in the timeline since the attempt, or
    /// the contact already as the write leaves it (an edit's fields included).
    func check(_ id: String) {
        guard let session, !inFlight.contains(id), let record = entries.first(where: { $0.id == id }) else { return }
        if wait(session) != nil {
            session.after(Double(wait(session) ?? 1)) { [weak self] in self?.check(id) }
            return
        }
        // A minute for the two clocks to differ; a same note written before that is not this one.
        let since = (record.lastAttemptAt ?? record.createdAt).addingTimeInterval(-60)
        inFlight.insert(id)
        let settle: @MainActor (OutboxAnswer??) -> Void = { [weak self] found in
            guard let self else { return }
            self.inFlight.remove(id)
            defer { self.sendWaiting() }
            switch found {
            case .some(.some(let answer)): self.delivered(record, answer, announce: "was sent (checked after the connection failed)")
            case .some(.none):
                _ = self.update(id) { $0.state = .queued }
                self.trySend(id)
            case .none: self.scheduleCheck(id)
            }
        }
        if case .admin(let admin) = record.write {
            checkAdmin(admin, since: since, settle: settle)
            return
        }
        switch record.write {
        case .note(let body):
            session.client.listNotes(contactId: record.contactId, page: 0, limit: 100, lane: .outbox, on: MainQueue.answers, completion: MainQueue.deliver { result in
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
            session.client.listContacts(page: 0, limit: 100, lane: .outbox, on: MainQueue.answers, completion: MainQueue.deliver { result in
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
            session.client.listInteractions(contactId: record.contactId, page: 0, limit: 100, lane: .outbox, on: MainQueue.answers, completion: MainQueue.deliver { result in
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
            session.client.getContact(id: record.contactId, lane: .outbox, on: MainQueue.answers, completion: MainQueue.deliver { result in
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
        guard let session else { return }
        switch admin.check {
        case .resend: settle(.some(nil))
        case .userWithEmail(let email):
            session.client.listUsers(page: 0, limit: 100, on: MainQueue.answers, completion: MainQueue.deliver { result in
                switch result {
                case .success(let users):
                    settle(.some(users.contains { $0.email.lowercased() == email.lowercased() } ? .json(.null) : nil))
                case .failure: settle(.none)
                }
            })
        case .saleWithId(let id):
            session.client.getSale(id: id, on: MainQueue.answers, completion: MainQueue.deliver { result in
                switch result {
                case .success: settle(.some(.json(.null)))
                case .failure(.notFound): settle(.some(nil))
                case .failure: settle(.none)
                }
            })
        case .webhookShows(let id, let name, let active, let topics):
            session.client.getWebhook(id: id, on: MainQueue.answers, completion: MainQueue.deliver { result in
                switch result {
                case .success(let hook):
                    let shows = (name.map { $0 == hook.name } ?? true) && (active.map { $0 == hook.active } ?? true)
                        && (topics.map { Set($0) == Set(hook.topics) } ?? true)
                    settle(.some(shows ? .json(.null) : nil))
                case .failure: settle(.none)
                }
            })
        case .whatsAppSent(let contactId, let summary):
            session.client.listInteractions(contactId: contactId, page: 0, limit: 100, on: MainQueue.answers, completion: MainQueue.deliver { result in
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
            session.client.listWebhooks(page: 0, limit: 100, on: MainQueue.answers, completion: MainQueue.deliver { result in
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
            session.client.listSales(page: 1, limit: 100, on: MainQueue.answers, completion: MainQueue.deliver { result in
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

    /// `Note for Ana Pérez`: how the outbox names a write.
    public static func describe(_ record: OutboxRecord) -> String {
        let name = record.contactName.isEmpty ? "the contact" : record.contactName
        switch record.write {
        case .note: return "Note for \(name)"
        case .reminder: return "Reminder for \(name)"
        case .transfer: return "Transfer of \(name)"
        case .archive: return "Archiving of \(name)"
        case .edit: return "Edit of \(name)"
        case .create(let input): return "New contact \([input.firstName, input.lastName].joined(separator: " "))"
        case .lead(let input, _): return "Lead \([input.firstName, input.lastName].joined(separator: " "))"
        case .admin(let admin): return admin.label
        }
    }
}
