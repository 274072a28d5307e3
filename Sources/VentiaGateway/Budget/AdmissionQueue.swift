import Foundation
import VentiaAPI

/// A replica's waiting room in front of the ledger. Every request that must go upstream waits
/// here for its reservation; one loop serves them in lane order and each agent in turn, asks the
/// ledger, and when the window is full sleeps until a slot frees, a request of a higher lane comes,
/// or someone's wait runs out (then they get 429 with the wait).
actor AdmissionQueue {
    enum Outcome: Sendable {
        case admitted(BudgetLedger.Decision)
        /// The wait ran out; the budget frees in `retryAfter` seconds.
        case refused(retryAfter: Double, BudgetLedger.Decision?)
        case unavailable(GatewayDatabaseError)
    }

    private struct Waiter {
        var continuation: CheckedContinuation<Outcome, Never>
        var deadline: ContinuousClock.Instant
        var enqueued: ContinuousClock.Instant
    }

    private let ledger: BudgetLedger
    private let maximumWait: Duration
    private let metrics: GatewayMetrics
    private var queue = FairQueue<Waiter>(first: [CopySync.agent])
    private var nextID = 0
    private var pumping = false
    private var sleeper: CheckedContinuation<Void, Never>?
    private var timer: Task<Void, Never>?
    /// The lane the ledger last refused: only a request of a higher lane is worth waking for.
    private var refusedLane: RequestLane?
    private(set) var lastDecision: BudgetLedger.Decision?

    init(ledger: BudgetLedger, maximumWait: Double, metrics: GatewayMetrics) {
        self.ledger = ledger
        self.maximumWait = .milliseconds(Int64(max(0, maximumWait) * 1000))
        self.metrics = metrics
    }

    /// Waits for a slot in the team's budget on `lane`.
    func admit(agent: String, lane: RequestLane) async -> Outcome {
        await withCheckedContinuation { continuation in
            let now = ContinuousClock.now
            queue.append(Waiter(continuation: continuation, deadline: now + maximumWait, enqueued: now), id: nextID, agent: agent, lane: lane)
            nextID += 1
            metrics.queueDepth(lane, queue.count(in: lane))
            if !pumping {
                pumping = true
                Task { await self.pump() }
            } else if let refused = refusedLane, lane < refused {
                wake()
            }
        }
    }

    private func pump() async {
        while !queue.isEmpty {
            let now = ContinuousClock.now
            for expired in queue.removeAll(where: { $0.deadline <= now }) {
                expired.continuation.resume(returning: .refused(retryAfter: lastDecision?.retryAfter ?? 1, lastDecision))
            }
            refreshDepths()
            guard let next = queue.peek() else { break }
            let decision: BudgetLedger.Decision
            let started = ContinuousClock.now
            do {
                decision = try await ledger.reserve(lane: next.lane, agent: next.agent)
                metrics.ledgerTransaction(ContinuousClock.now - started)
            } catch {
                metrics.ledgerTransaction(ContinuousClock.now - started)
                // PostgreSQL is down: this request fails at once (nothing was forwarded); the next tries again.
                queue.take(id: next.id, agent: next.agent, lane: next.lane)?.continuation.resume(returning: .unavailable(error))
                continue
            }
            lastDecision = decision
            if decision.reserved {
                refusedLane = nil
                if let waiter = queue.take(id: next.id, agent: next.agent, lane: next.lane) {
                    metrics.queueWait(next.lane, ContinuousClock.now - waiter.enqueued)
                    waiter.continuation.resume(returning: .admitted(decision))
                }
                continue
            }
            refusedLane = next.lane
            // Other replicas' slots free too: look again at the latest after a second.
            var pause = min(max(decision.retryAfter, 0.02), 1.0)
            if let soonest = soonestDeadline() { pause = min(pause, max(0.001, (soonest - ContinuousClock.now).seconds)) }
            await sleep(seconds: pause)
        }
        refreshDepths()
        pumping = false
    }

    private func soonestDeadline() -> ContinuousClock.Instant? { queue.items.map(\.deadline).min() }

    private func refreshDepths() {
        for lane in RequestLane.allCases { metrics.queueDepth(lane, queue.count(in: lane)) }
    }

    private func sleep(seconds: Double) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            sleeper = continuation
            timer = Task {
                try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                self.wake()
            }
        }
    }

    private func wake() {
        timer?.cancel()
        timer = nil
        if let sleeper {
            self.sleeper = nil
            sleeper.resume()
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
