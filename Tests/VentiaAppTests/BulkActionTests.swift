import Foundation
import Testing
import VentiaAPI
import VentiaCore
@testable import VentiaMirror
import VentiaServer
@testable import VentiaApp
@testable import VentiaViewModels

/// Marks, the cost shown before a bulk action, the run itself against the local server, and the
/// saved views that choose what to mark.
@Suite(.serialized) @MainActor struct BulkActionTests {
    struct Bed {
        let server: VentiaLocalServer
        let session: AppSession
        let list: ContactListViewModel
        let actions: ContactActions
    }

    func bed(contacts: Int = 250, mirror: Bool = true) async throws -> Bed {
        let server = try await VentiaLocalServer.start(ServerConfiguration(port: 0, seed: 11, contactCount: contacts, saleCount: 10))
        let client = VentiaClient(configuration: VentiaConfiguration(baseURL: server.baseURL, apiKey: APIKey(DemoKeys.primaryAccount[0])), retryPolicy: .never)
        let session = AppSession(client: client, connection: ConnectionInfo(mode: .live, host: "test"), mirror: mirror ? try ContactMirror.temporary() : nil)
        let list = ContactListViewModel(session: session)
        let actions = ContactActions(session: session, list: list, timeline: TimelineViewModel(session: session))
        session.loadDirectory()
        list.start()
        await eventually("synced") {
            session.users.count == 8 && session.group != nil && list.state == .loaded && (!mirror || (session.syncProgress == nil && session.caughtUpThisRun))
        }
        return Bed(server: server, session: session, list: list, actions: actions)
    }

    @Test func marksSurviveScrollingSearchingAndARefresh() async throws {
        let bed = try await bed()
        defer { Task { await bed.server.stop() } }
        let list = bed.list
        list.select(2)
        list.toggleMark()
        #expect(list.selection == 3, "marking moves down, as in mutt")
        list.toggleMark()
        let first = try #require(list.marks.ids.first)
        list.select(90)
        list.loadMoreIfNeeded()
        list.toggleMark()
        #expect(list.marks.count == 3)
        // A search shows other rows; the marks stay, and marking all it shows adds its rows once.
        list.filterText = "Pérez"
        let shown = list.visible.map { list.rows[$0].id }
        #expect(!shown.isEmpty)
        let before = Set(list.marks.ids)
        #expect(list.markAllShown() == shown.filter { !before.contains($0) }.count)
        #expect(list.markAllShown() == 0, "marking the same rows again adds nothing")
        list.filterText = ""
        list.refresh()
        await eventually("refreshed") { list.state == .loaded }
        #expect(list.marks.contains(first))
        #expect(Set(shown).isSubset(of: Set(list.marks.ids)))
        // Toggling a marked row unmarks it; clearing forgets them all.
        let count = list.marks.count
        list.select(list.visible.firstIndex { list.rows[$0].id == first } ?? 0)
        list.toggleMark()
        #expect(list.marks.count == count - 1 && !list.marks.contains(first))
        #expect(list.markedContacts.allSatisfy { !$0.name.isEmpty })
        list.clearMarks()
        #expect(list.marks.isEmpty && list.marks.statusText == "")
    }

    @Test func theCostSaysRequestsBudgetAndPace() {
        let fresh = RateBudgetSnapshot(limit: 200, remaining: 143, secondsUntilSlot: 20, isThrottled: false)
        #expect(BulkCost(writes: 40, budget: fresh).summary(noun: "transfer") == "40 transfers · 40 requests · 143 left this minute · under a minute at the current pace")
        // 300 writes: 141 fit now (2 kept for the user), then 198 a minute after the window frees.
        let big = BulkCost(writes: 300, budget: fresh)
        #expect(big.minutes == 1)
        #expect(big.summary(noun: "note").hasSuffix("about 1 min at the current pace"))
        #expect(BulkCost(writes: 600, budget: fresh).minutes == 3)
        let spent = RateBudgetSnapshot(limit: 200, remaining: 0, secondsUntilSlot: 45, isThrottled: true)
        #expect(BulkCost(writes: 1, budget: spent).summary(noun: "note") == "1 note · 1 request · 0 left this minute · about 1 min at the current pace")
        #expect(BulkCost(writes: 10, requestsEach: 2, budget: fresh).requests == 20)
    }

