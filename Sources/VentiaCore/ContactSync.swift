import Foundation
import VentiaAPI
import VentiaMirror

/// Keeps the account's local copy of its contacts current, for the app's list and the commands
/// alike: a round walks pages newest `updatedAt` first until one holds a contact the mirror has at
/// that version (on an unchanged account, one request); the backfill then fetches the older pages
/// the mirror never held, one at a time. Each step reports how it ended; what to do next (retry
/// after the budget's wait, look again later, give up) is the caller's.
@MainActor
public final class ContactSync {
    /// How a catch-up round ended.
    public enum RoundEnd: Sendable {
        /// The mirror holds what the server has on its newest pages, as of this time.
        case caughtUp(Date)
        /// The mirror failed to write and was dropped (the account said so).
        case mirrorLost
        case failed(VentiaError)
    }

    /// How one backfill step ended.
    public enum BackfillEnd: Sendable {
        /// A page was kept; `complete` once a short page ended them.
        case kept(complete: Bool)
        /// Every older page is in already.
        case complete
        case mirrorLost
        case failed(VentiaError)
    }

    public let account: AccountSession
    public let pageSize: Int
    /// Pages a round walks before it leaves the rest to the backfill.
    public let pageLimit: Int
    private var roundRequest: RequestHandle?
    private var backfillRequest: RequestHandle?
    /// Bumped by `cancel`, so that an answer already on its way is not acted on.
    private var generation = 0

    public init(account: AccountSession, pageSize: Int = 100, pageLimit: Int = 20) {
        self.account = account
        self.pageSize = pageSize
        self.pageLimit = pageLimit
    }

    /// Whether a backfill page is on its way.
    public var backfilling: Bool { backfillRequest != nil }

    /// Stops the round on its way (its `done` is not called).
    public func cancel() {
        generation += 1
        roundRequest?.cancel()
        roundRequest = nil
    }

    /// One round from the newest page. `changed` hears each page's new or changed contacts, and
    /// whether the mirror held contacts before (the first sync finds everything new).
    public func catchUp(
        lane: RequestLane = .interactive, changed: @escaping @MainActor ([Contact], _ hadContacts: Bool) -> Void = { _, _ in },
        done: @escaping @MainActor (RoundEnd) -> Void
    ) {
        guard let mirror = account.mirror else { return done(.mirrorLost) }
        let hadContacts = (account.mirrorTry { try mirror.contactCount() } ?? 0) > 0
        generation += 1
        let round = generation
        func walk(_ page: Int) {
            roundRequest = account.client.listContacts(page: page, limit: pageSize, lane: lane, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
                guard let self, self.generation == round else { return }
                self.roundRequest = nil
                switch result {
                case .success(let fetched):
                    let now = self.account.clock.now()
                    guard let fresh = self.account.mirrorTry({ try mirror.saveReportingChanges(fetched, fetchedAt: now) }) else { return done(.mirrorLost) }
                    self.account.offline = false
                    changed(fresh, hadContacts)
                    let step = MirrorSyncStep.refreshPage(
                        page, fetched: fetched.count, changed: fresh.count, pageSize: self.pageSize, hadContacts: hadContacts, pageLimit: self.pageLimit)
                    if let backfill = step.backfill { self.account.mirrorTry { try mirror.setBackfill(backfill) } }
                    guard step.caughtUp else { return walk(page + 1) }
                    self.account.mirrorTry { try mirror.setCaughtUp(at: now) }
                    self.account.caughtUpAt = now
                    self.account.caughtUpThisRun = true
                    done(.caughtUp(now))
                case .failure(let error):
                    if error != .cancelled { self.account.offline = error.meansUnreachable }
                    done(.failed(error))
                }
            })
        }
        walk(0)
    }

    /// The next older page for the mirror. On the background lane (the default) the scheduler
    /// sends it only while the budget has more than that lane's reserve left.
    public func backfillNext(lane: RequestLane = .background, done: @escaping @MainActor (BackfillEnd) -> Void) {
        guard let mirror = account.mirror else { return done(.mirrorLost) }
        guard backfillRequest == nil else { return }
        guard let backfill = account.mirrorTry({ try mirror.backfill() }) else { return done(.mirrorLost) }
        guard !backfill.complete else {
            account.syncProgress = nil
            return done(.complete)
        }
        account.syncProgress = account.mirrorTry { try mirror.contactCount() }
        backfillRequest = account.client.listContacts(page: backfill.nextPage, limit: pageSize, lane: lane, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            guard let self else { return }
            self.backfillRequest = nil
            switch result {
            case .success(let fetched):
                let now = self.account.clock.now()
                guard self.account.mirrorTry({ try mirror.save(fetched, fetchedAt: now) }) != nil else { return done(.mirrorLost) }
                let next = MirrorSyncStep.backfillPage(backfill, fetched: fetched.count, pageSize: self.pageSize)
                self.account.mirrorTry { try mirror.setBackfill(next) }
                if next.complete { self.account.syncProgress = nil }
                done(.kept(complete: next.complete))
            case .failure(let error):
                if error != .cancelled { self.account.offline = error.meansUnreachable }
                done(.failed(error))
            }
        })
    }

    /// Contacts a round found changed, with a phone: their newest entry, fetched on the background
    /// lane (at most `inboundChecks` a round), says whether they wrote on WhatsApp; `found` hears
    /// each one marked in the mirror as waiting to be read.
    public func lookForInbound(in changed: [Contact], found: @escaping @MainActor (String) -> Void) {
        lookForNews(in: changed) { news in
            if case .inbound(let id) = news { found(id) }
        }
    }

    /// What the newest entry of a changed contact's timeline says, when it is news to an agent.
    public enum ContactNews: Sendable, Equatable {
        /// The customer wrote on WhatsApp, and it was not read here since (the mirror marks it).
        case inbound(contactId: String)
        /// The contact was handed from one user to another.
        case transfer(contactId: String, fromUser: String, toUser: String)
    }

    /// Reads the newest entry of up to `inboundChecks` changed contacts' timelines (one request
    /// each, on the background lane): a customer's WhatsApp message, or a transfer.
    public func lookForNews(in changed: [Contact], news: @escaping @MainActor (ContactNews) -> Void) {
        guard let mirror = account.mirror else { return }
        for contact in changed.prefix(Self.inboundChecks) {
            account.client.listInteractions(contactId: contact.id, page: 0, limit: 1, lane: .background, on: MainQueue.answers, completion: MainQueue.deliver {
                [weak self] result in
                guard let self, case .success(let newest) = result, let entry = newest.first else { return }
                switch entry.content {
                case .whatsApp(let message) where message.direction == .inbound:
                    guard let at = entry.createdAt, self.account.mirrorTry({ try mirror.markInbound(contact.id, at: at) }) == true else { return }
                    news(.inbound(contactId: contact.id))
                case .transfer(let fromUser, let toUser):
                    news(.transfer(contactId: contact.id, fromUser: fromUser, toUser: toUser))
                default:
                    break
                }
            })
        }
    }

    public static let inboundChecks = 10

    // MARK: Awaited, for the commands

    /// A round, awaited.
    public func catchUp(lane: RequestLane = .interactive) async -> RoundEnd {
        await withCheckedContinuation { continuation in catchUp(lane: lane) { continuation.resume(returning: $0) } }
    }

    /// A backfill step, awaited.
    public func backfillNext(lane: RequestLane) async -> BackfillEnd {
        await withCheckedContinuation { continuation in backfillNext(lane: lane) { continuation.resume(returning: $0) } }
    }
}
