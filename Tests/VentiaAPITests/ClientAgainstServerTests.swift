import Foundation
import Testing
import VentiaAPI
@testable import VentiaServer

/// Every client method, over loopback, against the local server.
@Suite struct ClientAgainstServerTests {
    @Test func contactEndpoints() async throws {
        let live = try await LiveServer.start()
        defer { Task { await live.stop() } }
        let client = live.client()
        let q = testQueue

        let page = try await value { client.listContacts(page: 0, limit: 5, on: q, completion: $0) }
        #expect(page.count == 5)
        #expect(zip(page, page.dropFirst()).allSatisfy { ($0.updatedAt ?? .distantPast) >= ($1.updatedAt ?? .distantPast) })
        let first = try await value { client.getContact(id: page[0].id, on: q, completion: $0) }
        #expect(first.id == page[0].id && first.agentFullName?.isEmpty == false)

        let input = ContactInput(firstName: "Íñigo", lastName: "Muñoz", emails: ["inigo@example.com"], phones: ["+59899111222"], detail: "Nuevo", origin: "web")
        let created = try await value { client.createContact(input, on: q, completion: $0) }
        #expect(created.status == "new" && created.firstName == "Íñigo" && created.originText == "Web")
        let newest = try await value { client.listContacts(page: 0, limit: 1, on: q, completion: $0) }
        #expect(newest.first?.id == created.id)

        var edit = ContactInput(created)
        edit.lastName = "Muñoz Pérez"
        let replaced = try await value { client.replaceContact(id: created.id, with: edit, on: q, completion: $0) }
        #expect(replaced.lastName == "Muñoz Pérez" && replaced.version == 1)

        let note = try await value { client.createNote(contactId: created.id, body: "Llamar el lunes", on: q, completion: $0) }
        #expect(note.content == .note(body: "Llamar el lunes"))
        let when = try #require(VentiaDate.parse("2030-01-02T12:30:00.000Z"))
        let reminder = try await value { client.createReminder(contactId: created.id, at: when, on: q, completion: $0) }
        #expect(reminder.content == .reminder(date: when))
        let users = try await value { client.listUsers(on: q, completion: $0) }
        let target = try #require(users.last)
        let transfer = try await value { client.transferContact(contactId: created.id, to: target.id, on: q, completion: $0) }
        #expect(transfer.content == .transfer(fromUser: "", toUser: target.id))
        let groups = try await value { client.listGroups(on: q, completion: $0) }
        let reason = try #require(groups.first?.activeArchivingReasons.first)
        let archive = try await value { client.archiveContact(contactId: created.id, reason: reason.code, on: q, completion: $0) }
        #expect(archive.content == .archiving(from: "", to: reason.code))

        let timeline = try await value { client.listInteractions(contactId: created.id, on: q, completion: $0) }
        #expect(timeline.map(\.type) == ["archiving", "transfer", "reminder", "note"])
        let notes = try await value { client.listNotes(contactId: created.id, on: q, completion: $0) }
        #expect(notes.map(\.id) == [note.id])
        let after = try await value { client.getContact(id: created.id, on: q, completion: $0) }
        #expect(after.status == "archived" && after.agent == target.id && after.reminder == when)
        #expect(after.archivingReasonText == reason.name)
    }

