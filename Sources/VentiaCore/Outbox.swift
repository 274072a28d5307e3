import Foundation
import Observation
import VentiaAPI
import VentiaMirror

/// What the server gave back for a write.
public enum OutboxAnswer: Sendable {
    case interaction(Interaction)
    case contact(Contact)
    /// A user or a sale, as the server answered.
    case json(JSONValue)
}

/// What became of a write handed to the outbox, for the form that sent it.
public enum WriteOutcome: Sendable {
    /// The server answered at once: the form ends as it always did (closed, or kept with the refusal).
    case answered(Result<OutboxAnswer, VentiaError>)
    /// It waits in the outbox (the budget is spent, or the server did not answer): the form closes
    /// and the front end says why.
    case queued(QueueReason)
}

/// How a write left the outbox (or was refused and stays in it for the user).
public enum OutboxSettlement: Sendable {
    /// The server has it; the answer, when it could be read.
    case delivered(OutboxAnswer?)
    /// The server refused it: it waits in `:outbox`, or went back to the form that sent it.
    case refused(VentiaError)
    /// Taken out before it was sent (`Esc` on a bulk action, or discarded in `:outbox`).
    case withdrawn
}

/// Every contact write goes through here: kept in the mirror before it is sent (so a crash, a
/// `kill -9` or a restart loses nothing), sent on the scheduler's outbox lane when the budget has
/// room, and after an ambiguous failure (no answer, a 5xx) checked on the server before it is sent
/// again, so that nothing is created twice. A refusal (4xx) waits for the user in `:outbox`.
@Observable
@MainActor
public final class Outbox {
    public private(set) var entries: [OutboxRecord] = []
    /// Writes not yet acknowledged and not refused.
    public var pendingCount: Int { entries.filter { $0.state != .failed }.count }
    public var refusedCount: Int { entries.filter { $0.state == .failed }.count }

    /// Shows a delivered write where it belongs (the timeline, the list); set by `ContactActions`.
    @ObservationIgnored public var onDelivered: ((OutboxRecord, OutboxAnswer) -> Void)?
    /// Shows a delivered user or sale write; set by `AdminActions`.
    @ObservationIgnored public var onAdminDelivered: ((OutboxRecord, OutboxAnswer) -> Void)?
    /// A write went through but its answer could not be read: the contact's timeline reloads.
    @ObservationIgnored public var onWrittenUnseen: ((String) -> Void)?
    @ObservationIgnored weak var account: AccountSession?
    /// The form waiting for a write's first answer.
    @ObservationIgnored private var waiting: [String: (WriteOutcome) -> Void] = [:]
    @ObservationIgnored var inFlight: Set<String> = []
    /// Tries of each write that ended without the server's word, for the pause before the next.
    @ObservationIgnored private var unansweredTries: [String: Int] = [:]
    /// Writes waiting on a timer for the budget, so that one write never has two timers.
    @ObservationIgnored private var timed: Set<String> = []
    /// Writes of a bulk action: their run reports them, so none has a notice or an error line of its own.
    @ObservationIgnored private var quiet: Set<String> = []
    @ObservationIgnored private var settlementObservers: [Int: (OutboxRecord, OutboxSettlement) -> Void] = [:]
    @ObservationIgnored private var nextObserver = 0
    /// Writes on the wire at once: a bulk action of hundreds goes a few at a time, so that `Esc`
    /// still finds most of it unsent and other lanes keep their turn.
    public static let maximumInFlight = 4

    nonisolated init() {}

    func attach(_ account: AccountSession) { self.account = account }

    public func entries(for contactId: String) -> [OutboxRecord] { entries.filter { $0.contactId == contactId } }

    /// Hears every write that is delivered, refused or withdrawn; returns a token for `stopObserving`.
    public func observeSettlements(_ handler: @escaping (OutboxRecord, OutboxSettlement) -> Void) -> Int {
        nextObserver += 1
        settlementObservers[nextObserver] = handler
        return nextObserver
    }

