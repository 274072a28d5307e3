import VentiaAPI

/// Counts and sums of a set of sales: in all, by outcome, and those left out of goals.
public struct SalesFigures: Sendable, Equatable {
    /// How a sale ended, from its status (any case) or, without one, its `sold` and `cancel` flags.
    public enum Outcome: Sendable, Equatable {
        case sold, pending, cancelled, other

        public init(_ sale: Sale) {
            switch sale.status?.uppercased() {
            case "SOLD"?: self = .sold
            case "PENDING"?: self = .pending
            case "CANCELLED"?: self = .cancelled
            case nil: self = sale.cancel == true ? .cancelled : (sale.sold == true ? .sold : .other)
            default: self = .other
            }
        }
    }

    public var count = 0
    /// Every sale's `value`, whatever its outcome.
    public var value = 0.0
    public var sold = 0
    public var soldValue = 0.0
    public var pending = 0
    public var pendingValue = 0.0
    public var cancelled = 0
    public var cancelledValue = 0.0
    /// Sales flagged `remove_from_goal` (counted above too: they only do not count toward a goal).
    public var offGoal = 0
    public var offGoalValue = 0.0
    /// Sold value that counts toward a goal.
    public var soldTowardGoal = 0.0

    public init() {}

    public mutating func add(_ sale: Sale) {
        let value = sale.value ?? 0
        count += 1
        self.value += value
        switch Outcome(sale) {
        case .sold:
            sold += 1
            soldValue += value
            if sale.removeFromGoal != true { soldTowardGoal += value }
        case .pending:
            pending += 1
            pendingValue += value
        case .cancelled:
            cancelled += 1
            cancelledValue += value
        case .other: break
        }
        if sale.removeFromGoal == true {
            offGoal += 1
            offGoalValue += value
        }
    }

    public mutating func add(_ other: SalesFigures) {
        count += other.count
        value += other.value
        sold += other.sold
        soldValue += other.soldValue
        pending += other.pending
        pendingValue += other.pendingValue
        cancelled += other.cancelled
        cancelledValue += other.cancelledValue
        offGoal += other.offGoal
        offGoalValue += other.offGoalValue
        soldTowardGoal += other.soldTowardGoal
    }

    /// Sold among all sales, 0…1; nil without sales.
    public var soldRate: Double? { count == 0 ? nil : Double(sold) / Double(count) }
    /// Cancelled among all sales, 0…1; nil without sales.
    public var cancelledRate: Double? { count == 0 ? nil : Double(cancelled) / Double(count) }
    /// The average value of a sold sale; nil without one.
    public var averageTicket: Double? { sold == 0 ? nil : soldValue / Double(sold) }
}
