import VentiaAPI

/// What a bulk action will cost before it is sent: requests, the budget left this minute, and
/// roughly how long the scheduler will take at the current pace.
public struct BulkCost: Sendable, Equatable {
    public var writes: Int
    public var requests: Int
    public var remaining: Int
    public var limit: Int
    public var secondsUntilSlot: Int

    public init(writes: Int, requestsEach: Int = 1, budget: RateBudgetSnapshot) {
        self.writes = writes
        requests = writes * requestsEach
        remaining = budget.remaining
        limit = budget.limit
        secondsUntilSlot = budget.isThrottled ? max(1, budget.secondsUntilSlot) : budget.secondsUntilSlot
    }

    /// The outbox lane leaves a couple of requests for what the user does meanwhile.
    var perMinute: Int { max(1, limit - RequestLane.outbox.reserve(of: limit)) }
    var availableNow: Int { max(0, remaining - RequestLane.outbox.reserve(of: limit)) }

    /// Whole minutes the writes take at the budget's pace (0: they fit in what is left now).
    public var minutes: Int {
        let beyond = requests - availableNow
        guard beyond > 0 else { return 0 }
        let windows = (beyond + perMinute - 1) / perMinute
        return max(1, Int((Double(secondsUntilSlot) + Double(windows - 1) * 60 + 59) / 60))
    }

    /// `40 transfers · 40 requests · 143 left this minute · under a minute at the current pace`
    /// (`noun` is the singular: `transfer`).
    public func summary(noun: String) -> String {
        let pace = minutes == 0 ? "under a minute at the current pace" : "about \(minutes) min at the current pace"
        return "\(writes) \(noun)\(writes == 1 ? "" : "s") · \(requests) request\(requests == 1 ? "" : "s") · \(remaining) left this minute · \(pace)"
    }
}
