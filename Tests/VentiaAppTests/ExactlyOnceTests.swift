import Foundation
import Testing
import VentiaAPI
import VentiaMirror
import VentiaServer
@testable import VentiaViewModels

/// Every kind of write, its answer lost after the server stored it, against a server answering
/// with exactly the fields of the reference's samples: the write reaches the server once, never
/// twice (the check before sending again finds it) and never zero times.
@Suite(.serialized) @MainActor struct ExactlyOnceTests {
    enum Kind: String, CaseIterable, Sendable {
        case note, reminder, transfer, archive, edit, contactCreate, lead, leadEntry, userCreate, saleCreate, whatsApp, webhookCreate, webhookUpdate
    }

    /// Waits for a write's first outcome, whatever its type.
    func outcome<T: Sendable>(_ start: (@escaping @MainActor @Sendable (ActionOutcome<T>) -> Void) -> Void) async -> ActionOutcome<T> {
        await withCheckedContinuation { continuation in start { continuation.resume(returning: $0) } }
    }

    /// The WhatsApp channel of the seeded account, read from a server of the same seed with its full answers.
    func channel(of contactId: String) async throws -> String {
        let plain = try await VentiaLocalServer.start(ServerConfiguration(port: 0, seed: 3, contactCount: 20, saleCount: 5))
        defer { Task { await plain.stop() } }
        let client = VentiaClient(configuration: VentiaConfiguration(baseURL: plain.baseURL, apiKey: APIKey(DemoKeys.primaryAccount[0])))
        let contacts = try await client.send(.listContacts, as: [Contact].self)
        return try #require(contacts.first { !$0.channels.isEmpty }?.channels.first)
    }

