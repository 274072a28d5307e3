import Foundation
import Observation
import VentiaAPI
import VentiaMirror

/// What the app and the commands share of one account: the client and its rate budget, the local
/// copy and its failure policy, the outbox, the directory of users and groups, and where the sync
/// stands. It holds no screen text: what a front end must say reaches it as an `AccountEvent`.
@Observable
@MainActor
public final class AccountSession {
    public let client: VentiaClient
    public let clock: any VentiaClock
    /// The account's local copy; nil when none can be kept (then every list is online only).
    public private(set) var mirror: ContactMirror?
    /// When the contact list last caught up with the server (from the mirror at start).
    public var caughtUpAt: Date?
    /// The list caught up with the server since this run started: `caughtUpAt` is not news.
    public var caughtUpThisRun = false
    /// The last request that tried could not reach the server.
    public var offline = false
    /// Contacts held locally while older pages are still being fetched; nil once all are in.
    public var syncProgress: Int?
    /// Runs work after a pause: the outbox's and the sync's timers. Tests put their clock here.
    @ObservationIgnored public var after: @MainActor (Double, @escaping @MainActor () -> Void) -> Void = { seconds, work in MainQueue.after(seconds, work) }
    /// Every contact write, kept (in the mirror) until the server has it.
    public let outbox = Outbox()
    /// The account's users and group configuration.
    public let directory = Directory()
    /// Behind a team gateway, its change feed.
    public let feed = TeamFeed()
    /// The reminders of the agent at the keyboard, told when they come due.
    public let reminders = ReminderWatch()

    @ObservationIgnored private var listeners: [Int: @MainActor (AccountEvent) -> Void] = [:]
    @ObservationIgnored private var nextListener = 0
    @ObservationIgnored private var budgetObservation: RateBudgetObservation?
    /// The learned limit as the mirror holds it, so that it is written only when it changes.
    @ObservationIgnored private var keptLimit: Int?

    public init(client: VentiaClient, mirror: ContactMirror? = nil, clock: any VentiaClock = SystemClock()) {
        self.client = client
        self.mirror = mirror
        self.clock = clock
        if let mirror, let learned = try? mirror.learnedLimit() {
            client.rateBudget.adopt(learnedLimit: learned)
            keptLimit = learned
        }
        outbox.attach(self)
        directory.attach(self)
        feed.attach(self)
        reminders.attach(self)
        budgetObservation = client.rateBudget.observe(on: MainQueue.answers, MainQueue.receive { [weak self] snapshot in self?.keepLearnedLimit(snapshot) })
    }

    /// A limit learned from the server's refusals outlives the run.
    private func keepLearnedLimit(_ snapshot: RateBudgetSnapshot) {
        guard snapshot.learnedLimit != keptLimit, let mirror else { return }
        keptLimit = snapshot.learnedLimit
        mirrorTry { try mirror.setLearnedLimit(snapshot.learnedLimit) }
    }

    /// Hears every event from now on; returns a token for `stopListening`.
    @discardableResult
    public func listen(_ handler: @escaping @MainActor (AccountEvent) -> Void) -> Int {
        nextListener += 1
        listeners[nextListener] = handler
        return nextListener
    }

    public func stopListening(_ token: Int) { listeners[token] = nil }

    func emit(_ event: AccountEvent) {
        for token in listeners.keys.sorted() { listeners[token]?(event) }
    }

    /// Runs a mirror operation; a failure (a full disk, a damaged file) drops the mirror for the
    /// rest of the run and says so once: everything goes on online.
    @discardableResult
    public func mirrorTry<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch {
            mirror = nil
            syncProgress = nil
            emit(.mirrorDropped(reason: "\(error)"))
            return nil
        }
    }

    /// A load failed: front ends hear it with what it was for (a cancel is no failure).
    public func report(_ error: VentiaError, from source: ErrorSource) {
        guard error != .cancelled else { return }
        emit(.loadFailed(source, error))
    }

    public func succeeded(_ source: ErrorSource) { emit(.loadSucceeded(source)) }

    /// Whole seconds until `lane` may send, nil when it may now.
    public func budgetWait(for lane: RequestLane) -> Int? {
        let budget = client.rateBudget.snapshot()
        if !budget.isThrottled && budget.remaining > lane.reserve(of: budget.limit) { return nil }
        return max(1, budget.secondsUntilSlot)
    }
}

extension AccountSession {
    /// Runs `attempt` until it succeeds or fails for another reason than the budget: a refusal
    /// for the budget is waited out (`waiting` hears each wait) while the waits add up to no more
    /// than `maxWait` seconds; past that, the refusal is the answer.
    public func waitingOutBudget<T>(
        upTo maxWait: Int, waiting: (Int) -> Void = { _ in }, _ attempt: () async -> Result<T, VentiaError>
    ) async -> Result<T, VentiaError> {
        var waited = 0
        while true {
            let result = await attempt()
            guard case .failure(.rateLimited(let retryAfter)) = result else { return result }
            let wait = max(1, retryAfter ?? 60)
            guard waited + wait <= maxWait else { return result }
            waiting(wait)
            waited += wait
            try? await Task.sleep(for: .seconds(wait))
        }
    }
}