    @Test func aBulkTransferGoesOnPastOneThatFailsAndListsIt() async throws {
        let bed = try await bed()
        defer { Task { await bed.server.stop() } }
        let targets = bed.list.contacts.prefix(6).map { (id: $0.id, name: $0.fullName) }
        // A contact a colleague deleted meanwhile: the server answers 404 for it alone.
        let gone = (id: "0123456789abcdef01234567", name: "Borrado Hace Rato")
        let receiver = try #require(bed.session.users.first { $0.fullName == "Martín Olivera" })
        let run = try bed.actions.bulk(.transfer(to: receiver.id), on: Array(targets.prefix(3)) + [gone] + Array(targets.dropFirst(3))).get()
        #expect(run.title == "Transfer of 7 contacts to Martín Olivera")
        run.start()
        await eventually("all settled") { run.isFinished }
        #expect(run.doneCount == 6 && run.failedCount == 1)
        #expect(run.failures.map(\.name) == ["Borrado Hace Rato"])
        #expect(run.failures.first?.reason.contains("404") == true)
        #expect(run.progressText == "6/7 done · 1 failed")
        // On the server, and in the list, each transferred contact has its new agent.
        for target in targets {
            let contact = try await bed.session.client.send(.getContact, path: [target.id], as: Contact.self)
            #expect(contact.agent == receiver.id)
            #expect(bed.list.contact(id: target.id)?.agent == receiver.id)
        }
        // The refused one waits in :outbox; the delivered ones are gone from it.
        #expect(bed.session.outbox.entries.count == 1 && bed.session.outbox.refusedCount == 1)
    }

    @Test func stoppingWithdrawsWhatHasNotBeenSent() async throws {
        let bed = try await bed()
        defer { Task { await bed.server.stop() } }
        let targets = bed.list.contacts.prefix(20).map { (id: $0.id, name: $0.fullName) }
        let run = try bed.actions.bulk(.note(body: "Campaña de invierno"), on: targets).get()
        run.start()
        // A few are on the wire at once; the rest wait their turn and can be taken back.
        #expect(bed.session.outbox.entries.filter { bed.session.outbox.isSending($0.id) }.count == Outbox.maximumInFlight)
        run.stop()
        await eventually("the ones on the wire finished") { run.isFinished }
        #expect(run.doneCount == Outbox.maximumInFlight)
        #expect(run.stoppedCount == 20 - Outbox.maximumInFlight)
        // The window lists each write as it stands: the done, then the stopped, then a count.
        let lines = BulkModal.itemLines(run)
        #expect(lines.prefix(4).allSatisfy { $0.hasPrefix("✓ ") } && lines[4].hasPrefix("– ") && lines[4].hasSuffix(" (stopped)"))
        #expect(lines.last == "… and 14 more")
        #expect(bed.session.outbox.entries.isEmpty, "nothing stopped stays in the outbox")
        #expect(try bed.session.mirror?.outbox().isEmpty == true)
        var written = 0
        for target in targets {
            let notes = try await bed.session.client.send(.listNotes, path: [target.id], as: [Interaction].self)
            written += notes.filter { if case .note("Campaña de invierno") = $0.content { true } else { false } }.count
        }
        #expect(written == Outbox.maximumInFlight)
    }

    @Test func aNoteTypedDuringABulkActionDoesNotWaitBehindIt() async throws {
        let bed = try await bed()
        defer { Task { await bed.server.stop() } }
        let targets = bed.list.contacts.prefix(30).map { (id: $0.id, name: $0.fullName) }
        let run = try bed.actions.bulk(.note(body: "Campaña"), on: Array(targets.dropFirst())).get()
        run.start()
        #expect(bed.session.outbox.entries.filter { $0.state == .queued }.count == 29 - Outbox.maximumInFlight)
        var answered: ActionOutcome<Interaction>?
        bed.actions.addNote(to: targets[0].id, body: "Llamar ya") { answered = $0 }
        let typed = try #require(bed.session.outbox.entries.last)
        #expect(typed.write == .note(body: "Llamar ya") && typed.state == .sending, "on the wire at once, ahead of the bulk's queue")
        await eventually("answered") { answered != nil }
        if case .done(.success)? = answered {} else { Issue.record("the note was not sent: \(String(describing: answered))") }
        await eventually("the bulk finished") { run.isFinished }
        #expect(run.doneCount == 29)
    }

    @Test func aBulkActionIsCheckedOnceBeforeAnythingIsSent() async throws {
        let bed = try await bed()
        defer { Task { await bed.server.stop() } }
        let targets = bed.list.contacts.prefix(2).map { (id: $0.id, name: $0.fullName) }
        #expect(throws: VentiaError.self) { try bed.actions.bulk(.note(body: "   "), on: targets).get() }
        #expect(throws: VentiaError.self) { try bed.actions.bulk(.reminder(date: Date(timeIntervalSinceNow: -60)), on: targets).get() }
        #expect(throws: VentiaError.self) { try bed.actions.bulk(.transfer(to: "nobody"), on: targets).get() }
        #expect(throws: VentiaError.self) { try bed.actions.bulk(.archive(reason: "no-such-reason"), on: targets).get() }
        #expect(bed.session.outbox.entries.isEmpty)
    }