    public func stopObserving(_ token: Int) { settlementObservers[token] = nil }

    private func settled(_ record: OutboxRecord, _ settlement: OutboxSettlement) {
        for handler in settlementObservers.values { handler(record, settlement) }
    }

    /// Whether the write is on the wire or being checked (it can no longer be withdrawn).
    public func isSending(_ id: String) -> Bool {
        inFlight.contains(id) || entries.first { $0.id == id }?.state == .sending
    }

    /// Keeps `write` and sends it when its turn comes, with no form waiting: a refusal stays in
    /// `:outbox`. Returns the record's id (a bulk action follows its writes by it).
    @discardableResult
    public func enqueue(_ write: OutboxWrite, contactId: String, contactName: String) -> String? {
        guard let account else { return nil }
        let record = OutboxRecord(contactId: contactId, contactName: contactName, write: write, createdAt: account.clock.now())
        keep(record)
        entries.append(record)
        quiet.insert(record.id)
        trySend(record.id)
        return record.id
    }

    /// Takes out the writes among `ids` that have not been sent; returns those withdrawn.
    @discardableResult
    public func withdraw(_ ids: [String]) -> [String] {
        let unsent = ids.filter { id in entries.contains { $0.id == id && $0.state == .queued } && !inFlight.contains(id) }
        for id in unsent { discard(id) }
        return unsent
    }

    /// Keeps `write`, then sends it; `outcome` hears the first answer, or that it was queued.
    public func submit(_ write: OutboxWrite, contactId: String, contactName: String, outcome: @escaping (WriteOutcome) -> Void) {
        guard let account else { return }
        let record = OutboxRecord(contactId: contactId, contactName: contactName, write: write, createdAt: account.clock.now())
        keep(record)
        entries.append(record)
        if let wait = account.budgetWait(for: .outbox) {
            outcome(.queued(.budget(seconds: wait)))
        } else {
            waiting[record.id] = outcome
        }
        trySend(record.id)
    }

    /// Picks up the writes a previous run left: queued ones are sent, ones sent without an answer
    /// are checked first. Refused ones wait for the user.
    public func resume() {
        guard let account, let mirror = account.mirror else { return }
        entries = account.mirrorTry { try mirror.outbox() } ?? []
        let carried = entries.filter { $0.state != .failed }
        guard !carried.isEmpty else { return }
        account.emit(.outboxResumed(count: carried.count))
        // Perhaps the rest of a bulk action: a few at a time, reported by the status line's ⧗ and ✗.
        quiet.formUnion(carried.map(\.id))
        for record in carried {
            if record.state == .sending { check(record.id) } else { trySend(record.id) }
        }
    }

    /// A refused write, sent again as it is.
    public func retry(_ id: String) {
        guard let index = entries.firstIndex(where: { $0.id == id }) else { return }
        entries[index].state = .queued
        entries[index].failure = nil
        entries[index].fieldErrors = []
        keep(entries[index])
        trySend(id)
    }

    public func discard(_ id: String) {
        guard let account else { return }
        if let record = entries.first(where: { $0.id == id }), waiting[id] == nil { settled(record, .withdrawn) }
        entries.removeAll { $0.id == id }
        waiting[id] = nil
        if let mirror = account.mirror { account.mirrorTry { try mirror.forget(outbox: id) } }
    }

    private func keep(_ record: OutboxRecord) {
        guard let account, let mirror = account.mirror else { return }
        account.mirrorTry { try mirror.keep(record) }
    }

    func update(_ id: String, _ change: (inout OutboxRecord) -> Void) -> OutboxRecord? {
        guard let index = entries.firstIndex(where: { $0.id == id }) else { return nil }
        change(&entries[index])
        keep(entries[index])
        return entries[index]
    }

