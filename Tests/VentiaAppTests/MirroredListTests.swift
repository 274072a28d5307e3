import Foundation
import Testing
import VentiaAPI
import VentiaCore
@testable import VentiaMirror
import VentiaServer
@testable import VentiaViewModels

/// The contact list over the account's mirror: painted from it before any request, caught up with
/// a delta, filled in on leftover budget, searched whole, usable offline.
@Suite(.serialized) @MainActor struct MirroredListTests {
    struct Bed {
        let session: AppSession
        let list: ContactListViewModel
        let transport: RecordingTransport

        /// The contact pages asked for, in order.
        var pagesAsked: [Int] {
            transport.recorded.filter { $0.url.path.hasSuffix("/contact") }.compactMap { request in
                URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "page" }?.value.flatMap(Int.init)
            }
        }
    }

    func bed(_ server: VentiaLocalServer, mirror: ContactMirror) -> Bed {
        let transport = RecordingTransport()
        let client = VentiaClient(
            configuration: VentiaConfiguration(baseURL: server.baseURL, apiKey: APIKey(DemoKeys.primaryAccount[0])), transport: transport, retryPolicy: .never)
        let session = AppSession(client: client, connection: ConnectionInfo(mode: .live, host: "test"), mirror: mirror)
        return Bed(session: session, list: ContactListViewModel(session: session), transport: transport)
    }

    func server(contacts: Int, rateLimit: Int = 1000, headers: Bool = true) async throws -> VentiaLocalServer {
        try await VentiaLocalServer.start(
            ServerConfiguration(port: 0, seed: 11, contactCount: contacts, saleCount: 10, rateLimit: rateLimit, sendsRateHeaders: headers))
    }

    /// Starts a list and waits until its backfill has nothing left to do.
    func synced(_ bed: Bed, count: Int) async {
        bed.list.start()
        await eventually("\(count) contacts mirrored") { bed.list.mirroredCount == count && bed.session.syncProgress == nil && bed.session.caughtUpThisRun }
    }

    @Test func aRestartPaintsFromTheMirrorBeforeAnyRequestThenCatchesUpWithOne() async throws {
        let server = try await server(contacts: 250)
        defer { Task { await server.stop() } }
        let mirror = try ContactMirror.temporary()
        let first = bed(server, mirror: mirror)
        await synced(first, count: 250)
        #expect(first.pagesAsked == [0, 1, 2], "the first page, then the backfill's two")

        let second = bed(server, mirror: mirror)
        second.list.start()
        #expect(second.list.contacts.count == 100, "painted at once from the mirror")
        #expect(second.list.mirroredCount == 250)
        #expect(second.session.caughtUpAt != nil && !second.session.caughtUpThisRun, "the status line says how old it is")
        #expect(second.transport.recorded.isEmpty, "no request before the paint")
        await eventually("caught up") { second.session.caughtUpThisRun }
        #expect(second.pagesAsked == [0], "nothing changed: one page shows the mirror is current")
    }

    @Test func aRefreshWalksOnlyUntilItMeetsWhatItHas() async throws {
        let server = try await server(contacts: 400)
        defer { Task { await server.stop() } }
        let mirror = try ContactMirror.temporary()
        let bed = bed(server, mirror: mirror)
        await synced(bed, count: 400)
        // 150 contacts from the middle of the list get a note elsewhere: they move to the top.
        let moved = try mirror.contacts(offset: 200, limit: 150)
        for contact in moved {
            let result: Result<Interaction, VentiaError> = await completion { done in
                bed.session.client.createNote(contactId: contact.id, body: "from a colleague", on: MainQueue.answers, completion: MainQueue.deliver(done))
            }
            _ = try result.get()
        }
        let asked = bed.pagesAsked.count
        bed.list.refresh()
        await eventually("refreshed") { bed.list.state == .loaded && bed.pagesAsked.count == asked + 2 }
        await settled("the pages asked") { bed.pagesAsked.count }
        #expect(Array(bed.pagesAsked.dropFirst(asked)) == [0, 1], "page 1 holds the first unchanged contacts")
        #expect(Set(bed.list.contacts.prefix(100).map(\.id)).isSubset(of: Set(moved.map(\.id))))
        #expect(try mirror.contact(id: moved[0].id)?.updatedAt != moved[0].updatedAt)
    }

    @Test func aSearchFindsByPhoneAContactThatWasNeverOnScreen() async throws {
        let server = try await server(contacts: 300)
        defer { Task { await server.stop() } }
        let bed = bed(server, mirror: try ContactMirror.temporary())
        await synced(bed, count: 300)
        let shown = Set(bed.list.contacts.map(\.id))
        let hidden = try #require(try bed.session.mirror?.contacts(offset: 250, limit: 50).first { !$0.phones.isEmpty && !shown.contains($0.id) })
        // +5989XXXXXXX written as a local number: 09X XXX XXX.
        let digits = Array(hidden.phones[0].dropFirst(4))
        bed.list.filterText = "0" + String(digits[0..<2]) + " " + String(digits[2..<5]) + " " + String(digits[5...])
        #expect(bed.list.rows.map(\.id).contains(hidden.id))
        #expect(bed.list.visible.count == bed.list.rows.count)
        bed.list.filterText = ""
        #expect(bed.list.searchResults == nil && bed.list.rows.count == bed.list.contacts.count)
    }

    @Test func withTheServerDownTheMirrorIsShownAndTheStatusSaysOffline() async throws {
        let server = try await server(contacts: 150)
        let mirror = try ContactMirror.temporary()
        await synced(bed(server, mirror: mirror), count: 150)
        await server.stop()
        let offline = bed(server, mirror: mirror)
        offline.list.start()
        #expect(offline.list.contacts.count == 100)
        await eventually("offline") { offline.session.offline }
        #expect(offline.list.state == .loaded, "the mirror's rows stay, not a failure screen")
        offline.list.filterText = "a"
        #expect(!offline.list.rows.isEmpty, "search works offline")
    }

    @Test func theBackfillResumesWhereARunBeforeStopped() async throws {
        let server = try await server(contacts: 500)
        defer { Task { await server.stop() } }
        let mirror = try ContactMirror.temporary()
        let earlier = bed(server, mirror: mirror)
        for page in 0..<2 {
            let result: Result<[Contact], VentiaError> = await completion { done in
                earlier.session.client.listContacts(page: page, limit: 100, on: MainQueue.answers, completion: MainQueue.deliver(done))
            }
            try mirror.save(try result.get(), fetchedAt: Date())
        }
        try mirror.setBackfill(BackfillState(nextPage: 2, complete: false))
        try mirror.setCaughtUp(at: Date())
        let later = bed(server, mirror: mirror)
        await synced(later, count: 500)
        #expect(later.pagesAsked == [0, 2, 3, 4, 5], "the delta, then from page 2 on; page 5 is empty and ends it")
        #expect(try mirror.backfill() == BackfillState(nextPage: 6, complete: true))
    }

    @Test func theBackfillLeavesTheReserve() async throws {
        // The server's limit (sent in its headers) is 25: the backfill stops 10 short of it.
        let server = try await server(contacts: 3000, rateLimit: 25)
        defer { Task { await server.stop() } }
        let mirror = try ContactMirror.temporary()
        let first = bed(server, mirror: mirror)
        first.list.start()
        await eventually("the budget down to its reserve") { first.pagesAsked.count == 15 }
        await settled("the pages asked") { first.pagesAsked.count }
        #expect(first.pagesAsked == Array(0..<15), "no page beyond the reserve")
        #expect(!first.transport.recorded.isEmpty && first.session.lastError == nil, "no 429")
        #expect(first.session.syncProgress == 1500)
        #expect(try mirror.backfill() == BackfillState(nextPage: 15, complete: false))
    }

    @Test func aLimitLearnedFromABare429IsKeptForTheAccount() async throws {
        // The real API documents no rate headers: its limit is learned the first time it refuses.
        let server = try await server(contacts: 3000, rateLimit: 25, headers: false)
        defer { Task { await server.stop() } }
        let mirror = try ContactMirror.temporary()
        let first = bed(server, mirror: mirror)
        first.list.start()
        await eventually("the limit learned") { first.session.budget.learnedLimit == 25 }
        #expect(first.session.budget.statusText.hasPrefix("API 0/25 learned"))
        await eventually("kept in the mirror") { (try? mirror.learnedLimit()) == 25 }
        let second = bed(server, mirror: mirror)
        #expect(second.session.budget.limit == 25 && second.session.budget.learnedLimit == 25, "the next run starts from it")
    }

    @Test func aRestartWhileThrottledShowsTheMirrorAndCatchesUpOnceTheWindowFrees() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let server = try await VentiaLocalServer.start(ServerConfiguration(port: 0, seed: 11, contactCount: 150, saleCount: 10, rateLimit: 30, clock: clock))
        defer { Task { await server.stop() } }
        let mirror = try ContactMirror.temporary()
        func session() -> (AppSession, ContactListViewModel, OutboxTests.Timers) {
            let client = VentiaClient(
                configuration: VentiaConfiguration(baseURL: server.baseURL, apiKey: APIKey(DemoKeys.primaryAccount[0])), rateBudget: RateBudget(clock: clock),
                retryPolicy: .never)
            let session = AppSession(client: client, connection: ConnectionInfo(mode: .live, host: "test"), mirror: mirror, clock: clock)
            let timers = OutboxTests.Timers(clock: clock)
            session.after = { seconds, work in timers.schedule(seconds, work) }
            return (session, ContactListViewModel(session: session), timers)
        }
        let (firstSession, first, _) = session()
        first.start()
        firstSession.loadDirectory()
        await eventually("synced") {
            first.mirroredCount == 150 && firstSession.syncProgress == nil && firstSession.usersState == .loaded && firstSession.groupState == .loaded
        }
        // A colleague spends the rest of the window.
        var spent = 0
        while spent < 400, (try? await firstSession.client.send(.getContact, path: [first.contacts[0].id], as: Contact.self)) != nil { spent += 1 }
        #expect(firstSession.client.rateBudget.snapshot().remaining == 0)
        let (secondSession, second, timers) = session()
        second.start()
        #expect(second.contacts.count == 100)
        await eventually("refused once") { secondSession.budget.isThrottled }
        await settled("the error line") { secondSession.lastError?.description }
        #expect(secondSession.lastError == nil, "the status line shows the wait; no error for a sync that will catch up")
        #expect(!secondSession.caughtUpThisRun)
        // The users and groups kept serve at once; a timeline opened now loads once the window frees.
        secondSession.loadDirectory()
        #expect(!secondSession.users.isEmpty && !secondSession.groups.isEmpty)
        let timeline = TimelineViewModel(session: secondSession)
        timeline.show(contactId: second.contacts[0].id)
        await eventually("the timeline refused") { if case .failed = timeline.state { return true } else { return false } }
        await settled("the error line") { secondSession.lastErrorSource }
        #expect(secondSession.lastErrorSource == .timeline(contactId: second.contacts[0].id), "only what the user waits for says so")
        timers.advance(by: 61)
        await eventually("caught up") { secondSession.caughtUpThisRun }
        await eventually("the timeline loaded by itself") { timeline.state == .loaded }
        #expect(secondSession.lastError == nil, "its success ended the error")
    }

    @Test func usersGroupsAndSalesPagesAreKeptAndShownWithoutTheServer() async throws {
        let server = try await server(contacts: 30)
        let mirror = try ContactMirror.temporary()
        let online = bed(server, mirror: mirror)
        online.session.loadDirectory()
        let sales = SalesListViewModel(session: online.session)
        sales.start()
        await eventually("loaded") { online.session.usersState == .loaded && online.session.groupState == .loaded && sales.state == .loaded }
        await server.stop()

        let offline = bed(server, mirror: mirror)
        offline.session.loadDirectory()
        #expect(offline.session.users == online.session.users, "read back exactly as the server sent them")
        #expect(offline.session.groups == online.session.groups)
        let keptSales = SalesListViewModel(session: offline.session)
        keptSales.start()
        #expect(keptSales.sales == sales.sales)
        await eventually("the failed refresh settles") { keptSales.state == .loaded && offline.session.usersState == .loaded }
        #expect(offline.session.users.count == online.session.users.count, "a failed refresh keeps what was kept")
    }

    @Test func aFullDiskLeavesTheListWorkingOnlineAndSaysOnceThatNothingIsKept() async throws {
        let server = try await server(contacts: 150)
        defer { Task { await server.stop() } }
        let mirror = try ContactMirror.temporary()
        try mirror.simulateFullDisk()
        let bed = bed(server, mirror: mirror)
        bed.list.start()
        await eventually("the list online") { bed.list.contacts.count == 100 && bed.session.mirror == nil }
        #expect(bed.session.notice?.text.hasPrefix("Nothing is kept offline from now on: cannot keep contacts locally") == true)
        bed.list.filterText = "a"
        #expect(bed.list.searchResults == nil && !bed.list.visible.isEmpty, "the filter works over the loaded rows")
    }

    @Test func anOfflineListCatchesUpByItselfWhenTheServerIsBack() async throws {
        let first = try await server(contacts: 120)
        let port = first.port
        let mirror = try ContactMirror.temporary()
        await synced(bed(first, mirror: mirror), count: 120)
        await first.stop()
        let offline = bed(first, mirror: mirror)
        let timers = OutboxTests.Timers(clock: ManualClock())
        offline.session.after = { seconds, work in timers.schedule(seconds, work) }
        offline.list.start()
        await eventually("offline") { offline.session.offline }
        let again = try await VentiaLocalServer.start(ServerConfiguration(port: port, seed: 11, contactCount: 120, saleCount: 10, rateLimit: 1000))
        defer { Task { await again.stop() } }
        timers.advance(by: ContactListViewModel.offlineRetrySeconds)
        await eventually("back online") { !offline.session.offline && offline.session.caughtUpThisRun }
        #expect(offline.session.lastError == nil)
    }

    @Test func aContactWhoWroteOnWhatsAppIsMarkedUntilOpened() async throws {
        let server = try await server(contacts: 150)
        defer { Task { await server.stop() } }
        let mirror = try ContactMirror.temporary()
        let bed = bed(server, mirror: mirror)
        await synced(bed, count: 150)
        #expect(bed.list.unread.isEmpty)
        server.service.simulateInboundWhatsApp()
        bed.list.refresh()
        await eventually("marked") { bed.list.unread.count == 1 }
        let writer = try #require(bed.list.unread.first)
        #expect(bed.list.contacts.first?.id == writer, "the message moved it to the top")
        let later = self.bed(server, mirror: mirror)
        later.list.start()
        #expect(later.list.unread == [writer], "kept across a restart")
        later.list.opened(writer)
        #expect(later.list.unread.isEmpty)
        #expect(try mirror.unreadContacts().isEmpty)
    }

    /// Without a gateway's feed, a round that finds a contact transferred to me says so, once.
    @Test func aContactTransferredToMeElsewhereIsANotice() async throws {
        let server = try await server(contacts: 150)
        defer { Task { await server.stop() } }
        let bed = bed(server, mirror: try ContactMirror.temporary())
        await synced(bed, count: 150)
        bed.session.loadUsers()
        await eventually("users") { bed.session.usersState == .loaded }
        let martin = try #require(bed.session.users.first { $0.fullName == "Martín Olivera" })
        let camila = try #require(bed.session.users.first { $0.fullName == "Camila Ibáñez" })
        bed.session.me = martin.email
        let moved = try #require(bed.list.contacts.first { $0.agent == camila.id })
        // A supervisor, on another key of the account, hands it over.
        let supervisor = VentiaClient(configuration: VentiaConfiguration(baseURL: server.baseURL, apiKey: APIKey(DemoKeys.primaryAccount[1])), retryPolicy: .never)
        _ = try await supervisor.send(.transferContact, path: [moved.id], body: TransferInput(to: martin.id), as: ContactTransferred.self)
        bed.list.refresh()
        await eventually("the notice") { bed.session.noticeLog.entries.count == 1 }
        #expect(bed.session.noticeLog.entries.first?.text == "◆ \(moved.fullName) was transferred to you from Camila Ibáñez")
        #expect(bed.session.noticeLog.entries.first?.contactId == moved.id)
        bed.list.refresh()
        await eventually("caught up again") { bed.session.caughtUpThisRun && bed.list.state == .loaded }
        #expect(bed.session.noticeLog.entries.count == 1, "said once")
    }
}
