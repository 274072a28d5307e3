import Foundation
import Logging
import NIOConcurrencyHelpers
import VentiaAPI

/// Keeps the team's copy current as ventia keeps its mirror: a round every `interval` walks
/// contacts newest `updatedAt` first until a page holds one the copy has at that version (an
/// unchanged account: one request), and between rounds older pages fill in on the background
/// lane of the team's budget. One replica holds the sync's lease at a time; a write through any
/// replica brings the next round forward.
final class CopySync: Sendable {
    typealias Fetch = @Sendable (_ page: Int, _ limit: Int, _ backfill: Bool) async -> GatewayAnswer

    static let pageSize = 100
    /// Pages a round walks before it leaves the rest to the backfill.
    static let roundPageLimit = 20
    static let agent = "sync"

    let copy: TeamCopy
    let interval: Double
    let logger: Logger
    private let holder = UUID().uuidString
    /// The way to upstream, once started: a read the copy could answer but for its age runs a round with it.
    private let fetchSlot = NIOLockedValueBox<Fetch?>(nil)
    private let rounds = RoundGate()
    /// When agents last filled a page of the copy themselves.
    private let agentPage = NIOLockedValueBox<ContinuousClock.Instant?>(nil)
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>
    private let loop = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(copy: TeamCopy, interval: Double, logger: Logger) {
        self.copy = copy
        self.interval = interval
        self.logger = logger
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Starts the loop (once); `fetch` asks upstream for a page through the team's budget.
    func start(fetch: @escaping Fetch) {
        fetchSlot.withLockedValue { $0 = fetch }
        loop.withLockedValue { task in
            if task == nil { task = Task.detached { [self] in await run(fetch) } }
        }
    }

    /// A round now, for a read waiting on the copy's age: readers on this replica share one round;
    /// true when it caught up.
    func roundNow() async -> Bool {
        guard let fetch = fetchSlot.withLockedValue({ $0 }) else { return false }
        return await rounds.run { [self] in (try? await round(fetch)) ?? false }
    }

    func stop() {
        wake.finish()
        loop.withLockedValue { $0?.cancel() }
    }

    /// A write went upstream somewhere: the next round now rather than at its time.
    func nudge() { wake.yield() }

    private func run(_ fetch: @escaping Fetch) async {
        var iterator = wakes.makeAsyncIterator()
        while !Task.isCancelled {
            var lastRound = ContinuousClock.now
            do {
                if try await copy.lease(holder: holder, seconds: max(30, interval * 3)) {
                    _ = await rounds.run { [self] in (try? await round(fetch)) ?? false }
                    lastRound = ContinuousClock.now
                    // The backfill, a page at a time, a round in between whenever one is due.
                    while !Task.isCancelled, try await backfillStep(fetch) {
                        if ContinuousClock.now - lastRound >= .seconds(interval) {
                            _ = try await copy.lease(holder: holder, seconds: max(30, interval * 3))
                            _ = await rounds.run { [self] in (try? await round(fetch)) ?? false }
                            lastRound = ContinuousClock.now
                        }
                    }
                    try await copy.trimChanges()
                }
            } catch {
                logger.warning("team copy: \(error)")
            }
            // Until the next round is due, or a write brings it forward.
            let due = Task { [wake, interval] in
                // Cancelled (a write came first): no wake of its own, or the loop would spin.
                guard (try? await Task.sleep(for: .seconds(interval))) != nil else { return }
                wake.yield()
            }
            guard await iterator.next() != nil else { due.cancel(); return }
            due.cancel()
        }
    }

    /// How a round or a backfill step went when upstream would not give a page.
    struct Refused: Error, CustomStringConvertible {
        var status: Int
        var description: String { "upstream answered \(status) to a page of contacts; trying again at the next round" }
    }

    /// One round from the newest page; true when it caught up.
    @discardableResult
    func round(_ fetch: Fetch) async throws -> Bool {
        let started = try await copy.now()
        let hadContacts = try await copy.count() > 0
        var page = 0
        while !Task.isCancelled {
            let contacts = try await contactsOf(page: page, backfill: false, fetch)
            let changed = try await copy.keep(contacts, by: Self.agent)
            let step = MirrorSyncStep.refreshPage(
                page, fetched: contacts.count, changed: changed.count, pageSize: Self.pageSize, hadContacts: hadContacts, pageLimit: Self.roundPageLimit)
            if let backfill = step.backfill { try await copy.setBackfill(backfill) }
            if step.caughtUp {
                try await copy.caughtUp(roundStarted: started)
                return true
            }
            page += 1
        }
        return false
    }

    /// Agents are reading older pages upstream themselves (a team starting): each such page is
    /// kept as the backfill would keep it, so the backfill stands aside rather than fetch it twice.
    func agentsFilling() { agentPage.withLockedValue { $0 = .now } }

    /// The next older page; false when there is none left (or it could not be had now, or
    /// agents are filling the copy themselves).
    func backfillStep(_ fetch: Fetch) async throws -> Bool {
        let fillingAgents = agentPage.withLockedValue { $0.map { ContinuousClock.now - $0 < .seconds(5) } ?? false }
        guard !fillingAgents else { return false }
        let state = try await copy.state()
        guard !state.backfill.complete else { return false }
        let contacts: [CopiedContact]
        do {
            contacts = try await contactsOf(page: state.backfill.nextPage, backfill: true, fetch)
        } catch is Refused {
            return false
        }
        _ = try await copy.keep(contacts, by: Self.agent, announcingNew: false)
        let next = MirrorSyncStep.backfillPage(state.backfill, fetched: contacts.count, pageSize: Self.pageSize)
        try await copy.advanceBackfill(past: state.backfill.nextPage, complete: next.complete)
        return !next.complete
    }

    private func contactsOf(page: Int, backfill: Bool, _ fetch: Fetch) async throws -> [CopiedContact] {
        let answer = await fetch(page, Self.pageSize, backfill)
        guard answer.status == 200 else { throw Refused(status: answer.status) }
        guard let contacts = CopiedContact.page(answer.body) else { throw Refused(status: 502) }
        return contacts
    }
}

/// One round at a time in a replica: whoever asks while one runs gets its outcome.
actor RoundGate {
    private var running: Task<Bool, Never>?

    func run(_ work: @escaping @Sendable () async -> Bool) async -> Bool {
        if let running { return await running.value }
        let task = Task { await work() }
        running = task
        let outcome = await task.value
        running = nil
        return outcome
    }
}