    /// Sends when the budget has room beyond the interactive reserve; otherwise looks again when
    /// the window frees. Marked `sending` (and kept so) before the request goes out.
    func trySend(_ id: String) {
        guard let account, !inFlight.contains(id), let current = entries.first(where: { $0.id == id }), current.state != .failed else { return }
        // A bulk action's writes (and those a restart carries) go a few at a time; what the user
        // just typed never waits behind them.
        if quiet.contains(id), inFlight.filter(quiet.contains).count >= Self.maximumInFlight { return }  // `sendWaiting` sends it
        if let wait = account.budgetWait(for: .outbox) {
            guard timed.insert(id).inserted else { return }
            account.after(Double(wait)) { [weak self] in
                self?.timed.remove(id)
                self?.trySend(id)
            }
            return
        }
        let now = account.clock.now()
        guard let record = update(id, { $0.state = .sending; $0.attempts += 1; $0.lastAttemptAt = now }) else { return }
        inFlight.insert(id)
        send(record, account) { [weak self] result in self?.answered(id, result) }
    }

    private func send(_ record: OutboxRecord, _ account: AccountSession, done: @escaping @MainActor (Result<OutboxAnswer, VentiaError>) -> Void) {
        let client = account.client
        let id = record.contactId
        let interaction: @Sendable (Result<Interaction, VentiaError>) -> Void = MainQueue.deliver { done($0.map(OutboxAnswer.interaction)) }
        switch record.write {
        case .note(let body): client.createNote(contactId: id, body: body, lane: .outbox, on: MainQueue.answers, completion: interaction)
        case .reminder(let date): client.createReminder(contactId: id, at: date, lane: .outbox, on: MainQueue.answers, completion: interaction)
        case .transfer(let to): client.transferContact(contactId: id, to: to, lane: .outbox, on: MainQueue.answers, completion: interaction)
        case .archive(let reason): client.archiveContact(contactId: id, reason: reason, lane: .outbox, on: MainQueue.answers, completion: interaction)
        case .edit(let input):
            client.replaceContact(id: id, with: input, lane: .outbox, on: MainQueue.answers, completion: MainQueue.deliver { done($0.map(OutboxAnswer.contact)) })
        case .create(let input):
            client.createContact(input, lane: .outbox, on: MainQueue.answers, completion: MainQueue.deliver { done($0.map(OutboxAnswer.contact)) })
        case .lead(let input, let agent):
            client.createLead(
                LeadInput(contact: input, agent: agent), lane: .outbox, on: MainQueue.answers, completion: MainQueue.deliver { done($0.map(OutboxAnswer.contact)) })
        case .admin(let admin):
            guard let body = try? RawJSONBody(admin.body) else {
                return done(.failure(.invalidRequest(reason: "the kept request could not be read back")))
            }
            client.send(
                admin.endpoint, path: admin.path, body: body, as: JSONValue.self, lane: .outbox, on: MainQueue.answers,
                completion: MainQueue.deliver { done($0.map(OutboxAnswer.json)) })
        }
    }

    /// Sends a bulk action's queued writes, oldest first, while slots are free.
    func sendWaiting() {
        let busy = inFlight.filter(quiet.contains).count
        let queued = entries.filter { quiet.contains($0.id) && $0.state == .queued && !inFlight.contains($0.id) && !timed.contains($0.id) }
        for record in queued.prefix(max(0, Self.maximumInFlight - busy)) { trySend(record.id) }
    }

