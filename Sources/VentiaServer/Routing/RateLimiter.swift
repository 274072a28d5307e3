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
    private var windows: [String: Window] = [:]

    /// One account's counted requests, oldest first; mutated in place, never copied per request
    /// (with a raised limit it holds every request of the last window).
    private struct Window {
        var times: [Date] = []
        var start = 0
        var count: Int { times.count - start }
        var oldest: Date? { start < times.count ? times[start] : nil }

        mutating func drop(through cutoff: Date) {
            while start < times.count, times[start] <= cutoff { start += 1 }
            if start > 1024, start * 2 > times.count {
                times.removeFirst(start)
                start = 0
            }
        }
    }

    init(limit: Int, window: TimeInterval, clock: any VentiaClock) {
        self.limit = limit
        self.window = window
        self.clock = clock
    }

    /// Counts a request for `account` if the window has room; a refused request is not counted.
    func admit(account: String) -> Decision {
        let now = clock.now()
        return lock.withLock {
            let (allowed, count, oldest) = Self.count(now, in: &windows[account, default: Window()], cutoff: now.addingTimeInterval(-window), limit: limit)
            let freeAt = (oldest ?? now).addingTimeInterval(window)
            let wait = max(1, WholeSeconds.until(freeAt, from: now))
            return Decision(
                allowed: allowed, remaining: max(0, limit - count), retryAfter: wait,
                resetAt: Int(freeAt.timeIntervalSince1970.rounded(.up)))
        }
    }

    private static func count(_ now: Date, in window: inout Window, cutoff: Date, limit: Int) -> (Bool, Int, Date?) {
        window.drop(through: cutoff)
        let allowed = window.count < limit
        if allowed { window.times.append(now) }
        return (allowed, window.count, window.oldest)
    }
}
