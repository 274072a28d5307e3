import Foundation

/// What the status line shows about the account's request budget.
public struct RateBudgetSnapshot: Sendable, Equatable {
    public var limit: Int
    public var remaining: Int
    /// Seconds until another request may go (0 when one may go now), or until the oldest counted one
    /// leaves the window when the budget is not full.
    public var secondsUntilSlot: Int
    /// Whether the server has refused us with 429 and its Retry-After has not yet passed.
    public var isThrottled: Bool
    /// Set when `limit` was learned from a 429 that came without rate headers.
    public var learnedLimit: Int?

    public init(limit: Int, remaining: Int, secondsUntilSlot: Int, isThrottled: Bool, learnedLimit: Int? = nil) {
        self.limit = limit
        self.remaining = remaining
        self.secondsUntilSlot = secondsUntilSlot
        self.isThrottled = isThrottled
        self.learnedLimit = learnedLimit
    }

    /// `API 187/200 · 23s`: remaining over limit, and the wait when there is one; a limit learned
    /// from a 429 says so (`API 12/20 learned`).
    public var statusText: String {
        let base = "API \(remaining)/\(limit)" + (learnedLimit != nil ? " learned" : "")
        return secondsUntilSlot > 0 ? base + " · \(secondsUntilSlot)s" : base
    }
}

/// The account's rolling request budget (200 per 60 s by default). It counts this process's requests,
/// trusts `X-RateLimit-*` headers when a server sends them, and honours `Retry-After` after a 429.
/// A 429 without rate headers teaches it the real limit: the requests it counted in the window
/// when the refusal came (the reference documents no headers), unless they were far fewer than
/// the limit it knew, which says others spent the window rather than what the limit is.
public final class RateBudget: @unchecked Sendable {
    /// Told of each change to the budget, with a snapshot of it.
    public typealias Observer = @Sendable (RateBudgetSnapshot) -> Void

    public let window: TimeInterval
    private let clock: any VentiaClock
    private let lock = NSLock()
    private var limit: Int
    private var sent: [Date] = []  // ascending send times inside the window
    private var blockedUntil: Date?
    private var serverView: (remaining: Int, observedAt: Date, resetAt: Date?)?
    private var sentSinceServerView = 0
    private var learnedLimit: Int?
    /// The server has sent rate headers: its limit is known, nothing is learned from a bare 429.
    private var sawRateHeaders = false
    /// The block `blockedUntil` ends came from a 429: once it passes, at least one request may go.
    private var honoursRetryAfter = false
    private var observers: [UUID: (DispatchQueue, Observer)] = [:]

    public init(limit: Int = 200, window: TimeInterval = 60, clock: any VentiaClock = SystemClock()) {
        self.limit = limit
        self.window = window
        self.clock = clock
    }

    /// Starts from a limit learned earlier (kept for the account between runs).
    public func adopt(learnedLimit: Int) {
        guard learnedLimit > 0 else { return }
        lock.withLock {
            self.learnedLimit = learnedLimit
            limit = learnedLimit
        }
        notify()
    }

    public func snapshot() -> RateBudgetSnapshot {
        lock.withLock { makeSnapshot(now: clock.now()) }
    }

    /// Nil when a request may go now; otherwise the whole seconds to wait.
    public func waitBeforeSending() -> Int? {
        lock.withLock {
            let snapshot = makeSnapshot(now: clock.now())
            return snapshot.remaining > 0 && !snapshot.isThrottled ? nil : max(1, snapshot.secondsUntilSlot)
        }
    }

    /// Counts a request as sent. Returns a token for `recordAnswer`.
    public func recordSend() -> Date {
        let now = clock.now()
        lock.withLock {
            sent.append(now)
            sentSinceServerView += 1
        }
        notify()
        return now
    }

