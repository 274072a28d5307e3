import Foundation
import Testing
import TextSearch
import VentiaAPI
import VentiaCore
import VentiaServer
@testable import VentiaViewModels

@Suite(.serialized) @MainActor struct ContactListViewModelTests {
    @Test func loadsPagesAsTheSelectionMovesNotAllAtStart() async throws {
        let bed = try await DemoBed.start(contacts: 200)
        let list = ContactListViewModel(session: bed.session, pageSize: 50)
        list.start()
        await eventually("the first page") { list.state == .loaded }
        #expect(list.contacts.count == 50 && !list.reachedEnd)
        // A page is asked for as soon as it is wanted: none in flight now means none was.
        #expect(bed.session.client.requestsInFlight == 0, "only one page at start")
        list.select(45)
        await eventually("the second page") { list.contacts.count == 100 }
        list.selectLast()
        await eventually("the third page") { list.contacts.count == 150 }
        list.selectLast()
        await eventually("the fourth page") { list.contacts.count == 200 }
        list.selectLast()
        await eventually("the end") { list.reachedEnd }
        #expect(Set(list.contacts.map(\.id)).count == list.contacts.count)
        await bed.stop()
    }

    @Test func filtersLoadedRowsAndSorts() async throws {
        let bed = try await DemoBed.start()
        let list = ContactListViewModel(session: bed.session, pageSize: 100)
        list.start()
        await eventually("contacts") { list.state == .loaded }
        let target = try #require(list.contacts.first { $0.lastName.contains("á") || $0.lastName.contains("é") || $0.lastName.contains("í") })
        let word = String(target.lastName.split(separator: " ")[0])
        list.filterText = TextFolding.fold(word).uppercased()
        #expect(!list.visible.isEmpty)
        // Exactly the rows whose name, phones, emails, status or agent hold the word, accents and case aside.
        func searched(_ contact: Contact) -> String {
            TextFolding.fold([contact.fullName, contact.phones.joined(separator: " "), contact.emails.joined(separator: " "), contact.status ?? "", contact.agentFullName ?? ""].joined(separator: " "))
        }
        let expected = list.contacts.indices.filter { searched(list.contacts[$0]).contains(TextFolding.fold(word)) }
        #expect(Set(list.visible) == Set(expected))
        let byAgent = try #require(list.contacts.first { ($0.agentFullName ?? "").count > 3 }?.agentFullName)
        list.filterText = byAgent
        #expect(!list.visible.isEmpty && list.visible.allSatisfy { list.contacts[$0].agentFullName == byAgent || searched(list.contacts[$0]).contains(TextFolding.fold(byAgent)) })
        list.filterText = TextFolding.fold(word).uppercased()
        let loaded = list.contacts.count
        list.move(by: 1)
        list.selectLast()
        #expect(bed.session.client.requestsInFlight == 0 && list.contacts.count == loaded, "a filter works on loaded rows and pulls no page by itself")
        list.filterText = "zzzz-no-such"
        #expect(list.visible.isEmpty && list.selectedContact == nil)
        list.filterText = ""
        list.cycleSort()
        #expect(list.sortColumn == .name)
        let names = list.visible.map { TextFolding.fold(list.contacts[$0].fullName) }
        #expect(names == names.sorted())
        list.reverseSort()
        #expect(list.visible.map { TextFolding.fold(list.contacts[$0].fullName) } == names.sorted().reversed())
        await bed.stop()
    }

    @Test func loadAllFetchesEveryPageForTheFilter() async throws {
        let bed = try await DemoBed.start(contacts: 250)
        let list = ContactListViewModel(session: bed.session)
        list.start()
        await eventually("the first page") { list.state == .loaded }
        #expect(list.contacts.count == 100 && !list.reachedEnd)
        let last = try #require(try await bed.session.client.send(.listContacts, query: [URLQueryItem(name: "page", value: "2")], as: [Contact].self).last)
        list.filterText = TextFolding.fold(last.phones.first ?? last.fullName)
        #expect(list.visible.isEmpty, "the last contact is not loaded yet")
        list.loadAll()
        await eventually("every page") { list.reachedEnd && !list.loadingAll }
        #expect(list.contacts.count == 250)
        #expect(list.visible.map { list.contacts[$0].id }.contains(last.id), "the filter finds it once every page is in")
        #expect(bed.session.notice?.text == "All 250 contacts are loaded")
        await bed.stop()
    }