    @Test func leadsMatchExistingContactsInsteadOfDuplicating() async throws {
        let live = try await LiveServer.start()
        defer { Task { await live.stop() } }
        let client = live.client()
        let q = testQueue
        let users = try await value { client.listUsers(on: q, completion: $0) }
        let agent = try #require(users.first)
        let fresh = LeadInput(
            contact: ContactInput(firstName: "Lía", lastName: "Ferrés", emails: ["lia@example.com"], phones: ["+59894444666"], detail: "Feria", origin: "campaign"),
            agent: agent.id)
        let created = try await value { client.createLead(fresh, on: q, completion: $0) }
        #expect(created.agent == agent.id && created.firstAgent == agent.id)

        var again = fresh
        again.phones = ["+598 94 444 666"]
        again.emails = []
        again.firstName = "Lia"
        let matched = try await value { client.createLead(again, on: q, completion: $0) }
        #expect(matched.id == created.id)
        #expect(matched.firstName == "Lía")
        let notes = try await value { client.listNotes(contactId: created.id, on: q, completion: $0) }
        #expect(notes.count == 1)
        let all = try await value { client.listContacts(page: 0, limit: 100, on: q, completion: $0) }
        #expect(all.filter { $0.phones.contains("+59894444666") }.count == 1)

        let entry = try await value {
            client.createLeadEntry(
                formCode: "web-contacto", LeadEntryInput(firstName: "Ana", emails: ["ana@example.com"], additionalData: ["bedrooms": 2]), on: q,
                completion: $0)
        }
        #expect(entry.firstName == "Ana" && entry.additionalData["bedrooms"] == .number(2))
        let unknownForm = await failure { client.createLeadEntry(formCode: "nope", LeadEntryInput(phones: ["099123456"]), on: q, completion: $0) }
        #expect(unknownForm?.status == 404)
    }

    @Test func userEndpoints() async throws {
        let live = try await LiveServer.start()
        defer { Task { await live.stop() } }
        let client = live.client()
        let q = testQueue
        let before = try await value { client.listUsers(on: q, completion: $0) }
        let created = try await value {
            client.createUser(
                UserInput(name: "Joaquín", lastname: "Píriz", email: "joaquin.piriz@example.com", password: "s3creto", phoneWork: "099000111", roles: [.user, .comercial]),
                on: q, completion: $0)
        }
        #expect(created.firstLogin == .pending(true) && created.roles == [.user, .comercial])
        let after = try await value { client.listUsers(on: q, completion: $0) }
        #expect(after.count == before.count + 1)
        let fetched = try await value { client.getUser(id: created.id, on: q, completion: $0) }
        #expect(fetched.email == "joaquin.piriz@example.com")

        let patched = try await value { client.updateUser(id: created.id, UserPatch(lastname: "Píriz Añón"), on: q, completion: $0) }
        #expect(patched.lastname == "Píriz Añón" && patched.phoneWork == "099000111" && patched.roles == [.user, .comercial])
        let replaced = try await value {
            client.replaceUser(id: created.id, with: UserReplacement(name: "Joaquín", lastname: "Píriz", email: "jp@example.com"), on: q, completion: $0)
        }
        #expect(replaced.phoneWork == nil && replaced.roles == [.user] && replaced.email == "jp@example.com")

        let invalid = await failure {
            client.createUser(UserInput(name: "J", lastname: " ", email: "no-at", password: "abc", roles: [UserRole(rawValue: "admin")]), on: q, completion: $0)
        }
        #expect(Set(invalid?.fieldErrors.map(\.field) ?? []) == ["name", "lastname", "email", "password", "roles"])
    }

