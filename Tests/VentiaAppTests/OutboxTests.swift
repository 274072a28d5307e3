import Foundation
import Testing
import VentiaAPI
import VentiaMirror
import VentiaServer
@testable import VentiaViewModels

/// The outbox against a real server on a manual clock: nothing typed is lost, nothing is written
/// twice. Timers run when the test moves the clock past them; nothing sleeps for a rate window.
@Suite(.serialized) @MainActor struct OutboxTests {
    /// Main-actor timers on the test's clock.
    @MainActor
    final class Timers {
        let clock: ManualClock
        private var pending: [(at: Date, work: @MainActor () -> Void)] = []
        init(clock: ManualClock) { self.clock = clock }

        func schedule(_ seconds: Double, _ work: @escaping @MainActor () -> Void) { pending.append((clock.now().addingTimeInterval(seconds), work)) }

        func advance(by seconds: TimeInterval) {
            clock.advance(by: seconds)
            let now = clock.now()
            let due = pending.filter { $0.at <= now }
            pending.removeAll { $0.at <= now }
            for entry in due { entry.work() }
        }
    }

    /// Passes requests on, except that `fault` may change what one of them comes to.
    final class FaultyTransport: HTTPTransport, @unchecked Sendable {
        enum Fault { case none, answerLost, neverSent, notReached }
        let inner = AsyncHTTPClientTransport.shared
        private let lock = NSLock()
        private var faults: [Fault] = []
        private var requests: [HTTPRequest] = []
        var posts: Int { lock.withLock { requests.filter { $0.method == .post }.count } }
        /// Requests other than GETs: POSTs, PUTs and PATCHes.
        var writes: Int { lock.withLock { requests.filter { $0.method != .get }.count } }

        /// The next writes (POST, PUT, PATCH) meet these faults, in order.
        func failNextWrites(_ faults: Fault...) { lock.withLock { self.faults = faults } }

        func send(_ request: HTTPRequest, completion: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> any Cancellable {
            let fault = lock.withLock { () -> Fault in
                requests.append(request)
                return request.method != .get && !faults.isEmpty ? faults.removeFirst() : .none
            }
            switch fault {
            case .none: return inner.send(request, completion: completion)
            case .answerLost: return inner.send(request) { _ in completion(.failure(.timedOut)) }
            case .notReached: completion(.failure(.timedOut))
            case .neverSent: completion(.failure(.failed(.couldNotConnect)))
            }
            return NothingToCancel()
        }
    }

    struct Bed {
        let server: VentiaLocalServer
        let clock: ManualClock
        let timers: Timers
        let transport: FaultyTransport
        let session: AppSession
        let actions: ContactActions
        let contactId: String

        /// The notes the server holds for the contact with this body.
        func notesOnServer(_ body: String) async throws -> Int {
            let notes = try await session.client.send(.listNotes, path: [contactId], as: [Interaction].self)
            return notes.filter { $0.content == .note(body: body) }.count
        }
    }

    func bed(
        rateLimit: Int = 200, mirror: ContactMirror? = nil, clock: ManualClock? = nil, server existing: VentiaLocalServer? = nil,
        referenceShapes: Bool = false
    ) async throws -> Bed {
        let clock = clock ?? ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let server: VentiaLocalServer
        if let existing {
            server = existing
        } else {
            var configuration = ServerConfiguration(port: 0, seed: 3, contactCount: 20, saleCount: 5, rateLimit: rateLimit, clock: clock)
            configuration.answersInReferenceShapes = referenceShapes
            configuration.allowsPlainHTTPWebhooks = true
            server = try await VentiaLocalServer.start(configuration)
        }
        let transport = FaultyTransport()
        let client = VentiaClient(
            configuration: VentiaConfiguration(baseURL: server.baseURL, apiKey: APIKey(DemoKeys.primaryAccount[0])), transport: transport,
            rateBudget: RateBudget(clock: clock), retryPolicy: .never)
        let session = AppSession(client: client, connection: ConnectionInfo(mode: .live, host: "test"), mirror: try mirror ?? ContactMirror.temporary(), clock: clock)
        let timers = Timers(clock: clock)
        session.after = { seconds, work in timers.schedule(seconds, work) }
        let list = ContactListViewModel(session: session)
        let actions = ContactActions(session: session, list: list, timeline: TimelineViewModel(session: session), clock: clock)
        let contacts = try await client.send(.listContacts, query: [URLQueryItem(name: "limit", value: "1")], as: [Contact].self)
        return Bed(server: server, clock: clock, timers: timers, transport: transport, session: session, actions: actions, contactId: contacts[0].id)
    }