    @Test func savedViewsCountAndShowTheirContacts() async throws {
        let bed = try await bed()
        defer { Task { await bed.server.stop() } }
        let list = bed.list
        let all = try #require(try bed.session.mirror?.contacts(offset: 0, limit: 1000))
        #expect(all.count == 250)
        var new = SavedView(name: "new and unassigned or Martín's")
        new.statuses = ["new"]
        new.agents = ["none", "Martín Olivera"]
        var quiet = SavedView(name: "no contact in 7 days")
        quiet.lastInteraction = .olderThanDays(7)
        var reminders = SavedView(name: "reminders overdue")
        reminders.reminder = .overdue
        var nobody = SavedView(name: "Nadie's")
        nobody.agents = ["Nadie"]
        list.savedViews = [new, quiet, reminders, nobody]
        let now = bed.session.clock.now()
        let martin = try #require(bed.session.users.first { $0.fullName == "Martín Olivera" })
        // The mirror's SQL and the same test in Swift agree, for each view.
        let expected = [
            all.filter { $0.status == "new" && ($0.agent == nil || $0.agent == "" || $0.agent == martin.id) }.count,
            all.filter { $0.lastInteraction.map { $0 < now.addingTimeInterval(-7 * 86_400) } ?? true }.count,
            all.filter { $0.reminder.map { $0 < now } ?? false }.count,
        ]
        #expect(Array(list.viewCounts.prefix(3)) == expected.map(Optional.some))
        #expect(expected.allSatisfy { $0 > 0 && $0 < 250 }, "the seeded store has some of each")
        #expect(list.viewCounts[3] == nil, "an unknown agent cannot be counted")
        for (index, view) in list.savedViews.prefix(3).enumerated() {
            let query = try view.query(users: bed.session.users, now: now).get()
            #expect(all.filter(query.matches).count == expected[index])
        }

        list.cycleView()
        #expect(list.activeView == 0)
        #expect(list.searchMatched == expected[0] && list.rows.count == expected[0])
        #expect(list.rows.allSatisfy { $0.status == "new" })
        // A transfer to someone else takes a contact out of the view, and out of its count.
        let leaving = try #require(list.rows.first)
        let camila = try #require(bed.session.users.first { $0.fullName == "Camila Ibáñez" })
        let moved = try bed.actions.bulk(.transfer(to: camila.id), on: [(leaving.id, leaving.fullName)]).get()
        moved.start()
        await eventually("out of the view") { !list.rows.contains { $0.id == leaving.id } && list.viewCounts.first == expected[0] - 1 }
        #expect(list.searchMatched == expected[0] - 1)
        // Marking all a view shows, then the next view, then every contact again.
        #expect(list.markAllShown() == expected[0] - 1)
        list.cycleView()
        #expect(list.activeView == 1 && list.rows.count == min(expected[1], ContactListViewModel.viewLimit))
        list.show(view: 3)
        #expect(list.rows.isEmpty)
        #expect(list.viewProblem?.contains("view \"Nadie's\": no user is called \"Nadie\" (choose: ") == true)
        list.cycleView()
        #expect(list.activeView == nil && list.searchResults == nil && list.rows.count == 100)
        #expect(list.marks.count == expected[0] - 1, "marks outlive the view")
    }