    private func answered(_ id: String, _ result: Result<OutboxAnswer, VentiaError>) {
        inFlight.remove(id)
        defer { sendWaiting() }
        guard let account, let record = entries.first(where: { $0.id == id }) else { return }
        let form = waiting.removeValue(forKey: id)
        switch result {
        case .success(let answer):
            account.offline = false
            delivered(record, answer, .answered, quiet: form != nil || quiet.contains(id))
            form?(.answered(.success(answer)))
        case .failure(.cancelled):
            break
        case .failure(.rateLimited(let retryAfter)):
            // Refused before it was read: send again once the window allows.
            _ = update(id) { $0.state = .queued }
            form?(.queued(.budget(seconds: retryAfter ?? 60)))
            trySend(id)
        case .failure(let error) where error.neverReachedServer:
            // Nothing left this machine: it is sent again as it is, after a growing pause.
            _ = update(id) { $0.state = .queued }
            form?(.queued(.unreachable))
            account.offline = true
            let delay = nextPause(id)
            timed.insert(id)
            account.after(delay) { [weak self] in
                self?.timed.remove(id)
                self?.trySend(id)
            }
        case .failure(let error) where Self.isAmbiguous(error):
            // It may have been written: it stays `sending` until a check says which.
            form?(.queued(.unanswered))
            scheduleCheck(id)
        case .failure(.decoding):
            // A 2xx whose body could not be read: it was written.
            delivered(record, nil, .answerUnreadable, quiet: false)
            onWrittenUnseen?(record.contactId)
            form?(.queued(.answerUnreadable))
        case .failure(let error):
            settled(record, .refused(error))
            if let form {
                // The form is still open: it keeps the input and shows the errors; the entry goes.
                discard(id)
                form(.answered(.failure(error)))
            } else {
                _ = update(id) {
                    $0.state = .failed
                    $0.failure = error.description
                    $0.fieldErrors = error.fieldErrors
                }
                if !quiet.contains(id) { account.emit(.writeRefused(record, error)) }
            }
        }
    }

    /// No answer, a timeout, a reset, a 5xx: the request may have reached the server.
    public static func isAmbiguous(_ error: VentiaError) -> Bool {
        switch error {
        case .timedOut, .transport, .answerTooLarge: return true
        case .server(let status, _): return status >= 500
        case .afterRetries(_, let last): return isAmbiguous(last)
        case .unconfirmed: return true
        default: return false
        }
    }

    func delivered(_ record: OutboxRecord, _ answer: OutboxAnswer?, _ delivery: WriteDelivery, quiet: Bool) {
        guard let account else { return }
        entries.removeAll { $0.id == record.id }
        unansweredTries[record.id] = nil
        settled(record, .delivered(answer))
        if let mirror = account.mirror { account.mirrorTry { try mirror.forget(outbox: record.id) } }
        if let answer {
            // A WhatsApp message belongs to its contact's timeline; other admin writes to their panes.
            if case .admin(let admin) = record.write, admin.endpoint != .sendWhatsAppMessage {
                onAdminDelivered?(record, answer)
            } else {
                onDelivered?(record, answer)
            }
        }
        account.emit(.writeDelivered(record, delivery, quiet: quiet))
    }

    func scheduleCheck(_ id: String) {
        let delay = nextPause(id)
        account?.after(delay) { [weak self] in self?.check(id) }
    }

    private func nextPause(_ id: String) -> TimeInterval {
        let tries = unansweredTries[id, default: 0] + 1
        unansweredTries[id] = tries
        return Backoff.outbox.pause(afterFailures: tries)
    }

    /// Asks the server whether a write sent without an answer took effect (`OutboxCheck`, one rule
    /// a kind of write); it is delivered, sent again, or asked about again after a pause.
    func check(_ id: String) {
        guard let account, !inFlight.contains(id), let record = entries.first(where: { $0.id == id }) else { return }
        if let wait = account.budgetWait(for: .outbox) {
            account.after(Double(wait)) { [weak self] in self?.check(id) }
            return
        }
        // A minute for the two clocks to differ; a same note written before that is not this one.
        let since = (record.lastAttemptAt ?? record.createdAt).addingTimeInterval(-60)
        inFlight.insert(id)
        let settle: @MainActor (OutboxAnswer??) -> Void = { [weak self] found in
            guard let self else { return }
            self.inFlight.remove(id)
            defer { self.sendWaiting() }
            switch found {
            case .some(.some(let answer)): self.delivered(record, answer, .confirmedByCheck, quiet: false)
            case .some(.none):
                _ = self.update(id) { $0.state = .queued }
                self.trySend(id)
            case .none: self.scheduleCheck(id)
            }
        }
        OutboxCheck(client: account.client).run(record, since: since, settle: settle)
    }
}