    func note(_ bed: Bed, _ body: String, to contactId: String? = nil) async -> ActionOutcome<Interaction> {
        await withCheckedContinuation { continuation in
            bed.actions.addNote(to: contactId ?? bed.contactId, body: body) { continuation.resume(returning: $0) }
        }
    }

    @Test func aNoteTypedWhileThrottledIsQueuedAndSentOnceTheWindowFrees() async throws {
        let bed = try await bed(rateLimit: 4)
        defer { Task { await bed.server.stop() } }
        for _ in 0..<3 { _ = try await bed.session.client.send(.getContact, path: [bed.contactId], as: Contact.self) }
        let outcome = await note(bed, "Llamar el lunes")
        guard case .queued(let when) = outcome else { Issue.record("expected it queued, got \(outcome)"); return }
        #expect(when == "queued · sends in 60s")
        #expect(bed.session.outbox.pendingCount == 1 && bed.transport.posts == 0)
        #expect(try bed.session.mirror?.outbox().map(\.write) == [.note(body: "Llamar el lunes")], "kept before anything is sent")
        bed.timers.advance(by: 61)
        await eventually("sent") { bed.session.outbox.pendingCount == 0 }
        #expect(bed.transport.posts == 1)
        #expect(try await bed.notesOnServer("Llamar el lunes") == 1)
        #expect(try bed.session.mirror?.outbox().isEmpty == true)
    }

    @Test func anAnswerLostAfterTheNoteArrivedIsCheckedAndNeverSentTwice() async throws {
        let bed = try await bed()
        defer { Task { await bed.server.stop() } }
        bed.transport.failNextWrites(.answerLost)
        guard case .queued(let said) = await note(bed, "Sin respuesta") else { Issue.record("expected it kept"); return }
        #expect(said.contains("did not answer"))
        #expect(bed.session.outbox.entries.first?.state == .sending, "sent, outcome unknown")
        bed.timers.advance(by: 2)
        await eventually("checked") { bed.session.outbox.pendingCount == 0 }
        #expect(bed.transport.posts == 1, "found on the server: not sent again")
        #expect(try await bed.notesOnServer("Sin respuesta") == 1)
    }

    @Test func aNoteThatNeverArrivedIsSentAgainAfterTheCheck() async throws {
        let bed = try await bed()
        defer { Task { await bed.server.stop() } }
        bed.transport.failNextWrites(.notReached)
        _ = await note(bed, "Se perdió en el camino")
        bed.timers.advance(by: 2)
        await eventually("resent") { bed.session.outbox.pendingCount == 0 }
        #expect(bed.transport.posts == 2)
        #expect(try await bed.notesOnServer("Se perdió en el camino") == 1)
    }

    @Test func aWriteRefusedAfterItWasQueuedWaitsForTheUser() async throws {
        let bed = try await bed(rateLimit: 4)
        defer { Task { await bed.server.stop() } }
        for _ in 0..<3 { _ = try await bed.session.client.send(.getContact, path: [bed.contactId], as: Contact.self) }
        _ = await note(bed, "Para nadie", to: "0123456789abcdef01234567")
        bed.timers.advance(by: 61)
        await eventually("refused") { bed.session.outbox.refusedCount == 1 }
        #expect(bed.session.lastError?.contains("Note for the contact was refused: 404") == true)
        #expect(try bed.session.mirror?.outbox().first?.state == .failed, "kept for :outbox")
        bed.session.outbox.discard(bed.session.outbox.entries[0].id)
        #expect(try bed.session.mirror?.outbox().isEmpty == true)
    }

