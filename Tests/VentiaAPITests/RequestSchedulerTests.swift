import Foundation
import Testing
@testable import VentiaAPI

/// Lanes, reserves and pacing, on a manual clock: a wake-up runs when the test moves time past it.
@Suite struct RequestSchedulerTests {
    final class Wakes: @unchecked Sendable {
        let clock: ManualClock
        private let lock = NSLock()
        private var pending: [(at: Date, work: @Sendable () -> Void)] = []
        init(clock: ManualClock) { self.clock = clock }

        var wake: RequestScheduler.Wake {
            { [self] seconds, work in lock.withLock { pending.append((clock.now().addingTimeInterval(seconds), work)) } }
        }

        /// Moves time on by `seconds`, running each wake-up that falls due.
        func advance(by seconds: TimeInterval) {
            clock.advance(by: seconds)
            let due = lock.withLock { () -> [@Sendable () -> Void] in
                let now = clock.now()
                let ready = pending.filter { $0.at <= now }.map(\.work)
                pending.removeAll { $0.at <= now }
                return ready
            }
            for work in due { work() }
        }
    }

    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [String] = []
        var all: [String] { lock.withLock { entries } }
        func add(_ entry: String) { lock.withLock { entries.append(entry) } }
    }

    @Test func theOutboxGoesBeforeTheBackgroundAndEachLaneKeepsItsReserve() {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let wakes = Wakes(clock: clock)
        let budget = RateBudget(limit: 20, clock: clock)
        let scheduler = RequestScheduler(budget: budget, wake: wakes.wake)
        let log = Log()
        func job(_ name: String) -> @Sendable () -> Void { { _ = budget.recordSend(); log.add(name) } }
        // Twelve requests already spent this minute, by this app or a colleague's.
        for _ in 0..<12 { _ = budget.recordSend() }
        for index in 0..<3 { scheduler.submit(.background, job("sync\(index)")) }
        #expect(log.all == [], "8 left is not above the background's reserve of 10")
        for index in 0..<7 { scheduler.submit(.outbox, job("note\(index)")) }
        #expect(log.all == (0..<6).map { "note\($0)" }, "the outbox goes until 2 are left for the user")
        #expect(scheduler.submit(.interactive, job("open")) == .started)
        #expect(scheduler.submit(.interactive, job("open2")) == .started)
        if case .refused(let wait) = scheduler.submit(.interactive, job("refused")) {
            #expect(wait == 60, "spent: the user is told how long, nothing waits unseen")
        } else {
            Issue.record("expected a refusal")
        }
        #expect(scheduler.queuedCount(.outbox) == 1 && scheduler.queuedCount(.background) == 3)
        wakes.advance(by: 61)
        #expect(log.all.suffix(4) == ["note6", "sync0", "sync1", "sync2"], "once the window frees: the outbox first, then the sync")
        #expect(scheduler.queuedCount(.outbox) == 0 && scheduler.queuedCount(.background) == 0)
    }

    @Test func theBackgroundIsPacedByTheWindowAndAWithdrawnRequestNeverGoes() {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let wakes = Wakes(clock: clock)
        let budget = RateBudget(limit: 30, clock: clock)
        let scheduler = RequestScheduler(budget: budget, wake: wakes.wake)
        let log = Log()
        let withdrawn = UUID()
        for index in 0..<40 {
            let id = index == 35 ? withdrawn : UUID()
            scheduler.submit(.background, id: id) { _ = budget.recordSend(); log.add("page\(index)") }
        }
        #expect(log.all.count == 20, "30 less a reserve of 10")
        #expect(scheduler.withdraw(withdrawn))
        wakes.advance(by: 30)
        #expect(log.all.count == 20, "nothing left the window yet")
        wakes.advance(by: 31)
        #expect(log.all.count == 39, "every other page once the first ones left the window")
        #expect(!log.all.contains("page35"))
        #expect(!scheduler.withdraw(withdrawn))
    }

    @Test func aRetriedGetWaitsForRoomInItsLaneAndCountsAgainstTheBudget() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let wakes = Wakes(clock: clock)
        let budget = RateBudget(limit: 30, clock: clock)
        let transport = ScriptedTransport(statuses: [503, 503, 200])
        let policy = RetryPolicy(attempts: 4, schedule: { _, work in work() })
        let client = VentiaClient(
            configuration: VentiaConfiguration(baseURL: URL(string: "http://127.0.0.1:9/api/v1.0")!, apiKey: APIKey("K")), transport: transport,
            rateBudget: budget, retryPolicy: policy, wake: wakes.wake)
        for _ in 0..<18 { _ = budget.recordSend() }
        let outcome = Log()
        client.listContacts(page: 3, limit: 100, lane: .background, on: .global()) { result in
            outcome.add((try? result.get()).map { "\($0.count) contacts" } ?? "failed")
        }
        #expect(transport.sent == 2, "the first try and one retry fit above the reserve; the next waits")
        #expect(budget.snapshot().remaining == 10)
        wakes.advance(by: 61)
        try await Task.sleep(for: .milliseconds(50))
        #expect(transport.sent == 3)
        #expect(outcome.all == ["0 contacts"])
    }
}

@Suite struct LaneHeaderTests {
    /// A team gateway orders requests by the lane each one names; a plain Ventia ignores the header.
    @Test func everyRequestNamesItsLaneForAGateway() async throws {
        let transport = ScriptedTransport(statuses: [])
        let client = VentiaClient(
            configuration: VentiaConfiguration(baseURL: URL(string: "http://127.0.0.1:9/api/v1.0")!, apiKey: APIKey("K")), transport: transport)
        for lane in [RequestLane.interactive, .outbox, .background] {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                client.listContacts(page: 0, limit: 1, lane: lane, on: .global()) { _ in done.resume() }
            }
        }
        #expect(transport.lanes == ["interactive", "write", "background"])
        #expect(RequestLane(headerValue: "Background") == .background)
        #expect(RequestLane(headerValue: "bulk") == .interactive)
        #expect(RequestLane(headerValue: nil) == .interactive)
    }
}

/// Answers each request with the next status of its script (an empty list for a 200).
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [Int]
    private var count = 0
    private var sentLanes: [String] = []
    var sent: Int { lock.withLock { count } }
    /// The `Ventia-Lane` header of each request, in order.
    var lanes: [String] { lock.withLock { sentLanes } }

    init(statuses: [Int]) { self.statuses = statuses }

    func send(_ request: HTTPRequest, completion: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> any Cancellable {
        let status = lock.withLock { () -> Int in
            count += 1
            sentLanes.append(request.headers["Ventia-Lane"] ?? "none")
            return statuses.isEmpty ? 200 : statuses.removeFirst()
        }
        completion(.success(HTTPResponse(status: status, body: Data(status == 200 ? "[]".utf8 : "{}".utf8))))
        return Done()
    }

    struct Done: Cancellable { func cancel() {} }
}