    @Test func loadAllStopsAtTheBudgetReserve() async throws {
        // 14 a minute: the first page and the directory leave too few for the rest.
        let bed = try await DemoBed.start(contacts: 2_000, rateLimit: 14)
        let list = ContactListViewModel(session: bed.session)
        list.start()
        await eventually("the first page") { list.state == .loaded }
        list.loadAll()
        await eventually("the stop") { !list.loadingAll }
        #expect(!list.reachedEnd)
        #expect(bed.session.client.rateBudget.snapshot().remaining == AppSession.budgetReserve)
        #expect(list.contacts.count == 100 * (14 - AppSession.budgetReserve))
        #expect(bed.session.notice?.text.hasPrefix("Stopped at \(list.contacts.count) contacts") == true)
        await bed.stop()
    }

    @Test func aBadKeyShowsTheUnauthorizedMessage() async throws {
        let bed = try await DemoBed.start(key: "BADBADB-BADBADB-BADBADB-BADBADB")
        let list = ContactListViewModel(session: bed.session)
        list.start()
        await eventually("the failure") { list.state.failureMessage != nil }
        #expect(list.state.failureMessage?.hasPrefix("401 Unauthorized") == true)
        #expect(bed.session.lastError?.contains("401") == true)
        await bed.stop()
    }
}

@Suite(.serialized) @MainActor struct TimelineAndActionTests {
    func setUp(_ bed: DemoBed) async -> (ContactListViewModel, TimelineViewModel, ContactActions) {
        let list = ContactListViewModel(session: bed.session)
        let timeline = TimelineViewModel(session: bed.session)
        bed.session.loadDirectory()
        list.start()
        await eventually("contacts and directory") { list.state == .loaded && bed.session.usersState == .loaded && bed.session.group != nil }
        return (list, timeline, ContactActions(session: bed.session, list: list, timeline: timeline))
    }

    @Test func aLeadEntryFormChecksTheContractsRulesAndSaysWhenItsCodeIsUnknown() async throws {
        let bed = try await DemoBed.start()
        let (_, _, actions) = await setUp(bed)
        let additional = try #require(bed.session.group?.additionalDataFields)
        let fields = LeadEntryFields.fields(additional: additional)
        #expect(fields.map(\.id.rawValue).suffix(3) == ["additionalData.housename", "additionalData.bedrooms", "additionalData.neighbourhood"])
        let bedrooms = try #require(fields.first { $0.id == .additionalData("bedrooms") })
        #expect(bedrooms.check("tres") == "must be a number" && bedrooms.check("3") == nil && bedrooms.check("") == nil)

        var values = WriteValues(text: ["firstName": "Eva", "lastName": "Luna"])
        let nothing = LeadEntryFields.check(LeadEntryFields.input(values, additional: additional), additional: additional)
        #expect(Set(nothing.map(\.field)) == ["phones", "additionalData.housename"], "a phone or an email, and the required field")
        values.text[.emails] = "eva@"
        #expect(LeadEntryFields.check(LeadEntryFields.input(values, additional: additional), additional: additional).map(\.field).contains("emails"))
        values.text[.emails] = "eva@example.com"
        values.text[.additionalData("housename")] = "Casa azul"
        values.text[.additionalData("bedrooms")] = "3"
        let input = LeadEntryFields.input(values, additional: additional)
        #expect(input.additionalData == ["housename": "Casa azul", "bedrooms": 3])

        let stored = try await completion { actions.submitLeadEntry(code: "web-contacto", input, completion: $0) }.get()
        #expect(stored.emails == ["eva@example.com"] && stored.additionalData["bedrooms"] == 3)
        let unknown = await completion { actions.submitLeadEntry(code: "nope", input, completion: $0) }
        #expect(unknown.failureDescription == "404 Not found: There is no lead-entry form with the code \"nope\" in this account")
        await bed.stop()
    }

    @Test func staleTimelineAnswersAreDropped() async throws {
        let bed = try await DemoBed.start()
        let (list, timeline, _) = await setUp(bed)
        let first = list.contacts[0].id
        let second = list.contacts[1].id
        timeline.show(contactId: first)
        timeline.show(contactId: second)
        await eventually("the second timeline") { timeline.state == .loaded || timeline.state == .empty }
        #expect(timeline.contactId == second)
        #expect(timeline.interactions.allSatisfy { $0.contact == second })
        // The first contact's answer may still be on its way: once nothing is in flight, it has come and been dropped.
        await eventually("every answer") { bed.session.client.requestsInFlight == 0 && bed.session.requestsInFlight == 0 }
        #expect(timeline.interactions.allSatisfy { $0.contact == second })
        await bed.stop()
    }

