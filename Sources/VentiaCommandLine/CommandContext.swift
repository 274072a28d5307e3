import Foundation
import VentiaAPI
import VentiaMirror
import VentiaCore

#if canImport(Glibc)
import Glibc
#endif

/// What a subcommand runs with: the account (client, budget, mirror, outbox), shared with the app, and the
/// process's two streams: data on standard output, messages on standard error, progress only
/// when standard error is a terminal. Every way out goes through `exit`, with a stable status.
@MainActor
public final class CommandContext {
    public let account: AccountSession
    /// Longest a request waits for the rate budget before the command gives up with 75.
    public let maxWait: Int
    /// Standard error is a terminal: progress lines are drawn there.
    public let showsProgress: Bool
    private var progressShown = false
    /// What must live as long as the command (the demo server it runs against).
    public var keepAlive: AnyObject?
    /// Who runs the command (`me:` in config.yml), for `--agent me`.
    public var me: String?

    public init(account: AccountSession, maxWait: Int) {
        self.account = account
        self.maxWait = maxWait
        showsProgress = isatty(STDERR_FILENO) == 1
        account.listen { [weak self] event in
            if case .mirrorDropped(let reason) = event { self?.say("nothing is kept locally from now on: \(reason)") }
        }
    }

    public var client: VentiaClient { account.client }

    /// Data for standard output.
    public func output(_ text: String) {
        output(Data(text.utf8))
    }

    public func output(_ bytes: Data) {
        guard !bytes.isEmpty else { return }
        FileHandle.standardOutput.write(bytes)
    }

    /// A message on standard error, on its own line.
    public func say(_ text: String) {
        clearProgress()
        FileHandle.standardError.write(Data(("ventia: " + text + "\n").utf8))
    }

    /// One line of progress, redrawn in place; nothing when standard error is not a terminal.
    public func progress(_ text: String) {
        guard showsProgress else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        progressShown = true
    }

    private func clearProgress() {
        guard progressShown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        progressShown = false
    }

    public func exit(_ status: ExitStatus) -> Never {
        clearProgress()
        Foundation.exit(status.rawValue)
    }

    /// Says what failed and ends with the status the failure means.
    public func fail(_ error: VentiaError, doing: String) -> Never {
        let status = ExitStatus.of(error)
        var text = "\(doing) failed: \(error.description)"
        for field in error.fieldErrors { text += "\n  \(field.field): \(field.message)" }
        if status == .throttled { text += " (--max-wait SECONDS waits longer for the budget)" }
        say(text)
        exit(status)
    }

