import Foundation

/// The team's budget as every answer tells it: the IETF httpapi draft's `RateLimit-Policy` and
/// `RateLimit`, and the `X-RateLimit-*` trio ventia already reads, so a client pointed at the
/// gateway shows the team's budget with no change.
struct RateHeaders {
    var limit: Int
    /// Requests agents may still make in the window (the reserve is never theirs).
    var remaining: Int
    /// Seconds until a slot frees.
    var resetSeconds: Int
    var window: Int

    init(_ decision: BudgetLedger.Decision, reserve: Int, window: Int, ageSeconds: Double = 0) {
        limit = decision.limit
        remaining = max(0, decision.limit - reserve - decision.used)
        resetSeconds = max(0, Int(ceil(decision.retryAfter - ageSeconds)))
        if decision.used == 0 { resetSeconds = 0 }
        self.window = window
    }

    var fields: [String: String] {
        [
            "RateLimit-Policy": "\"account\";q=\(limit);w=\(window)",
            "RateLimit": "\"account\";r=\(remaining);t=\(resetSeconds)",
            "X-RateLimit-Limit": String(limit),
            "X-RateLimit-Remaining": String(remaining),
            "X-RateLimit-Reset": String(Int(Date().timeIntervalSince1970) + resetSeconds),
        ]
    }
}

/// The last word this replica had from the ledger, for answers that did not ask it (cached ones).
final class LatestBudget: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: (decision: BudgetLedger.Decision, at: ContinuousClock.Instant)?

    func note(_ decision: BudgetLedger.Decision) { lock.withLock { latest = (decision, .now) } }

    func headers(reserve: Int, window: Int) -> [String: String] {
        guard let latest = lock.withLock({ latest }) else { return [:] }
        return RateHeaders(latest.decision, reserve: reserve, window: window, ageSeconds: (ContinuousClock.now - latest.at).seconds).fields
    }
}