    @Test(arguments: Kind.allCases)
    func aWriteWhoseAnswerIsLostReachesTheServerOnce(kind: Kind) async throws {
        let outbox = OutboxTests()
        let bed = try await outbox.bed(referenceShapes: true)
        defer { Task { await bed.server.stop() } }
        let client = bed.session.client
        let actions = bed.actions
        let admin = AdminActions(session: bed.session, sales: SalesListViewModel(session: bed.session))
        let users = try await client.send(.listUsers, as: [User].self)
        bed.session.loadDirectory()
        await eventually("users and groups") { bed.session.usersState == .loaded && bed.session.group != nil }
        let contacts = try await client.send(.listContacts, as: [Contact].self)
        let contact = try #require(contacts.first { !$0.phones.isEmpty && $0.status != "archived" })
        let other = try #require(users.first { $0.id != contact.agent })
        let when = bed.clock.now().addingTimeInterval(86_400).rounded()
        let salesBefore = try await client.send(.listSales, as: SalesPage.self).pagination.totalItems
        var hook: Webhook?
        if kind == .webhookUpdate {
            let id = try await client.send(
                .createWebhook, body: WebhookInput(active: true, name: "Antes", callbackUrl: "https://hooks.example.com/a", topics: [WebhookTopic.officialWhatsApp]),
                as: WebhookCreated.self
            ).id
            hook = try await client.send(.getWebhook, path: [id], as: WebhookEnvelope.self).result
        }
        let channel = kind == .whatsApp ? try await channel(of: contact.id) : ""
        let writesBefore = bed.transport.writes

        bed.transport.failNextWrites(.answerLost)
        var queued = true
        switch kind {
        case .note: queued = await outcome { actions.addNote(to: contact.id, body: "Una sola vez", completion: $0) }.isQueued
        case .reminder: queued = await outcome { actions.setReminder(for: contact.id, at: when, completion: $0) }.isQueued
        case .transfer: queued = await outcome { actions.transfer(contact.id, to: other.id, completion: $0) }.isQueued
        case .archive:
            let reason = try #require(bed.session.group?.archivingReasons.first { $0.active }?.code)
            queued = await outcome { actions.archive(contact.id, reason: reason, completion: $0) }.isQueued
        case .edit:
            let input = ContactInput(
                firstName: "Editada", lastName: contact.lastName, emails: contact.emails, phones: contact.phones, detail: "una vez",
                origin: contact.origin ?? "web")
            queued = await outcome { actions.edit(contact.id, input, completion: $0) }.isQueued
        case .contactCreate:
            let input = ContactInput(firstName: "Única", lastName: "Vez", emails: ["unica@example.com"], phones: ["+59899111222"], detail: "", origin: "web")
            queued = await outcome { actions.create(input, completion: $0) }.isQueued
        case .lead:
            let input = ContactInput(firstName: "Lía", lastName: "Once", emails: [], phones: ["+59894444999"], detail: "Feria", origin: "web")
            queued = await outcome { actions.createLead(input, agent: other.id, completion: $0) }.isQueued
        case .leadEntry:
            let code = "web-contacto"
            var additional: [String: JSONValue] = [:]
            for field in bed.session.group?.additionalDataFields ?? [] where field.required && field.active {
                additional[field.code] = field.type == "number" ? .number(2) : (field.options.first ?? .string("Casa Once"))
            }
            let result: Result<LeadEntry, VentiaError> = await withCheckedContinuation { continuation in
                actions.submitLeadEntry(code: code, LeadEntryInput(firstName: "Ana", phones: ["+59899000777"], additionalData: additional)) { continuation.resume(returning: $0) }
            }
            guard case .failure(let error) = result else { Issue.record("a lost answer cannot be a success"); return }
            #expect(error.description.contains("may have been stored"), "\(error)")
            queued = true
        case .userCreate:
            let input = UserInput(name: "Inés", lastname: "Única", email: "ines.unica@example.com", password: "secreta")
            queued = await outcome { admin.createUser(input, completion: $0) }.isQueued
        case .saleCreate:
            let input = SaleInput(status: "sold", ticketId: "T-ONCE", phone: "+59899000333", user: other.id)
            queued = await outcome { admin.createSale(input, completion: $0) }.isQueued
        case .whatsApp:
            let template = WhatsAppSendRequest(message: .template(WhatsAppTemplate(name: "bienvenida", languageCode: "es")))
            queued = await outcome { actions.sendWhatsApp(to: contact, channel: channel, template, completion: $0) }.isQueued
        case .webhookCreate:
            let input = WebhookInput(active: true, name: "Una vez", callbackUrl: "https://hooks.example.com/once", topics: [WebhookTopic.officialWhatsApp])
            queued = await outcome { admin.createWebhook(input, completion: $0) }.isQueued
        case .webhookUpdate:
            let existing = try #require(hook)
            queued = await outcome { admin.updateWebhook(existing, WebhookPatch(name: "Después"), completion: $0) }.isQueued
        }
        #expect(queued, "a lost answer is not a refusal")
        bed.timers.advance(by: 2)
        await eventually("checked") { bed.session.outbox.pendingCount == 0 }
        bed.timers.advance(by: 4)
        #expect(bed.session.outbox.pendingCount == 0)
        #expect(bed.transport.writes - writesBefore == 1, "\(kind): sent \(bed.transport.writes - writesBefore) times")

        // And it is there, once.
        switch kind {
        case .note:
            let notes = try await client.send(.listNotes, path: [contact.id], as: [Interaction].self)
            #expect(notes.filter { $0.content == .note(body: "Una sola vez") }.count == 1)
        case .reminder:
            let timeline = try await client.send(.listInteractions, path: [contact.id], as: [Interaction].self)
            #expect(timeline.filter { $0.content == .reminder(date: when) }.count == 1)
        case .transfer:
            #expect(try await client.send(.getContact, path: [contact.id], as: Contact.self).agent == other.id)
            let timeline = try await client.send(.listInteractions, path: [contact.id], as: [Interaction].self)
            #expect(timeline.filter { $0.type == "transfer" }.count == 1)
        case .archive:
            #expect(try await client.send(.getContact, path: [contact.id], as: Contact.self).status == "archived")
            let timeline = try await client.send(.listInteractions, path: [contact.id], as: [Interaction].self)
            #expect(timeline.filter { $0.type == "archiving" }.count == 1)
        case .edit:
            let edited = try await client.send(.getContact, path: [contact.id], as: Contact.self)
            #expect(edited.firstName == "Editada" && edited.version == (contact.version ?? 0) + 1, "one PUT, one new version")
        case .contactCreate, .lead:
            let phone = kind == .lead ? "+59894444999" : "+59899111222"
            let all = try await client.send(.listContacts, query: [URLQueryItem(name: "limit", value: "100")], as: [Contact].self)
            #expect(all.filter { $0.phones == [phone] }.count == 1)
        case .leadEntry:
            break  // the API lists no entries: it was sent once, and the user was told it may be there
        case .userCreate:
            let now = try await client.send(.listUsers, as: [User].self)
            #expect(now.filter { $0.email == "ines.unica@example.com" }.count == 1)
        case .saleCreate:
            #expect(try await client.send(.listSales, as: SalesPage.self).pagination.totalItems == salesBefore + 1)
        case .whatsApp:
            let timeline = try await client.send(.listInteractions, path: [contact.id], as: [Interaction].self)
            #expect(timeline.filter { $0.type == "official_whatsapp" }.count == 1)
        case .webhookCreate:
            let list = try await client.send(.listWebhooks, as: WebhookList.self)
            #expect(list.webhooks.filter { $0.name == "Una vez" }.count == 1)
        case .webhookUpdate:
            let existing = try #require(hook)
            #expect(try await client.send(.getWebhook, path: [existing.id], as: WebhookEnvelope.self).result.name == "Después")
        }
    }
}

extension ActionOutcome {
    var isQueued: Bool { if case .queued = self { true } else { false } }
}

extension Date {
    /// To the millisecond, as the API writes times.
    func rounded() -> Date { Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded() / 1000) }
}