    @Test func aRestartSendsWhatTheLastRunKeptAndChecksWhatItHadSent() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let mirror = try ContactMirror.temporary()
        let first = try await bed(mirror: mirror, clock: clock)
        defer { Task { await first.server.stop() } }
        // The last run: one note never left (no connection); another went out and its answer was lost.
        first.transport.failNextWrites(.neverSent, .answerLost)
        _ = await note(first, "Guardada")
        _ = await note(first, "Enviada sin respuesta")
        #expect(try mirror.outbox().map(\.state) == [.queued, .sending])
        // The process dies here; a new one starts over the same mirror.
        let second = try await bed(mirror: mirror, clock: clock, server: first.server)
        second.session.outbox.resume()
        await eventually("the queued one sent") { second.transport.posts == 1 }
        second.timers.advance(by: 1)
        await eventually("both settled") { second.session.outbox.pendingCount == 0 }
        #expect(try await second.notesOnServer("Guardada") == 1)
        #expect(try await second.notesOnServer("Enviada sin respuesta") == 1, "checked, not sent again")
        #expect(second.transport.posts == 1)
        #expect(try mirror.outbox().isEmpty)
    }
}

extension OutboxTests {
    /// A bulk action cut short (the process killed with writes still queued, some answered, one
    /// lost on the wire) is finished by the next start, and no contact gets its note twice.
    @Test func aBulkActionCutShortIsFinishedByTheNextStartOnce() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let mirror = try ContactMirror.temporary()
        let first = try await bed(rateLimit: 12, mirror: mirror, clock: clock)
        defer { Task { await first.server.stop() } }
        let contacts = try await first.session.client.send(.listContacts, query: [URLQueryItem(name: "limit", value: "10")], as: [Contact].self)
        // The window holds 12: a few go (the third one's answer is lost), the rest wait for the next.
        first.transport.failNextWrites(.none, .none, .answerLost)
        let run = try first.actions.bulk(.note(body: "Oferta de invierno"), on: contacts.map { ($0.id, $0.fullName) }).get()
        run.start()
        let outbox = first.session.outbox
        await eventually("the window spent, nothing on the wire") {
            let sending = outbox.entries.filter { $0.state == .sending }.count
            return run.doneCount >= 3 && sending == 1 && outbox.entries.count > 1 && run.doneCount + outbox.entries.count == 10
        }
        let left = outbox.entries.count
        #expect(try mirror.outbox().map(\.state).filter { $0 == .queued }.count == left - 1, "kept as queued, and one as sent without an answer")
        // kill -9 here: the first process's timers never fire again. The next start, a minute
        // later, resumes.
        clock.advance(by: 61)
        let second = try await bed(rateLimit: 12, mirror: mirror, clock: clock, server: first.server)
        second.session.outbox.resume()
        #expect(second.session.notice?.text == "\(left) writes from the last run are being sent")
        second.timers.advance(by: 61)
        await eventually("all delivered") { second.session.outbox.pendingCount == 0 }
        second.timers.advance(by: 61)  // a new window for the ten reads that check
        for contact in contacts {
            let notes = try await second.session.client.send(.listNotes, path: [contact.id], as: [Interaction].self)
            #expect(notes.filter { $0.content == .note(body: "Oferta de invierno") }.count == 1, "\(contact.fullName)")
        }
        #expect(try mirror.outbox().isEmpty)
    }
}

struct NothingToCancel: Cancellable { func cancel() {} }