    /// `me` names the agent at the keyboard: "my day" stands in for views config.yml lacks, each
    /// counted in the mirror as the same test in Swift counts it over every contact.
    @Test func myDayViewsAreAboutMe() async throws {
        let bed = try await bed()
        defer { Task { await bed.server.stop() } }
        let list = bed.list
        #expect(SavedView.inForce(configured: [], me: nil).isEmpty, "no me, no views of mine")
        var own = SavedView(name: "mine")
        own.statuses = ["new"]
        #expect(SavedView.inForce(configured: [own], me: "x") == [own], "configured views replace my day")
        let martin = try #require(bed.session.users.first { $0.fullName == "Martín Olivera" })
        bed.session.me = martin.email.uppercased()
        #expect(bed.session.meUser == martin, "me is matched as views match users")
        let all = try #require(try bed.session.mirror?.contacts(offset: 0, limit: 1000))
        let mine = all.filter { $0.agent == martin.id }
        // Two of Martín's contacts write; opening one of them reads it.
        let writers = Array(mine.prefix(2))
        for writer in writers { try #require(try bed.session.mirror?.markInbound(writer.id, at: bed.session.clock.now())) }
        try bed.session.mirror?.markOpened(writers[1].id, at: bed.session.clock.now().addingTimeInterval(1))
        list.unread = try #require(try bed.session.mirror?.unreadContacts())
        list.savedViews = SavedView.inForce(configured: [], me: bed.session.me)
        let now = bed.session.clock.now()
        let endOfToday = Calendar.current.date(byAdding: .day, value: 1, to: Calendar.current.startOfDay(for: now)) ?? now
        #expect(list.unread.contains(writers[0].id) && !list.unread.contains(writers[1].id), "opened after it wrote: read")
        let expected = [
            mine.filter { $0.reminder.map { $0 < endOfToday } ?? false }.count,
            mine.filter { list.unread.contains($0.id) }.count,
            mine.filter { $0.status == "new" }.count,
        ]
        #expect(list.savedViews.map(\.name) == ["my reminders due", "wrote to me", "my new contacts"])
        #expect(list.viewCounts == expected.map(Optional.some))
        #expect(expected[0] > 0 && expected[2] > 0, "the seeded store has reminders of Martín's due, and new contacts of his")
        for (index, view) in list.savedViews.enumerated() {
            let query = try view.query(users: bed.session.users, now: now, me: bed.session.me).get()
            #expect(all.filter { query.matches($0, unreadIds: list.unread) }.count == expected[index], "\(view.name)")
        }
        list.show(view: 1)
        #expect(list.rows.contains { $0.id == writers[0].id } && !list.rows.contains { $0.id == writers[1].id })

        var mineView = SavedView(name: "mine")
        mineView.agents = ["me"]
        #expect(throws: SavedViewError.self) { try mineView.query(users: bed.session.users, now: now).get() }
        #expect(mineView.query(users: bed.session.users, now: now).failure?.message == "\"me\" needs me: in config.yml (or :me to pick yourself)")
        #expect(mineView.query(users: bed.session.users, now: now, me: "nadie").failure?.message == "me: \"nadie\" in config.yml names no user")
    }

    /// Every contact a view shows, transferred out of it, with the last row selected: the view
    /// empties under the selection (this trapped on an index into rows no longer there).
    @Test func aViewEmptiedByABulkActionKeepsTheListWhole() async throws {
        let bed = try await bed()
        defer { Task { await bed.server.stop() } }
        let list = bed.list
        var view = SavedView(name: "Martín's")
        view.agents = ["Martín Olivera"]
        list.savedViews = [view]
        list.cycleView()
        let shown = list.rows.map { (id: $0.id, name: $0.fullName) }
        #expect(shown.count > 3)
        list.selectLast()
        list.markAllShown()
        let camila = try #require(bed.session.users.first { $0.fullName == "Camila Ibáñez" })
        let run = try bed.actions.bulk(.transfer(to: camila.id), on: list.markedContacts).get()
        list.unmark(shown.map(\.id))
        run.start()
        await eventually("the view emptied") { run.isFinished && list.rows.isEmpty && list.viewCounts == [0] }
        #expect(run.doneCount == shown.count)
        #expect(list.selectedContact == nil && list.visible.isEmpty)
    }

    @Test func withoutAMirrorViewsFilterTheLoadedRows() async throws {
        let bed = try await bed(mirror: false)
        defer { Task { await bed.server.stop() } }
        let list = bed.list
        var view = SavedView(name: "new")
        view.statuses = ["new"]
        list.savedViews = [view]
        let loaded = list.contacts
        #expect(list.viewCounts == [loaded.filter { $0.status == "new" }.count])
        list.cycleView()
        #expect(list.visible.map { list.rows[$0].id } == loaded.filter { $0.status == "new" }.map(\.id))
    }

    @Test func dateRulesReadAsWrittenAndMeanWhatTheySay() {
        #expect(DateRule.parse("today") == .today)
        #expect(DateRule.parse("Due today") == .dueToday)
        #expect(DateRule.parse("Older than 7 days") == .olderThanDays(7))
        #expect(DateRule.parse("last 1 day") == .lastDays(1))
        #expect(DateRule.parse("next 3 days") == .nextDays(3))
        #expect(DateRule.parse("none") == DateRule.none)
        #expect(DateRule.parse("older than seven days") == nil)
        #expect(DateRule.parse("yesterday-ish") == nil)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Montevideo") ?? .gmt
        let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15 05:20 in Montevideo
        let today = DateRule.today.span(now: now, calendar: calendar)
        #expect(today.contains(now) && today.contains(now.addingTimeInterval(3600)))
        #expect(!today.contains(calendar.startOfDay(for: now).addingTimeInterval(-1)))
        #expect(!today.contains(nil))
        let older = DateRule.olderThanDays(7).span(now: now, calendar: calendar)
        #expect(older.contains(nil), "never is older than a week")
        #expect(older.contains(now.addingTimeInterval(-8 * 86_400)) && !older.contains(now.addingTimeInterval(-6 * 86_400)))
        #expect(DateRule.none.span(now: now, calendar: calendar).contains(nil))
        #expect(!DateRule.none.span(now: now, calendar: calendar).contains(now))
        #expect(DateRule.overdue.span(now: now, calendar: calendar).contains(now.addingTimeInterval(-1)))
    }
}