    @Test func noteReminderTransferArchiveShowWithoutReload() async throws {
        let bed = try await DemoBed.start()
        let (list, timeline, actions) = await setUp(bed)
        let contact = list.contacts[5]
        timeline.show(contactId: contact.id)
        await eventually("timeline") { timeline.state == .loaded || timeline.state == .empty }
        let before = timeline.interactions.count

        let note = await answered { actions.addNote(to: contact.id, body: "  Llamar el lunes  ", completion: $0) }
        #expect((try? note.get())?.content == .note(body: "Llamar el lunes"))
        #expect(timeline.interactions.count == before + 1)
        #expect(list.contacts.first?.id == contact.id, "the written contact moves to the top")

        let when = Date().addingTimeInterval(86400)
        _ = await answered { actions.setReminder(for: contact.id, at: when, completion: $0) }
        #expect(list.contact(id: contact.id)?.reminder == when)

        let target = try #require(bed.session.users.first { $0.id != contact.agent })
        _ = await answered { actions.transfer(contact.id, to: target.id, completion: $0) }
        #expect(list.contact(id: contact.id)?.agent == target.id)
        #expect(list.contact(id: contact.id)?.agentFullName == target.fullName)

        let reason = try #require(bed.session.group?.activeArchivingReasons.first)
        _ = await answered { actions.archive(contact.id, reason: reason.code, completion: $0) }
        #expect(list.contact(id: contact.id)?.status == "archived")
        #expect(timeline.interactions.prefix(4).map(\.type) == ["archiving", "transfer", "reminder", "note"])

        // What the server holds agrees with what the screen shows.
        let fresh = try await bed.session.client.send(.getContact, path: [contact.id], as: Contact.self)
        #expect(fresh.status == "archived" && fresh.agent == target.id)
        await bed.stop()
    }

    @Test func badInputIsRefusedBeforeSending() async throws {
        let bed = try await DemoBed.start()
        let (list, _, actions) = await setUp(bed)
        let budgetBefore = bed.session.client.rateBudget.snapshot().remaining
        let contact = list.contacts[0]
        let empty = await answered { actions.addNote(to: contact.id, body: "   ", completion: $0) }
        #expect(empty.failureFields == ["body"])
        let past = await answered { actions.setReminder(for: contact.id, at: Date().addingTimeInterval(-60), completion: $0) }
        #expect(past.failureFields == ["reminderDate"])
        let nobody = await answered { actions.transfer(contact.id, to: "000000000000000000000000", completion: $0) }
        #expect(nobody.failureFields == ["to"])
        let badContact = ContactInput(firstName: "", lastName: "X", emails: ["nope"], phones: ["12"], detail: "", origin: "web")
        let created = await answered { actions.create(badContact, completion: $0) }
        #expect(Set(created.failureFields) == ["firstName", "emails", "phones"])
        #expect(bed.session.client.rateBudget.snapshot().remaining == budgetBefore)
        await bed.stop()
    }

    @Test func editCreateAndLeads() async throws {
        let bed = try await DemoBed.start()
        let (list, _, actions) = await setUp(bed)
        let contact = list.contacts[3]
        var input = ContactInput(contact)
        input.detail = "Prefiere WhatsApp"
        let edited = await answered { actions.edit(contact.id, input, completion: $0) }
        #expect((try? edited.get())?.detail == "Prefiere WhatsApp")
        #expect(list.contact(id: contact.id)?.agent == contact.agent, "the modify answer has no agent; the list keeps it")

        let newcomer = ContactInput(firstName: "Íñigo", lastName: "Añón", emails: ["inigo@example.com"], phones: ["+59899000111"], detail: "", origin: "web")
        let created = await answered { actions.create(newcomer, completion: $0) }
        let createdId = try #require(try? created.get().id)
        #expect(list.contacts.first?.id == createdId)

        let agent = try #require(bed.session.users.first)
        let lead = ContactInput(firstName: "Lía", lastName: "Ferrés", emails: [], phones: ["+59894444777"], detail: "Feria", origin: "campaign")
        let fresh = await answered { actions.createLead(lead, agent: agent.id, completion: $0) }
        #expect((try? fresh.get())?.existing == false)
        let again = await answered { actions.createLead(lead, agent: agent.id, completion: $0) }
        #expect((try? again.get())?.existing == true)
        #expect(list.contacts.filter { $0.phones.contains("+59894444777") }.count == 1)
        await bed.stop()
    }