extension OutboxTests {
    @Test func aContactCreatedWithItsAnswerLostIsFoundAndNotCreatedTwice() async throws {
        let bed = try await bed()
        defer { Task { await bed.server.stop() } }
        let input = ContactInput(firstName: "Íñigo", lastName: "Añón", emails: ["inigo@example.com"], phones: ["+59899000111"], detail: "", origin: "web")
        bed.transport.failNextWrites(.answerLost)
        let outcome: ActionOutcome<Contact> = await withCheckedContinuation { continuation in
            bed.actions.create(input) { continuation.resume(returning: $0) }
        }
        guard case .queued = outcome else { Issue.record("expected it kept, got \(outcome)"); return }
        bed.timers.advance(by: 2)
        await eventually("checked") { bed.session.outbox.pendingCount == 0 }
        #expect(bed.transport.posts == 1)
        let contacts = try await bed.session.client.send(.listContacts, query: [URLQueryItem(name: "limit", value: "100")], as: [Contact].self)
        #expect(contacts.filter { $0.phones == ["+59899000111"] }.count == 1)
    }

    @Test func aLeadThatNeverArrivedIsSentAgainOnce() async throws {
        let bed = try await bed()
        defer { Task { await bed.server.stop() } }
        let agent = try await bed.session.client.send(.listUsers, as: [User].self)[0]
        bed.session.loadUsers()
        await eventually("users") { bed.session.usersState == .loaded }
        let input = ContactInput(firstName: "Lía", lastName: "Ferrés", emails: [], phones: ["+59894444777"], detail: "Feria", origin: "campaign")
        bed.transport.failNextWrites(.notReached)
        let _: ActionOutcome<LeadOutcome> = await withCheckedContinuation { continuation in
            bed.actions.createLead(input, agent: agent.id) { continuation.resume(returning: $0) }
        }
        bed.timers.advance(by: 2)
        await eventually("sent") { bed.session.outbox.pendingCount == 0 }
        #expect(bed.transport.posts == 2)
        let contacts = try await bed.session.client.send(.listContacts, query: [URLQueryItem(name: "limit", value: "100")], as: [Contact].self)
        #expect(contacts.filter { $0.phones == ["+59894444777"] }.count == 1)
    }

    @Test func aNewUserWaitsInMemoryOnlyAndASaleWithItsAnswerLostIsNotCreatedTwice() async throws {
        let bed = try await bed(rateLimit: 6)
        defer { Task { await bed.server.stop() } }
        let admin = AdminActions(session: bed.session, sales: SalesListViewModel(session: bed.session))
        bed.session.loadUsers()
        await eventually("users") { bed.session.usersState == .loaded }
        for _ in 0..<4 { _ = try await bed.session.client.send(.getContact, path: [bed.contactId], as: Contact.self) }
        let input = UserInput(name: "Inés", lastname: "Olivera", email: "ines.olivera@example.com", password: "secreta")
        let queued: ActionOutcome<User> = await withCheckedContinuation { continuation in admin.createUser(input) { continuation.resume(returning: $0) } }
        guard case .queued(let when) = queued else { Issue.record("expected it queued, got \(queued)"); return }
        #expect(when.hasPrefix("queued · sends in"))
        #expect(bed.session.outbox.pendingCount == 1)
        #expect(try bed.session.mirror?.outbox().isEmpty == true, "its password never reaches the disk")
        bed.timers.advance(by: 61)
        await eventually("the user created") { bed.session.outbox.pendingCount == 0 && bed.session.users.contains { $0.email == input.email } }

        let seller = try #require(bed.session.users.first)
        bed.transport.failNextWrites(.answerLost)
        let sale: ActionOutcome<Sale> = await withCheckedContinuation { continuation in
            admin.createSale(SaleInput(status: "sold", ticketId: "T-LOST", phone: "+59899000333", user: seller.id)) { continuation.resume(returning: $0) }
        }
        guard case .queued = sale else { Issue.record("expected it kept, got \(sale)"); return }
        bed.timers.advance(by: 2)
        await eventually("checked") { bed.session.outbox.pendingCount == 0 }
        let page = try await bed.session.client.send(.listSales, query: [URLQueryItem(name: "limit", value: "100")], as: SalesPage.self)
        #expect(page.data.filter { $0.ticketId == "T-LOST" }.count == 1)
    }
}
