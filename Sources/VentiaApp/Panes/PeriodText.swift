import VentiaCore

/// Periods and days as the review writes them: `This week`, `16 – 18 Nov 2026`, `Tue 17 Nov 2026`.
enum PeriodText {
    /// `This week`, `Last 30 days`, `16 Nov – 22 Nov`
    static func name(_ period: SalesPeriod) -> String {
        switch period {
        case .thisWeek: "This week"
        case .lastWeek: "Last week"
        case .thisMonth: "This month"
        case .lastMonth: "Last month"
        case .last30Days: "Last 30 days"
        case .last90Days: "Last 90 days"
        case .thisYear: "This year"
        case .all: "All sales"
        case .custom: "From–to"
        }
    }

    /// What a period's read reads: `this week's sales`, `every sale`.
    static func phrase(_ period: SalesPeriod) -> String {
        switch period {
        case .thisWeek: "this week's sales"
        case .lastWeek: "last week's sales"
        case .thisMonth: "this month's sales"
        case .lastMonth: "last month's sales"
        case .last30Days: "the last 30 days' sales"
        case .last90Days: "the last 90 days' sales"
        case .thisYear: "this year's sales"
        case .all: "every sale"
        case .custom(let range): "the sales of " + text(range)
        }
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// `16 Nov`, with the year when asked.
    static func text(_ day: LocalDay, year: Bool = false) -> String {
        "\(day.day) \(months[day.month - 1])" + (year ? " \(day.year)" : "")
    }

    /// `16 – 18 Nov 2026`, `28 Nov – 4 Dec 2026`, `1 Dec 2025 – 4 Jan 2026`, `18 Nov 2026`
    static func text(_ range: DayRange) -> String {
        let (first, last) = (range.first, range.last)
        if first == last { return "\(weekdays[first.isoWeekday - 1]) " + text(first, year: true) }
        if first.year != last.year { return text(first, year: true) + " – " + text(last, year: true) }
        if first.month != last.month { return text(first) + " – " + text(last, year: true) }
        return "\(first.day) – " + text(last, year: true)
    }
}
