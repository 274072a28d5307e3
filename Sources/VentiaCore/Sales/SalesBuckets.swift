/// The period cut into bars that fit: a bar a day, else a week (Monday to Sunday), a month or a
/// year, the first and last cut to the period.
public struct SalesBuckets: Sendable, Equatable {
    public enum Unit: String, Sendable, Equatable, CaseIterable {
        case day, week, month, year
    }

    public let unit: Unit
    public let ranges: [DayRange]

    /// The finest unit whose bars number at most `maximum` (at least one bar).
    public init(_ range: DayRange, fitting maximum: Int) {
        for unit in Unit.allCases {
            let ranges = Self.cut(range, by: unit)
            if ranges.count <= max(1, maximum) || unit == .year {
                self.unit = unit
                self.ranges = ranges
                return
            }
        }
        unit = .year
        ranges = Self.cut(range, by: .year)
    }

    static func cut(_ range: DayRange, by unit: Unit) -> [DayRange] {
        var result: [DayRange] = []
        var start = range.first
        while start <= range.last {
            let end: LocalDay
            switch unit {
            case .day: end = start
            case .week: end = start.monday.adding(days: 6)
            case .month: end = start.lastOfMonth
            case .year: end = LocalDay(year: start.year, month: 12, day: 31) ?? start
            }
            result.append(DayRange(start, min(end, range.last)))
            start = end.adding(days: 1)
        }
        return result
    }

    /// `values` (one a day of `range`) summed into the bars.
    public func sum(_ values: [Int], over range: DayRange) -> [Int] {
        ranges.map { bucket in range.offsets(of: bucket).map { values[$0].reduce(0, +) } ?? 0 }
    }
}
