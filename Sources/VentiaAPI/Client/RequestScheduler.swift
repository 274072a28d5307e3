import Foundation

/// Which requests go first when the account's budget is short.
public enum RequestLane: Int, Sendable, Comparable, CaseIterable {
    /// What the user is waiting for on screen: sent at once, or refused with the wait when the
    /// budget is spent (the screen says so; it never waits unseen).
    case interactive
    /// Writes the user made: queued until the budget has room beyond the interactive reserve.
    case outbox
    /// Sync on leftover budget (the mirror's backfill): queued until a fifth of the limit is free.
    case background

    public static func < (a: RequestLane, b: RequestLane) -> Bool { a.rawValue < b.rawValue }

    /// The header that tells a team gateway the lane (a plain Ventia ignores it).
    public static let headerName = "Ventia-Lane"

    /// The lane's name in `Ventia-Lane`.
    public var headerValue: String {
        switch self {
        case .interactive: "interactive"
        case .outbox: "write"
        case .background: "background"
        }
    }

    /// The lane a `Ventia-Lane` value names; a missing or unknown one is interactive, so a client
    /// that sends none is served as a person at a screen.
    public init(headerValue: String?) {
        self = Self.allCases.first { $0.headerValue == headerValue?.lowercased() } ?? .interactive
    }

    /// Requests this lane leaves unspent in the window for the lanes before it.
    public func reserve(of limit: Int) -> Int {
        switch self {
        case .interactive: 0
        case .outbox: min(2, limit / 4)
        case .background: min(max(10, limit / 5), limit / 2)
        }
    }
}

/// Every request of a client passes here: interactive ones go at once while the budget has any
/// room; queued ones (outbox, then background) go in lane order as room appears beyond their
/// lane's reserve, woken by a timer when the window frees. Time comes from the budget's clock and
/// the injected `wake`, so tests drive it without sleeping.
public final class RequestScheduler: @unchecked Sendable {
    /// Runs `work` after `seconds`: the real timer, or one a test fires.
    public typealias Wake = @Sendable (_ seconds: Double, _ work: @escaping @Sendable () -> Void) -> Void

    /// What became of a submitted request.
    public enum Admission: Sendable, Equatable {
        case started
        /// Interactive only: the budget is spent for this many seconds.
        case refused(wait: Int)
        case queued
    }

    public let budget: RateBudget
    private let wake: Wake
    private let lock = NSLock()
    private var queues: [RequestLane: [(id: UUID, start: @Sendable () -> Void)]] = [:]
    private var pumping = false
    private var pumpAgain = false
    private var wakeAt: Date?

    public init(budget: RateBudget, wake: @escaping Wake = { seconds, work in DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: work) }) {
        self.budget = budget
        self.wake = wake
    }

    /// Requests waiting in `lane`.
    public func queuedCount(_ lane: RequestLane) -> Int { lock.withLock { queues[lane]?.count ?? 0 } }

    /// Runs `start` (which sends one request, counting it in the budget) now or later, by lane.
    /// `id` lets a queued request be withdrawn.
    @discardableResult
    public func submit(_ lane: RequestLane, id: UUID = UUID(), _ start: @escaping @Sendable () -> Void) -> Admission {
        if lane == .interactive {
            if let wait = budget.waitBeforeSending() { return .refused(wait: wait) }
            start()
            return .started
        }
        lock.withLock { queues[lane, default: []].append((id, start)) }
        pump()
        return queuedCount(lane) > 0 && lock.withLock({ queues[lane]?.contains { $0.id == id } ?? false }) ? .queued : .started
    }

    /// Takes a queued request out; false when it already started.
    @discardableResult
    public func withdraw(_ id: UUID) -> Bool {
        lock.withLock {
            for lane in RequestLane.allCases {
                if let index = queues[lane]?.firstIndex(where: { $0.id == id }) {
                    queues[lane]?.remove(at: index)
                    return true
                }
            }
            return false
        }
    }

    /// Starts what the budget allows, one request at a time (each counts itself before the next
    /// decision), and sets a wake-up for the rest.
    public func pump() {
        let first = lock.withLock { () -> Bool in
            if pumping {
                pumpAgain = true
                return false
            }
            pumping = true
            return true
        }
        guard first else { return }
        while true {
            let next = lock.withLock { () -> (@Sendable () -> Void)? in
                let snapshot = budget.snapshot()
                for lane in RequestLane.allCases where lane != .interactive {
                    guard let queue = queues[lane], !queue.isEmpty else { continue }
                    guard !snapshot.isThrottled, snapshot.remaining > lane.reserve(of: snapshot.limit) else { break }
                    return queues[lane]?.removeFirst().start
                }
                return nil
            }
            if let next {
                next()
                continue
            }
            let (again, sleep) = lock.withLock { () -> (Bool, Double?) in
                if pumpAgain {
                    pumpAgain = false
                    return (true, nil)
                }
                pumping = false
                guard queues.values.contains(where: { !$0.isEmpty }) else { return (false, nil) }
                let seconds = Double(max(1, budget.snapshot().secondsUntilSlot))
                let at = Date().addingTimeInterval(seconds)
                if let wakeAt, wakeAt <= at { return (false, nil) }
                wakeAt = at
                return (false, seconds)
            }
            if again { continue }
            if let sleep {
                wake(sleep) { [weak self] in
                    guard let self else { return }
                    self.lock.withLock { self.wakeAt = nil }
                    self.pump()
                }
            }
            return
        }
    }
}