    /// Adjusts the count by what the server said about the request sent at `sentAt`.
    public func recordAnswer(sentAt: Date, status: Int?, headers: [String: String]) {
        let now = clock.now()
        lock.withLock {
            // 401s and the refused 429 do not count against the budget, and neither does a request
            // that never reached the server, nor one a team gateway answered without going
            // upstream (`Ventia-Cache: copy` or `cached`; a plain Ventia server never says so).
            let servedByGateway = ["copy", "cached"].contains(headers["ventia-cache"]?.lowercased() ?? "")
            if status == nil || status == 401 || status == 429 || servedByGateway, let index = sent.firstIndex(of: sentAt) {
                sent.remove(at: index)
            }
            if status == 429 {
                let seconds = headers["retry-after"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? Int(window)
                blockedUntil = now.addingTimeInterval(TimeInterval(max(1, seconds)))
                honoursRetryAfter = true
                serverView = (0, now, blockedUntil)
                sentSinceServerView = 0
                if !sawRateHeaders && headers["x-ratelimit-limit"] == nil && headers["x-ratelimit-remaining"] == nil {
                    _ = makeSnapshot(now: now)  // drops what left the window
                    // Far fewer than the limit believed: others (an earlier run, colleagues) spent
                    // the window; this refusal says nothing about the limit.
                    // A limit learned before stands when fewer were counted this time: colleagues
                    // spent part of the window, which says nothing about the limit.
                    if sent.count >= max(2, limit / 10) {
                        let learned = max(sent.count, learnedLimit ?? 0)
                        learnedLimit = learned
                        limit = learned
                    }
                }
            }
            if let limitText = headers["x-ratelimit-limit"], let value = Int(limitText), value > 0 {
                limit = value
                learnedLimit = nil
                sawRateHeaders = true
            }
            if let remainingText = headers["x-ratelimit-remaining"], let remaining = Int(remainingText) {
                let reset = headers["x-ratelimit-reset"].flatMap(TimeInterval.init).map { Date(timeIntervalSince1970: $0) }
                serverView = (max(0, remaining), now, reset)
                sentSinceServerView = 0
            }
        }
        notify()
    }

    /// Calls `observer` on `queue` with every change, and once now, until the observation is cancelled or released.
    public func observe(on queue: DispatchQueue, _ observer: @escaping Observer) -> RateBudgetObservation {
        let id = UUID()
        let current = lock.withLock { () -> RateBudgetSnapshot in
            observers[id] = (queue, observer)
            return makeSnapshot(now: clock.now())
        }
        queue.async { observer(current) }
        return RateBudgetObservation { [weak self] in
            guard let self else { return }
            _ = self.lock.withLock { self.observers.removeValue(forKey: id) }
        }
    }

    private func notify() {
        let (current, targets) = lock.withLock { (makeSnapshot(now: clock.now()), Array(observers.values)) }
        for (queue, observer) in targets {
            queue.async { observer(current) }
        }
    }

    /// Must run under the lock.
    private func makeSnapshot(now: Date) -> RateBudgetSnapshot {
        let cutoff = now.addingTimeInterval(-window)
        if let firstInside = sent.firstIndex(where: { $0 > cutoff }) {
            sent.removeFirst(firstInside)
        } else {
            sent.removeAll()
        }
        var remaining = max(0, limit - sent.count)
        var wait = sent.first.map { WholeSeconds.until($0.addingTimeInterval(window), from: now) } ?? 0
        if let view = serverView {
            let stillValid = view.resetAt.map { now < $0 } ?? (now.timeIntervalSince(view.observedAt) < window)
            if stillValid {
                remaining = min(remaining, max(0, view.remaining - sentSinceServerView))
                if let resetAt = view.resetAt, remaining == 0 {
                    wait = max(wait, WholeSeconds.until(resetAt, from: now))
                }
            } else {
                serverView = nil
            }
        }
        var throttled = false
        if let until = blockedUntil {
            if now < until {
                // The server said when to come back; the requests still in the window do not matter.
                throttled = true
                remaining = 0
                wait = WholeSeconds.until(until, from: now)
            } else {
                blockedUntil = nil
                // The server said a request may go now: our count of the window yields to it.
                if honoursRetryAfter {
                    honoursRetryAfter = false
                    if sent.count >= limit { sent.removeFirst(sent.count - limit + 1) }
                    remaining = max(remaining, 1)
                }
            }
        }
        if remaining > 0 && !throttled && sent.isEmpty { wait = 0 }
        return RateBudgetSnapshot(limit: limit, remaining: remaining, secondsUntilSlot: max(0, wait), isThrottled: throttled, learnedLimit: learnedLimit)
    }
}

/// Ends an observation when cancelled or released.
public final class RateBudgetObservation: @unchecked Sendable {
    private let onCancel: @Sendable () -> Void
    private let lock = NSLock()
    private var cancelled = false

    init(onCancel: @escaping @Sendable () -> Void) { self.onCancel = onCancel }

    public func cancel() {
        let first = lock.withLock { () -> Bool in
            defer { cancelled = true }
            return !cancelled
        }
        if first { onCancel() }
    }

    deinit { cancel() }
}

/// Seconds to wait, rounded up, but not tipped over a whole second by floating-point noise.
public enum WholeSeconds {
    public static func until(_ date: Date, from now: Date) -> Int {
        max(0, Int((date.timeIntervalSince(now) - 0.001).rounded(.up)))
    }
}