    @Test func saleEndpoints() async throws {
        let live = try await LiveServer.start(sales: 12)
        defer { Task { await live.stop() } }
        let client = live.client()
        let q = testQueue
        let users = try await value { client.listUsers(on: q, completion: $0) }
        let seller = try #require(users.first)
        let first = try await value { client.listSales(page: 1, limit: 5, on: q, completion: $0) }
        #expect(first.data.count == 5 && first.pagination == SalesPagination(totalItems: 12, totalPages: 3, currentPage: 1))
        let last = try await value { client.listSales(page: 3, limit: 5, on: q, completion: $0) }
        #expect(last.data.count == 2)
        let past = try await value { client.listSales(page: 4, limit: 5, on: q, completion: $0) }
        #expect(past.data.isEmpty && past.pagination.totalPages == 3)

        let input = SaleInput(
            status: "sold", ticketId: "ticket-5678", dateSale: SaleDay("2024/02/24"), phone: "+12345678900", name: "John Doe", user: seller.id)
        let created = try await value { client.createSale(input, on: q, completion: $0) }
        #expect(created.status == "SOLD" && created.sold == true && created.user == .id(seller.id))
        #expect(created.dateSale.map(VentiaDate.formatDay) == "2024-02-24")
        let fetched = try await value { client.getSale(id: created.id, on: q, completion: $0) }
        #expect(fetched.user == .person(name: seller.name, lastname: seller.lastname))

        let patched = try await value { client.updateSale(id: created.id, SalePatch(status: "Cancelled"), on: q, completion: $0) }
        #expect(patched.status == "CANCELLED" && patched.sold == false)

        let newId = "65aaaaaaaaaaaaaaaaaaaaaa"
        let upserted = try await value {
            client.upsertSale(id: newId, SaleInput(status: "pending", ticketId: "T-1", dateSale: SaleDay("2024-01-01"), phone: "+598991", user: seller.id), on: q, completion: $0)
        }
        #expect(upserted.id == newId && upserted.status == "PENDING")
        let updated = try await value { client.upsertSale(id: newId, SaleInput(product: "Plan Pyme"), on: q, completion: $0) }
        #expect(updated.product == "Plan Pyme" && updated.status == "PENDING")
        let total = try await value { client.listSales(on: q, completion: $0) }
        #expect(total.pagination.totalItems == 14)

        let locked = try live.server.service.store.inspect { state in state.sales.values.first { $0.lock && $0.accountId == state.accounts[0].id } }
        if let locked {
            let refused = await failure { client.updateSale(id: locked.id, SalePatch(status: "SOLD"), on: q, completion: $0) }
            #expect(refused?.status == 403)
            #expect(refused?.description.contains("locked") == true)
        }
    }

    @Test func whatsAppAndWebhookEndpoints() async throws {
        let clock = ManualClock(Date())
        let live = try await LiveServer.start(clock: clock)
        defer { Task { await live.stop() } }
        let client = live.client()
        let q = testQueue
        let (channel, open, closed) = try live.server.service.store.inspect { state in
            let account = state.accounts[0]
            let contacts = state.contacts.values.filter { $0.accountId == account.id && !$0.phones.isEmpty }.sorted { $0.id < $1.id }
            let isOpen: (ContactRecord) -> Bool = { contact in
                (state.interactions[contact.id] ?? []).contains {
                    $0.content["direction"]?.stringValue == "inbound" && clock.now().timeIntervalSince($0.createdAt) < 86400
                }
            }
            return (account.channelIds[0], contacts.first(where: isOpen), contacts.first { !isOpen($0) })
        }
        let openContact = try #require(open)
        let closedContact = try #require(closed)
        let sent = try await value {
            client.sendWhatsAppMessage(channelId: channel, contactId: openContact.id, WhatsAppSendRequest(message: .text(body: "¡Hola!")), on: q, completion: $0)
        }
        #expect(sent.success && sent.messages.count == 1 && sent.contacts.first?.input.hasPrefix("598") == true)
        let timeline = try await value { client.listInteractions(contactId: openContact.id, limit: 1, on: q, completion: $0) }
        guard case .whatsApp(let entry) = timeline.first?.content else { Issue.record("no WhatsApp entry"); return }
        #expect(entry.direction == .outbound && entry.message == .text(body: "¡Hola!"))

        let refused = await failure {
            client.sendWhatsAppMessage(channelId: channel, contactId: closedContact.id, WhatsAppSendRequest(message: .text(body: "Hola")), on: q, completion: $0)
        }
        #expect(refused?.status == 409)
        let template = WhatsAppSendRequest(message: .template(WhatsAppTemplate(name: "seguimiento", languageCode: "es")))
        let allowed = await call { client.sendWhatsAppMessage(channelId: channel, contactId: closedContact.id, template, on: q, completion: $0) }
        #expect((try? allowed.get()) != nil)

        let hooks = try await value { client.listWebhooks(on: q, completion: $0) }
        #expect(hooks.totalCount == 2)
        let id = try await value {
            client.createWebhook(WebhookInput(active: true, name: "Mi hook", callbackUrl: "https://example.com/h", topics: [WebhookTopic.officialWhatsApp]), on: q, completion: $0)
        }
        try await value { client.updateWebhook(id: id, WebhookPatch(active: false, topics: WebhookTopic.all), on: q, completion: $0) }
        let hook = try await value { client.getWebhook(id: id, on: q, completion: $0) }
        #expect(hook.name == "Mi hook" && !hook.active && hook.topics == WebhookTopic.all)
        let bad = await failure {
            client.createWebhook(WebhookInput(active: true, name: "", callbackUrl: "http://plain", topics: ["x"]), on: q, completion: $0)
        }
        #expect(Set(bad?.fieldErrors.map(\.field) ?? []) == ["name", "callbackUrl", "topics[0]"])
    }