    @Test func serverRefusalsComeBackAsFieldErrors() async throws {
        let bed = try await DemoBed.start()
        let (list, _, actions) = await setUp(bed)
        let contact = list.contacts[0]
        var input = ContactInput(contact)
        input.origin = "moon"
        let refused = await answered { actions.edit(contact.id, input, completion: $0) }
        #expect(refused.failureFields == ["origin"])
        await bed.stop()
    }
}

extension Result where Failure == VentiaError {
    var failureFields: [String] {
        if case .failure(let error) = self { return error.fieldErrors.map(\.field) }
        return []
    }
}

@Suite struct ReminderTimeParserTests {
    // Wednesday 2026-11-25 14:00 in Montevideo (UTC-3).
    let zone = TimeZone(identifier: "America/Montevideo") ?? TimeZone(secondsFromGMT: -3 * 3600)!
    var parser: ReminderTimeParser { ReminderTimeParser(timeZone: zone) }
    let now = VentiaDate.parse("2026-11-25T17:00:00Z")!

    func local(_ text: String) -> String {
        switch parser.parse(text, now: now) {
        case .success(let date): return parser.describe(date)
        case .failure(let failure): return "error: \(failure)"
        }
    }

    @Test(arguments: [
        ("tomorrow 9:00", "Thu 26 Nov 2026 09:00 (UTC-03:00)"),
        ("mañana 9", "Thu 26 Nov 2026 09:00 (UTC-03:00)"),
        ("today 18:30", "Wed 25 Nov 2026 18:30 (UTC-03:00)"),
        ("+2h", "Wed 25 Nov 2026 16:00 (UTC-03:00)"),
        ("in 30 min", "Wed 25 Nov 2026 14:30 (UTC-03:00)"),
        ("+1d", "Thu 26 Nov 2026 14:00 (UTC-03:00)"),
        ("fri 15:30", "Fri 27 Nov 2026 15:30 (UTC-03:00)"),
        ("vie 15:30", "Fri 27 Nov 2026 15:30 (UTC-03:00)"),
        ("wed 10:00", "Wed 2 Dec 2026 10:00 (UTC-03:00)"),
        ("wed 16:00", "Wed 25 Nov 2026 16:00 (UTC-03:00)"),
        ("monday", "Mon 30 Nov 2026 09:00 (UTC-03:00)"),
        ("9:00", "Thu 26 Nov 2026 09:00 (UTC-03:00)"),
        ("3pm", "Wed 25 Nov 2026 15:00 (UTC-03:00)"),
        ("2026-12-01 10:00", "Tue 1 Dec 2026 10:00 (UTC-03:00)"),
        ("2026-12-01", "Tue 1 Dec 2026 09:00 (UTC-03:00)"),
        ("2026-12-01T13:00:00Z", "Tue 1 Dec 2026 10:00 (UTC-03:00)"),
    ])
    func readsHumanTimes(input: String, expected: String) {
        #expect(local(input) == expected)
    }

    @Test func refusesNonsenseAndThePast() {
        #expect(local("whenever").hasPrefix("error: cannot read"))
        #expect(local("25:00").hasPrefix("error"))
        #expect(local("today 8:00") == "error: that time has already passed")
        #expect(local("2020-01-01 10:00") == "error: that time has already passed")
        #expect(local("").hasPrefix("error"))
    }
}

/// The answer a write through the outbox got; a write that was queued instead fails the test.
@MainActor
func answered<T: Sendable>(
    sourceLocation: SourceLocation = #_sourceLocation, _ start: (@escaping @MainActor @Sendable (ActionOutcome<T>) -> Void) -> Void
) async -> Result<T, VentiaError> {
    let outcome: ActionOutcome<T> = await withCheckedContinuation { continuation in
        start { outcome in continuation.resume(returning: outcome) }
    }
    guard let result = outcome.result else {
        Issue.record("the write was queued instead of answered", sourceLocation: sourceLocation)
        return .failure(.cancelled)
    }
    return result
}

extension Result where Failure == VentiaError {
    var failureDescription: String? {
        if case .failure(let error) = self { return error.description }
        return nil
    }
}
