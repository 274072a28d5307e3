import Foundation
import VentiaAPI

/// Totals of the loaded sales: by status, by user, and per day.
public struct SalesOverview: Sendable, Equatable {
    public struct Total: Sendable, Equatable {
        public var label: String
        public var count: Int
        public var value: Double
    }

    public var byStatus: [Total]
    public var byUser: [Total]
    /// Sales per day, oldest first, every day of the range present (zero when none).
    public var perDay: [(day: String, count: Int)]

    public static func == (lhs: SalesOverview, rhs: SalesOverview) -> Bool {
        lhs.byStatus == rhs.byStatus && lhs.byUser == rhs.byUser && lhs.perDay.map(\.day) == rhs.perDay.map(\.day)
            && lhs.perDay.map(\.count) == rhs.perDay.map(\.count)
    }

    public init(sales: [Sale], timeZone: TimeZone = .current) {
        func totals(_ key: (Sale) -> String) -> [Total] {
            var table: [String: Total] = [:]
            for sale in sales {
                let label = key(sale)
                table[label, default: Total(label: label, count: 0, value: 0)].count += 1
                table[label]?.value += sale.value ?? 0
            }
            return table.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0.label < $1.label }
        }
        byStatus = totals { $0.status ?? "—" }
        byUser = totals { $0.userDisplayName.isEmpty ? "—" : $0.userDisplayName }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let days = sales.compactMap { $0.dateSale ?? $0.date }.map { calendar.startOfDay(for: $0) }
        guard let first = days.min(), let last = days.max() else {
            perDay = []
            return
        }
        var counts: [Date: Int] = [:]
        for day in days { counts[day, default: 0] += 1 }
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "MM-dd"
        var result: [(String, Int)] = []
        var day = first
        while day <= last, result.count < 400 {
            result.append((formatter.string(from: day), counts[day] ?? 0))
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        perDay = result
    }
}
