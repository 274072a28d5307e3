/// The stretch of days a sales review covers: a named period counted from today, every day there
/// are sales, or days the user typed.
public enum SalesPeriod: Sendable, Hashable {
    case thisWeek, lastWeek, thisMonth, lastMonth, last30Days, last90Days, thisYear, all
    case custom(DayRange)

    /// What `p` steps through, in order.
    public static let cycle: [SalesPeriod] = [.thisWeek, .lastWeek, .thisMonth, .lastMonth, .last30Days, .last90Days, .thisYear, .all]

    /// The next period of the cycle (a custom one is followed by the first).
    public var next: SalesPeriod {
        guard let index = Self.cycle.firstIndex(of: self), index + 1 < Self.cycle.count else { return Self.cycle[0] }
        return Self.cycle[index + 1]
    }

    /// The days covered when today is `today`. Weeks start on Monday; "this" periods run to today.
    /// `all` runs from the earliest day with a sale (today when there is none) to today, or to the
    /// latest sale's day when that is later.
    public func range(today: LocalDay, earliest: LocalDay? = nil, latest: LocalDay? = nil) -> DayRange {
        switch self {
        case .thisWeek: return DayRange(today.monday, today)
        case .lastWeek: return DayRange(today.monday.adding(days: -7), today.monday.adding(days: -1))
        case .thisMonth: return DayRange(today.firstOfMonth, today)
        case .lastMonth:
            let first = today.firstOfMonth(adding: -1)
            return DayRange(first, first.lastOfMonth)
        case .last30Days: return DayRange(today.adding(days: -29), today)
        case .last90Days: return DayRange(today.adding(days: -89), today)
        case .thisYear: return DayRange(LocalDay(year: today.year, month: 1, day: 1) ?? today, today)
        case .all: return DayRange(min(earliest ?? today, today), max(latest ?? today, today))
        case .custom(let range): return range
        }
    }

    /// The period a range of this kind is compared with: as many days, just before. Weeks are
    /// the week before; months and years start on the first of the month (or year) before and
    /// end as many days on, or at that month's end when it is shorter. `all` has none.
    public func previous(of range: DayRange) -> DayRange? {
        switch self {
        case .all: return nil
        case .thisWeek, .lastWeek: return DayRange(range.first.adding(days: -7), range.last.adding(days: -7))
        case .thisMonth, .lastMonth:
            let first = range.first.firstOfMonth(adding: -1)
            return DayRange(first, min(first.adding(days: range.dayCount - 1), first.lastOfMonth))
        case .thisYear:
            let first = LocalDay(year: range.first.year - 1, month: 1, day: 1) ?? range.first.adding(days: -365)
            let yearEnd = LocalDay(year: range.first.year - 1, month: 12, day: 31) ?? first
            return DayRange(first, min(first.adding(days: range.dayCount - 1), yearEnd))
        case .last30Days, .last90Days, .custom:
            return DayRange(range.first.adding(days: -range.dayCount), range.first.adding(days: -1))
        }
    }
}