    /// One read on the interactive lane. A refusal for the rate budget is waited out when the wait
    /// fits in `--max-wait`; any other failure ends the command.
    public func get<T: Decodable & Sendable>(
        _ endpoint: Endpoint, path: [String] = [], query: [URLQueryItem] = [], as type: T.Type, doing: String
    ) async -> T {
        await waitingOutBudget(doing: doing) { [client] () async -> Result<T, VentiaError> in
            do throws(VentiaError) {
                return .success(try await client.send(endpoint, path: path, query: query, as: type))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Runs `attempt` until it succeeds, waiting out refusals for the budget up to `--max-wait`
    /// (`AccountSession.waitingOutBudget`); any failure left ends the command.
    public func waitingOutBudget<T>(doing: String, _ attempt: () async -> Result<T, VentiaError>) async -> T {
        let result = await account.waitingOutBudget(upTo: maxWait, waiting: { progress("throttled: waiting \($0)s for the rate budget…") }, attempt)
        switch result {
        case .success(let value): return value
        case .failure(let error): fail(error, doing: doing)
        }
    }

    /// Every page of a CRM list (0-based pages), `limit` at a time, each kept as the server sent it.
    public func allPages<T: Decodable & Sendable>(
        _ endpoint: Endpoint, path: [String] = [], as type: T.Type, limit: Int = 100, doing: String
    ) async -> [Kept<T>] {
        var items: [Kept<T>] = []
        await forEachPage(endpoint, path: path, as: type, limit: limit, doing: doing) { page in
            items += page
            return true
        }
        return items
    }

    /// The pages of a CRM list one at a time, as they come (a listing writes as it goes); `body`
    /// returns false to stop. A page that repeats what was seen (a server that ignores `page`) ends it.
    public func forEachPage<T: Decodable & Sendable>(
        _ endpoint: Endpoint, path: [String] = [], as type: T.Type, limit: Int = 100, doing: String, _ body: ([Kept<T>]) -> Bool
    ) async {
        var cursor = CRMPageCursor(limit: limit)
        var seen = Set<String>()
        while !cursor.reachedEnd {
            let page = await get(endpoint, path: path, query: VentiaClient.pageQuery(cursor.nextPage, cursor.limit), as: [Kept<T>].self, doing: doing)
            let fresh = page.filter { seen.insert($0.json["_id"]?.stringValue ?? UUID().uuidString).inserted }
            cursor.advance(receivedCount: page.count, freshCount: fresh.count)
            guard body(fresh) else { return }
            if !cursor.reachedEnd { progress("\(doing): \(seen.count)…") }
        }
    }

    /// One write through the outbox, as the app sends it: kept in the mirror first, sent when the
    /// budget allows, checked on the server after an ambiguous failure. It waits up to
    /// `--max-wait` for the budget; past that, a write not yet sent is taken back (75), and one
    /// whose answer was lost stays in the outbox for the next start to check (69).
    public func send(_ write: OutboxWrite, contactId: String, name: String, doing: String) async -> OutboxAnswer? {
        let outbox = account.outbox
        guard let id = outbox.enqueue(write, contactId: contactId, contactName: name) else {
            fail(.invalidRequest(reason: "the outbox is not available"), doing: doing)
        }
        // Gives up on the budget after --max-wait (the write still queued), and on a lost answer
        // after a while longer (the write sent, its check not getting through).
        let started = Date()
        let maxWait = Double(self.maxWait)
        let giveUp: @MainActor () -> Bool = {
            let waited = Date().timeIntervalSince(started)
            let queued = outbox.entries.first { $0.id == id }?.state == .queued && !outbox.isSending(id)
            return queued ? waited >= maxWait : waited >= maxWait + Self.answerPatience
        }
        let settlement = await settled([id], within: nil, giveUp: giveUp)[id]
        switch settlement {
        case .delivered(let answer)?: return answer
        case .refused(let error)?:
            outbox.discard(id)  // said here; it does not wait in :outbox
            fail(error, doing: doing)
        case .withdrawn?, nil:
            if outbox.withdraw([id]).isEmpty {
                say("\(doing): the server did not answer; the write is kept and checked on the next start of ventia, so it is not sent twice")
                exit(.unreachable)
            }
            if account.offline {
                say("\(doing) failed: the server cannot be reached; nothing was sent")
                exit(.unreachable)
            }
            let wait = client.rateBudget.snapshot().secondsUntilSlot
            say("\(doing): throttled: the rate budget is spent for \(max(1, wait))s more; nothing was sent (--max-wait SECONDS waits longer)")
            exit(.throttled)
        }
    }

    /// Seconds beyond `--max-wait` a sent write's answer (or its check) is waited for.
    static let answerPatience = 30.0

    /// Waits until every write among `ids` has settled, or `seconds` pass (nil: no limit); returns
    /// how each settled. `onSettled` hears each as it does (progress).
    /// `giveUp`, asked every second, ends the wait early when it says so.
    public func settled(
        _ ids: [String], within seconds: Int?, giveUp: (@MainActor () -> Bool)? = nil, onSettled: ((String, OutboxSettlement) -> Void)? = nil
    ) async -> [String: OutboxSettlement] {
        let wait = SettlementWait(outbox: account.outbox, ids: ids, onSettled: onSettled)
        return await withCheckedContinuation { continuation in
            MainActor.assumeIsolated {
                wait.start(continuation)
                if let seconds { account.after(Double(seconds)) { wait.finish() } }
                if let giveUp { ask(giveUp, every: 1, for: wait) }
            }
        }
    }

    private func ask(_ giveUp: @escaping @MainActor () -> Bool, every seconds: Double, for wait: SettlementWait) {
        account.after(seconds) { [weak self] in
            guard wait.continuation != nil else { return }
            if giveUp() { wait.finish() } else { self?.ask(giveUp, every: seconds, for: wait) }
        }
    }
}

/// Follows some of the outbox's writes until each has settled (or time is up).
@MainActor
final class SettlementWait {
    let outbox: Outbox
    let wanted: Set<String>
    let ids: [String]
    let onSettled: ((String, OutboxSettlement) -> Void)?
    var outcomes: [String: OutboxSettlement] = [:]
    var continuation: CheckedContinuation<[String: OutboxSettlement], Never>?
    var token: Int?

    init(outbox: Outbox, ids: [String], onSettled: ((String, OutboxSettlement) -> Void)?) {
        self.outbox = outbox
        self.ids = ids
        wanted = Set(ids)
        self.onSettled = onSettled
    }

    func start(_ continuation: CheckedContinuation<[String: OutboxSettlement], Never>) {
        self.continuation = continuation
        token = outbox.observeSettlements { [weak self] record, settlement in
            guard let self, self.wanted.contains(record.id), self.outcomes[record.id] == nil else { return }
            self.outcomes[record.id] = settlement
            self.onSettled?(record.id, settlement)
            if self.outcomes.count == self.wanted.count { self.finish() }
        }
        // Settled before anyone listened (the answer was already in).
        for id in ids where outcomes[id] == nil && !outbox.entries.contains(where: { $0.id == id }) {
            outcomes[id] = .delivered(nil)
        }
        if outcomes.count == wanted.count { finish() }
    }

    func finish() {
        guard let continuation else { return }
        self.continuation = nil
        if let token { outbox.stopObserving(token) }
        continuation.resume(returning: outcomes)
    }
}
