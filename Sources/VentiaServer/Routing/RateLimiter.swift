import Foundation
import VentiaAPI

/// Per-account rolling-window limiter: `limit` requests in any `window` seconds.
final class RateLimiter: @unchecked Sendable {
    struct Decision {
        var allowed: Bool
        var remaining: Int
        /// Whole seconds until the oldest counted request leaves the window.
        var retryAfter: Int
        /// Unix seconds at which a slot frees.
        var resetAt: Int
    }

    let limit: Int
    let window: TimeInterval
    private let clock: any VentiaClock
    private let lock = NSLock()
    private var sent: [String: [Date]] = [:]

    init(limit: Int, window: TimeInterval, clock: any VentiaClock) {
        self.limit = limit
        self.window = window
        self.clock = clock
    }

    /// Counts a request for `account` if the window has room; a refused request is not counted.
    func admit(account: String) -> Decision {
        let now = clock.now()
        return lock.withLock {
            let cutoff = now.addingTimeInterval(-window)
            var times = sent[account, default: []]
            if let firstInside = times.firstIndex(where: { $0 > cutoff }) {
                times.removeFirst(firstInside)
            } else {
                times.removeAll()
            }
            let allowed = times.count < limit
            if allowed { times.append(now) }
            sent[account] = times
            let oldest = times.first ?? now
            let freeAt = oldest.addingTimeInterval(window)
            let wait = max(1, WholeSeconds.until(freeAt, from: now))
            return Decision(
                allowed: allowed, remaining: max(0, limit - times.count), retryAfter: wait,
                resetAt: Int(freeAt.timeIntervalSince1970.rounded(.up)))
        }
    }
}
