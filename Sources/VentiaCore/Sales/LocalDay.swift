import Foundation
import VentiaAPI

/// A calendar day where the user is (a sale's day is the local day of its `date_sale`), with
/// arithmetic that no time zone or daylight-saving change can shift.
public struct LocalDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil when the three do not name a real day.
    public init?(year: Int, month: Int, day: Int) {
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: Self.arithmetic) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day `date` falls on in `calendar`'s time zone.
    public init(_ date: Date, in calendar: Calendar) {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        year = parts.year ?? 1970
        month = parts.month ?? 1
        day = parts.day ?? 1
    }

    /// `2026-11-30` (or `2026/11/30`), read as the API reads a sale's day; nil for anything else or no real day.
    public init?(_ text: String) {
        guard let date = VentiaDate.parseDay(text.trimmingCharacters(in: .whitespaces)) else { return nil }
        self.init(date, in: Self.arithmetic)
    }

    /// `2026-11-30`
    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// Midnight of this day in `calendar`'s time zone.
    public func start(in calendar: Calendar) -> Date {
        calendar.date(from: DateComponents(year: year, month: month, day: day)) ?? Date(timeIntervalSince1970: 0)
    }

    public func adding(days: Int) -> LocalDay {
        LocalDay(ordinal: ordinal + days)
    }

    /// Days from this one to `other` (negative when `other` is before).
    public func days(to other: LocalDay) -> Int { other.ordinal - ordinal }

    /// 1 Monday … 7 Sunday.
    public var isoWeekday: Int { ((ordinal % 7) + 7 + 3) % 7 + 1 }  // 1970-01-01 was a Thursday

    /// The Monday of this day's week.
    public var monday: LocalDay { adding(days: 1 - isoWeekday) }

    public var firstOfMonth: LocalDay { LocalDay(checked: year, month, 1) }

    public var lastOfMonth: LocalDay {
        let next = month == 12 ? LocalDay(checked: year + 1, 1, 1) : LocalDay(checked: year, month + 1, 1)
        return next.adding(days: -1)
    }

    /// The first of the month `months` months away.
    public func firstOfMonth(adding months: Int) -> LocalDay {
        let index = year * 12 + (month - 1) + months
        return LocalDay(checked: index / 12, index % 12 + 1, 1)
    }

    public static func < (a: LocalDay, b: LocalDay) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    // MARK: Arithmetic

    /// Days since 1970-01-01.
    var ordinal: Int {
        let date = Self.arithmetic.date(from: DateComponents(year: year, month: month, day: day)) ?? Date(timeIntervalSince1970: 0)
        return Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    init(ordinal: Int) {
        self.init(Date(timeIntervalSince1970: Double(ordinal) * 86_400), in: Self.arithmetic)
    }

    private init(checked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Gregorian in UTC: whole days of 86,400 seconds.
    static let arithmetic: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        return calendar
    }()
}

/// The days from `first` to `last`, both included.
public struct DayRange: Sendable, Hashable, CustomStringConvertible {
    public let first: LocalDay
    public let last: LocalDay

    /// Orders the two days when they come the wrong way round.
    public init(_ first: LocalDay, _ last: LocalDay) {
        self.first = min(first, last)
        self.last = max(first, last)
    }

    public var dayCount: Int { first.days(to: last) + 1 }

    public func contains(_ day: LocalDay) -> Bool { first <= day && day <= last }

    /// The range's days, in order.
    public var days: [LocalDay] { (0..<dayCount).map { first.adding(days: $0) } }

    /// `2026-11-01 – 2026-11-30`
    public var description: String { "\(first) – \(last)" }

    /// Where the days of `other` that this range holds stand among this range's days (0 its first);
    /// nil when it holds none of them.
    public func offsets(of other: DayRange) -> ClosedRange<Int>? {
        let start = max(0, first.days(to: other.first))
        let end = min(dayCount - 1, first.days(to: other.last))
        return start <= end ? start...end : nil
    }
}