    @Test func asyncSendAndCancellation() async throws {
        let live = try await LiveServer.start()
        defer { Task { await live.stop() } }
        let client = live.client()
        let contacts = try await client.send(.listContacts, query: [URLQueryItem(name: "limit", value: "3")], as: [Contact].self)
        #expect(contacts.count == 3)
        let handle = client.listContacts(on: testQueue) { _ in }
        handle.cancel()
        #expect(handle.isCancelled)
    }

    @Test func keysOfOneAccountShareTheBudgetAndOthersDoNot() async throws {
        let clock = ManualClock(Date())
        let live = try await LiveServer.start(rateLimit: 4, clock: clock)
        defer { Task { await live.stop() } }
        let first = live.client(key: DemoKeys.primaryAccount[0])
        let second = live.client(key: DemoKeys.primaryAccount[1])
        let other = live.client(key: DemoKeys.secondaryAccount[0])
        let q = testQueue
        for client in [first, second, first, second] {
            _ = try await value { client.listContacts(limit: 1, on: q, completion: $0) }
        }
        let refused = await failure { second.listContacts(limit: 1, on: q, completion: $0) }
        #expect(refused == .rateLimited(retryAfter: 60))
        _ = try await value { other.listContacts(limit: 1, on: q, completion: $0) }
        #expect(second.rateBudget.snapshot().isThrottled)
        // The client now refuses by itself until Retry-After has passed, if asked to.
        let guarded = live.client(key: DemoKeys.primaryAccount[1], enforcesBudget: true, budget: second.rateBudget)
        let local = await failure { guarded.listContacts(limit: 1, on: q, completion: $0) }
        // X-RateLimit-Reset is whole Unix seconds, so the client may wait up to one second longer.
        guard case .rateLimited(let wait) = local else { Issue.record("expected a local refusal"); return }
        #expect((60...61).contains(wait ?? 0))
        clock.advance(by: 61)
        _ = try await value { guarded.listContacts(limit: 1, on: q, completion: $0) }
        #expect(guarded.rateBudget.snapshot().remaining == 3)
    }

    @Test func badKeysAreUnauthorizedWithoutLeakingTheKey() async throws {
        let live = try await LiveServer.start()
        defer { Task { await live.stop() } }
        let unknown = live.client(key: "ZZZZZZZ-ZZZZZZZ-ZZZZZZZ-ZZZZZZZ")
        let error = await failure { unknown.listContacts(on: testQueue, completion: $0) }
        #expect(error?.status == 401)
        #expect(error?.description.contains("ZZZZZZZ") == false)
        #expect(unknown.rateBudget.snapshot().remaining == 200)
        let malformed = live.client(key: "short")
        #expect(await failure { malformed.getContact(id: "6955b9000000000000000101", on: testQueue, completion: $0) }?.status == 401)
    }

    @Test func dataFileKeepsChangesAcrossRestarts() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ventia-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let first = try await LiveServer.start(contacts: 10, dataFile: file)
        let firstId = try first.server.service.store.inspect { $0.contacts.keys.sorted()[0] }
        let note = try await value { first.client().createNote(contactId: firstId, body: "persistida", on: testQueue, completion: $0) }
        await first.stop()
        let second = try await LiveServer.start(contacts: 999, dataFile: file)
        defer { Task { await second.stop() } }
        let contactId = try #require(note.contact)
        let notes = try await value { second.client().listNotes(contactId: contactId, on: testQueue, completion: $0) }
        #expect(notes.first?.content == .note(body: "persistida"))
        let count = try second.server.service.store.inspect { $0.contacts.count }
        #expect(count < 999)
    }
}
