import Foundation
import Testing
import VentiaAPI
import VentiaCore
@testable import VentiaMirror
import VentiaServer

/// `VentiaCore` on its own, as the commands use it: the one sync loop, and what it reports as
/// typed events rather than words.
@Suite(.serialized) @MainActor struct AccountCoreTests {
    func account(_ server: VentiaLocalServer, mirror: ContactMirror) -> (AccountSession, RecordingTransport) {
        let transport = RecordingTransport()
        let client = VentiaClient(
            configuration: VentiaConfiguration(baseURL: server.baseURL, apiKey: APIKey(DemoKeys.primaryAccount[0])), transport: transport, retryPolicy: .never)
        return (AccountSession(client: client, mirror: mirror), transport)
    }

    func pagesAsked(_ transport: RecordingTransport) -> [Int] {
        transport.recorded.filter { $0.url.path.hasSuffix("/contact") }.compactMap { request in
            URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "page" }?.value.flatMap(Int.init)
        }
    }

    @Test func oneSyncLoopCatchesUpFillsInAndThenCostsOneRequest() async throws {
        let server = try await VentiaLocalServer.start(ServerConfiguration(port: 0, seed: 11, contactCount: 250, saleCount: 10, rateLimit: 1000))
        defer { Task { await server.stop() } }
        let mirror = try ContactMirror.temporary()
        let (first, transport) = account(server, mirror: mirror)
        let sync = ContactSync(account: first, pageSize: 100, pageLimit: .max)
        guard case .caughtUp = await sync.catchUp() else { Issue.record("the first round did not catch up"); return }
        #expect(first.caughtUpThisRun && first.caughtUpAt != nil)
        var steps: [String] = []
        backfill: while true {
            switch await sync.backfillNext(lane: .interactive) {
            case .kept(let complete): steps.append(complete ? "last" : "page")
            case .complete: break backfill
            case .mirrorLost, .failed: Issue.record("the backfill failed"); return
            }
        }
        #expect(steps == ["page", "last"])
        #expect(pagesAsked(transport) == [0, 1, 2], "the first page, then the backfill's two")
        #expect(try mirror.contactCount() == 250 && first.syncProgress == nil)

        let (second, again) = account(server, mirror: mirror)
        guard case .caughtUp = await ContactSync(account: second).catchUp() else { Issue.record("the second round did not catch up"); return }
        #expect(pagesAsked(again) == [0], "nothing changed: one page shows the copy is current")
    }

    @Test func aMirrorThatFailsIsDroppedAndReportedOnceAsATypedEvent() async throws {
        let server = try await VentiaLocalServer.start(ServerConfiguration(port: 0, seed: 11, contactCount: 150, saleCount: 10, rateLimit: 1000))
        defer { Task { await server.stop() } }
        let mirror = try ContactMirror.temporary()
        try mirror.simulateFullDisk()
        let (account, _) = account(server, mirror: mirror)
        var events: [AccountEvent] = []
        account.listen { events.append($0) }
        let end = await ContactSync(account: account).catchUp()
        guard case .mirrorLost = end else { Issue.record("expected the mirror lost, got \(end)"); return }
        #expect(account.mirror == nil)
        #expect(events.count == 1)
        guard case .mirrorDropped(let reason)? = events.first else { Issue.record("expected .mirrorDropped, got \(events)"); return }
        #expect(reason.hasPrefix("cannot keep contacts locally"))
    }

    @Test func aWriteHeldForTheBudgetSaysWhyAsAType() async throws {
        let server = try await VentiaLocalServer.start(ServerConfiguration(port: 0, seed: 11, contactCount: 5, saleCount: 1, rateLimit: 1000))
        defer { Task { await server.stop() } }
        let (account, transport) = account(server, mirror: try ContactMirror.temporary())
        let contact = try #require(try await account.client.send(.listContacts, query: VentiaClient.pageQuery(0, 1), as: [Contact].self).first)
        // A refusal for the budget, as a 429 with Retry-After says it: the note must wait.
        let budget = account.client.rateBudget
        budget.recordAnswer(sentAt: budget.recordSend(), status: 429, headers: ["retry-after": "42"])
        let outcome = await withCheckedContinuation { continuation in
            account.outbox.submit(.note(body: "Llamar"), contactId: contact.id, contactName: contact.fullName) { continuation.resume(returning: $0) }
        }
        guard case .queued(.budget(let seconds)) = outcome else { Issue.record("expected a wait for the budget, got \(outcome)"); return }
        #expect(seconds > 0 && seconds <= 42)
        #expect(transport.recorded.count == 1, "the note is not sent while the budget is spent")
        #expect(account.outbox.pendingCount == 1)
    }

    @Test func aReadRefusedForTheBudgetPastTheWaitAllowedIsTheAnswer() async throws {
        let server = try await VentiaLocalServer.start(ServerConfiguration(port: 0, seed: 11, contactCount: 5, saleCount: 1, rateLimit: 1000))
        defer { Task { await server.stop() } }
        let (account, _) = account(server, mirror: try ContactMirror.temporary())
        var attempts = 0
        var waits: [Int] = []
        let refused: Result<Int, VentiaError> = await account.waitingOutBudget(upTo: 30, waiting: { waits.append($0) }) {
            attempts += 1
            return .failure(.rateLimited(retryAfter: 45))
        }
        #expect(attempts == 1 && waits.isEmpty, "a 45 s wait does not fit in 30: nothing is slept")
        guard case .failure(.rateLimited(45)) = refused else { Issue.record("expected the refusal, got \(refused)"); return }
        let other: Result<Int, VentiaError> = await account.waitingOutBudget(upTo: 30) {
            attempts += 1
            return .failure(.notFound(message: "gone"))
        }
        #expect(attempts == 2)
        guard case .failure(.notFound) = other else { Issue.record("expected notFound, got \(other)"); return }
    }
    /// A contact of `agent` with a reminder at `reminder`, as the API answers it.
    func contact(_ id: String, agent: String, reminder: Date?) throws -> Contact {
        var json: [String: Any] = [
            "_id": id, "firstName": "Nombre \(id)", "lastName": "Apellido", "phones": [], "emails": [], "detail": "", "channels": [],
            "assignedGroups": [], "agent": agent, "updatedAt": "2026-11-20T10:00:00.000Z", "status": "new",
        ]
        if let reminder { json["reminder"] = VentiaDate.format(reminder) }
        return try VentiaJSON.decode(Contact.self, from: JSONSerialization.data(withJSONObject: json))
    }

    /// My reminders are told when they come due, from the mirror alone, by the injected clock; one
    /// that comes due while nothing watches is told once as missed at the next start; a moved
    /// reminder is watched at its new time; nobody's else is told.
    @Test func remindersComeDueAtTheirTimeAndMissedOnesAreToldOnce() throws {
        let mirror = try ContactMirror.temporary()
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let start = clock.now()
        try mirror.save([
            try contact("c1", agent: "me1", reminder: start.addingTimeInterval(600)),
            try contact("c2", agent: "me1", reminder: start.addingTimeInterval(-600)),
            try contact("c3", agent: "other", reminder: start.addingTimeInterval(300)),
            try contact("c4", agent: "me1", reminder: start.addingTimeInterval(7200)),
        ], fetchedAt: start)
        var timers: [(at: Date, work: @MainActor () -> Void)] = []
        func session() -> AccountSession {
            let client = VentiaClient(configuration: VentiaConfiguration(apiKey: APIKey(DemoKeys.primaryAccount[0])), transport: RecordingTransport())
            let account = AccountSession(client: client, mirror: mirror, clock: clock)
            account.after = { seconds, work in timers.append((clock.now().addingTimeInterval(seconds), work)) }
            return account
        }
        /// Moves the clock to `date` and runs the timers due by then.
        func run(until date: Date) {
            clock.set(date)
            while let index = timers.firstIndex(where: { $0.at <= date }) { timers.remove(at: index).work() }
        }
        var told: [(ids: [String], missed: Bool)] = []
        let first = session()
        first.listen { if case .remindersDue(let due, let missed) = $0 { told.append((due.map(\.contactId), missed)) } }
        first.reminders.watch(agentId: "me1")
        #expect(told.isEmpty, "a first watch tells nothing old (c2 was overdue already)")
        #expect(timers.map(\.at) == [start.addingTimeInterval(600)], "one timer, at my next reminder")
        run(until: start.addingTimeInterval(599))
        #expect(told.isEmpty)
        run(until: start.addingTimeInterval(601))
        #expect(told.count == 1 && told[0].ids == ["c1"] && !told[0].missed)
        // c4's reminder moves earlier: the watch follows it.
        try mirror.save([try contact("c4", agent: "me1", reminder: start.addingTimeInterval(900))], fetchedAt: clock.now())
        first.reminders.contactsChanged()
        run(until: start.addingTimeInterval(901))
        #expect(told.count == 2 && told[1].ids == ["c4"])

        // ventia closes; c5's reminder comes due meanwhile, and is told once at the next start.
        first.reminders.watch(agentId: nil)
        timers.removeAll()
        try mirror.save([try contact("c5", agent: "me1", reminder: start.addingTimeInterval(1200))], fetchedAt: clock.now())
        clock.set(start.addingTimeInterval(3600))
        let second = session()
        var again: [(ids: [String], missed: Bool)] = []
        second.listen { if case .remindersDue(let due, let missed) = $0 { again.append((due.map(\.contactId), missed)) } }
        second.reminders.watch(agentId: "me1")
        #expect(again.count == 1 && again[0].ids == ["c5"] && again[0].missed)
        // A reminder set elsewhere while ventia was closed reaches the mirror only with the sync,
        // after the watch started: it is still told, once, as missed.
        try mirror.save([try contact("c6", agent: "me1", reminder: start.addingTimeInterval(3000))], fetchedAt: clock.now())
        second.reminders.contactsChanged()
        #expect(again.count == 2 && again[1].ids == ["c6"] && again[1].missed)
        second.reminders.contactsChanged()
        #expect(again.count == 2, "told once")
        let third = session()
        var thrice = 0
        third.listen { if case .remindersDue = $0 { thrice += 1 } }
        third.reminders.watch(agentId: "me1")
        #expect(thrice == 0, "told once, not at every start")
    }
}
