import Foundation

/// Dates as the panes show them, in the user's time zone.
struct DateText {
    let timeZone: TimeZone
    private let full: DateFormatter
    private let short: DateFormatter
    private let year: DateFormatter
    private let clock: DateFormatter

    init(timeZone: TimeZone) {
        self.timeZone = timeZone
        func formatter(_ format: String) -> DateFormatter {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = timeZone
            formatter.dateFormat = format
            return formatter
        }
        full = formatter("yyyy-MM-dd HH:mm")
        short = formatter("d MMM")
        year = formatter("yyyy")
        clock = formatter("HH:mm")
    }

    /// `14:02` today, `26 Nov 14:02` before: how old the local copy is.
    func asOf(_ date: Date, now: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let time = clock.string(from: date)
        return calendar.isDate(date, inSameDayAs: now) ? time : short.string(from: date) + " " + time
    }

    func full(_ date: Date?) -> String { date.map { full.string(from: $0) } ?? "—" }

    /// `5m`, `3h`, `2d`, then `12 Nov`, and the year alone (as `ls -l` does) for dates more than
    /// about ten months away, where a day and month would read as this year's.
    func relative(_ date: Date?, now: Date) -> String {
        guard let date else { return "—" }
        let seconds = now.timeIntervalSince(date)
        if abs(seconds) > 86400 * 300 { return year.string(from: date) }
        if seconds < 0 { return short.string(from: date) }
        if seconds < 60 { return "now" }
        if seconds < 3600 { return "\(Int(seconds / 60))m" }
        if seconds < 86400 { return "\(Int(seconds / 3600))h" }
        if seconds < 86400 * 14 { return "\(Int(seconds / 86400))d" }
        return short.string(from: date)
    }
}
