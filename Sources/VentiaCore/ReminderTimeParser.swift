import Foundation
import TextSearch
import VentiaAPI

/// Reads the times people type for a reminder, in their local time zone:
/// ISO (`2026-12-01T10:00:00Z`, `2026-12-01 10:00`, `2026-12-01`), offsets (`+2h`, `+30m`, `+1d`,
/// `in 2h`), days (`today 18:00`, `tomorrow 9:00`, `mañana 9`), weekdays (`fri 15:30`, `vie 15:30`)
/// and a bare time (`9:00`, the next time the clock shows it).
public struct ReminderTimeParser: Sendable {
    public var calendar: Calendar
    /// A day without a time means this hour.
    public var defaultHour = 9

    public init(timeZone: TimeZone = .current) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        self.calendar = calendar
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unreadable(String)
        case inThePast

        public var description: String {
            switch self {
            case .unreadable(let text):
                return "cannot read \"\(text)\": try tomorrow 9:00, +2h, fri 15:30 or 2026-12-01 10:00"
            case .inThePast: return "that time has already passed"
            }
        }
    }

    public func parse(_ input: String, now: Date) -> Result<Date, Failure> {
        let text = TextFolding.fold(input.trimmingCharacters(in: .whitespacesAndNewlines)).replacingOccurrences(of: "  ", with: " ")
        guard !text.isEmpty else { return .failure(.unreadable(input)) }
        guard let date = resolve(text, now: now) else { return .failure(.unreadable(input)) }
        return date <= now ? .failure(.inThePast) : .success(date)
    }

    private func resolve(_ text: String, now: Date) -> Date? {
        if let date = VentiaDate.parseDateTime(text.uppercased()) { return date }
        if let offset = Self.offset(text) { return now.addingTimeInterval(offset) }
        var words = text.split(separator: " ").map(String.init)
        let dayWord = words.first
        var day: Date?
        if let dayWord, let isoDay = localDay(dayWord) {
            day = isoDay
        } else if let dayWord {
            switch dayWord {
            case "today", "hoy": day = calendar.startOfDay(for: now)
            case "tomorrow", "tmrw", "manana": day = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now))
            default:
                if let weekday = Self.weekdays[dayWord] { day = nextWeekday(weekday, after: now, words: words) }
            }
        }
        if day != nil {
            words.removeFirst()
        }
        if words.first == "at" || words.first == "a" || words.first == "las" { words.removeFirst() }
        if words.first == "las" { words.removeFirst() }
        guard words.count <= 1 else { return nil }
        let time = words.first.map(Self.time) ?? (day == nil ? nil : (defaultHour, 0))
        guard let (hour, minute) = time else { return nil }
        let base = day ?? calendar.startOfDay(for: now)
        guard var date = calendar.date(bySettingHour: hour, minute: minute, second: 0, of: base) else { return nil }
        if day == nil && date <= now {
            date = calendar.date(byAdding: .day, value: 1, to: date) ?? date  // a bare time means the next one
        }
        return date
    }

    private func localDay(_ word: String) -> Date? {
        guard let utc = VentiaDate.parseDay(word) else { return nil }
        let parts = Calendar.utcGregorian.dateComponents([.year, .month, .day], from: utc)
        return calendar.date(from: parts)
    }

    private func nextWeekday(_ weekday: Int, after now: Date, words: [String]) -> Date? {
        let today = calendar.startOfDay(for: now)
        let current = calendar.component(.weekday, from: today)
        var days = (weekday - current + 7) % 7
        if days == 0 {
            // Today's weekday: today if the time is still ahead, otherwise next week.
            let time = words.count > 1 ? Self.time(words[words.count - 1]) : (defaultHour, 0)
            if let (hour, minute) = time, let candidate = calendar.date(bySettingHour: hour, minute: minute, second: 0, of: today), candidate > now {
                days = 0
            } else {
                days = 7
            }
        }
        return calendar.date(byAdding: .day, value: days, to: today)
    }

    static let weekdays: [String: Int] = [
        "sun": 1, "sunday": 1, "dom": 1, "domingo": 1, "mon": 2, "monday": 2, "lun": 2, "lunes": 2,
        "tue": 3, "tues": 3, "tuesday": 3, "mar": 3, "martes": 3, "wed": 4, "wednesday": 4, "mie": 4, "miercoles": 4,
        "thu": 5, "thur": 5, "thursday": 5, "jue": 5, "jueves": 5, "fri": 6, "friday": 6, "vie": 6, "viernes": 6,
        "sat": 7, "saturday": 7, "sab": 7, "sabado": 7,
    ]

    /// `9`, `9:30`, `09.30`, `15h`, `3pm`, `3:30pm`.
    static func time(_ word: String) -> (Int, Int)? {
        var text = word
        var pm = false
        var am = false
        if text.hasSuffix("pm") { pm = true; text.removeLast(2) } else if text.hasSuffix("am") { am = true; text.removeLast(2) }
        if text.hasSuffix("h") { text.removeLast() }
        let parts = text.split(whereSeparator: { $0 == ":" || $0 == "." }).map(String.init)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }),
            var hour = Int(parts[0]), let minute = parts.count == 2 ? Int(parts[1]) : 0
        else { return nil }
        if pm && hour < 12 { hour += 12 }
        if am && hour == 12 { hour = 0 }
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return (hour, minute)
    }

    /// `+2h`, `+30m`, `+1d`, `in 2h`, `in 30 min`, `en 2 horas`.
    static func offset(_ text: String) -> TimeInterval? {
        var rest = text
        if rest.hasPrefix("+") {
            rest.removeFirst()
        } else if rest.hasPrefix("in ") || rest.hasPrefix("en ") {
            rest.removeFirst(3)
        } else {
            return nil
        }
        rest = rest.replacingOccurrences(of: " ", with: "")
        let digits = rest.prefix(while: \.isNumber)
        guard let amount = Double(digits), amount > 0 else { return nil }
        let unit = rest.dropFirst(digits.count)
        switch unit {
        case "m", "min", "mins", "minute", "minutes", "minuto", "minutos": return amount * 60
        case "h", "hr", "hrs", "hour", "hours", "hora", "horas": return amount * 3600
        case "d", "day", "days", "dia", "dias": return amount * 86400
        case "w", "week", "weeks", "semana", "semanas": return amount * 7 * 86400
        default: return nil
        }
    }

    /// How a resolved time is shown before sending: `Fri 28 Nov 2026 15:30 (UTC-03:00)`.
    public func describe(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE d MMM yyyy HH:mm"
        let offset = calendar.timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let zone = String(format: "UTC%@%02d:%02d", sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
        return "\(formatter.string(from: date)) (\(zone))"
    }
}

extension Calendar {
    static let utcGregorian: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }()
}
