import Foundation

/// Parses and formats the dates Ventia sends: ISO-8601 times (with or without milliseconds and
/// offsets) and the sale dates `yyyy-mm-dd` / `yyyy/mm/dd`.
public enum VentiaDate {
    /// ISO-8601 UTC with milliseconds, as the API sends times: `2023-05-23T19:21:17.107Z`.
    public static func format(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same, appended to UTF-8 being written (a server writing its answers).
    public static func append(_ date: Date, to bytes: inout [UInt8]) {
        let fields = utcFields(date)
        appendDay(fields, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(fields.hour, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(fields.minute, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(fields.second, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        appendDigits(fields.millisecond, width: 3, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// `yyyy-mm-dd` in UTC, as sale dates are written in requests.
    public static func formatDay(_ date: Date) -> String {
        var bytes: [UInt8] = []
        appendDay(utcFields(date), to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    // Written digit by digit: `String(format:)` took a third of the server's time on a contact page.
    private static func appendDay(_ fields: UTCFields, to bytes: inout [UInt8]) {
        appendDigits(fields.year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(fields.month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(fields.day, width: 2, to: &bytes)
    }

    /// `%0Nd`: at least `width` digits, zero-padded; a minus sign first for a negative number.
    private static func appendDigits(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var count = 1
        var scale: UInt = 1
        while value.magnitude / scale >= 10 {
            scale *= 10
            count += 1
        }
        for _ in 0..<max(0, width - count - (value < 0 ? 1 : 0)) { bytes.append(UInt8(ascii: "0")) }
        var magnitude = value.magnitude
        while scale > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude / scale))
            magnitude %= scale
            scale /= 10
        }
    }

    /// A full ISO-8601 date-time; nil for anything else (a bare date included).
    public static func parseDateTime(_ text: String) -> Date? {
        var scanner = DigitScanner(text)
        guard let year = scanner.number(digits: 4), scanner.skip("-"),
            let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2), scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
            let hour = scanner.number(digits: 2), scanner.skip(":"),
            let minute = scanner.number(digits: 2)
        else { return nil }
        var second = 0
        var fraction = 0.0
        if scanner.skip(":") {
            guard let value = scanner.number(digits: 2) else { return nil }
            second = value
            if scanner.skip(".") || scanner.skip(",") {
                guard let (digits, count) = scanner.digitRun(), count > 0 else { return nil }
                fraction = Double(digits) / pow(10, Double(count))
            }
        }
        var offsetSeconds = 0
        if scanner.skip("Z") || scanner.skip("z") {
            offsetSeconds = 0
        } else if let sign = scanner.sign() {
            guard let offsetHours = scanner.number(digits: 2) else { return nil }
            _ = scanner.skip(":")
            let offsetMinutes = scanner.number(digits: 2) ?? 0
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil  // a time without a zone is ambiguous: refuse it rather than guess
        }
        guard scanner.isAtEnd, hour < 24, minute < 60, second < 61 else { return nil }
        guard let base = utcDate(year: year, month: month, day: day) else { return nil }
        return base.addingTimeInterval(Double(hour * 3600 + minute * 60 + second - offsetSeconds) + fraction)
    }

    /// A calendar day written `yyyy-mm-dd` or `yyyy/mm/dd`, at 00:00 UTC.
    public static func parseDay(_ text: String) -> Date? {
        var scanner = DigitScanner(text)
        guard let year = scanner.number(digits: 4) else { return nil }
        let separator: Character
        if scanner.skip("-") { separator = "-" } else if scanner.skip("/") { separator = "/" } else { return nil }
        guard let month = scanner.number(digits: 2), scanner.skip(separator), let day = scanner.number(digits: 2),
            scanner.isAtEnd
        else { return nil }
        return utcDate(year: year, month: month, day: day)
    }

    /// Either form: what decoding accepts for any date field.
    public static func parse(_ text: String) -> Date? {
        parseDateTime(text) ?? parseDay(text)
    }

    static func utcDate(year: Int, month: Int, day: Int) -> Date? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        // Days since 1970-01-01 by the civil-from-days algorithm, to avoid Calendar's cost per field.
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let monthIndex = (month + 9) % 12
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146097 + dayOfEra - 719468
        return Date(timeIntervalSince1970: Double(days) * 86400)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    struct UTCFields {
        var year, month, day, hour, minute, second, millisecond: Int
    }

    static func utcFields(_ date: Date) -> UTCFields {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var days = totalMilliseconds >= 0 ? totalMilliseconds / 86_400_000 : (totalMilliseconds - 86_399_999) / 86_400_000
        let dayMilliseconds = Int(totalMilliseconds - days * 86_400_000)
        days += 719468
        let era = (days >= 0 ? days : days - 146096) / 146097
        let dayOfEra = days - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        return UTCFields(
            year: year, month: month, day: day,
            hour: dayMilliseconds / 3_600_000, minute: dayMilliseconds / 60_000 % 60,
            second: dayMilliseconds / 1000 % 60, millisecond: dayMilliseconds % 1000)
    }
}

/// Reads fixed-width digit groups and separators from a date string, over its UTF-8 bytes: every
/// contact carries several dates, and decoding 100,000 spent most of its time in Character's
/// Unicode lookups. Only ASCII digits count.
private struct DigitScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var isAtEnd: Bool { index == bytes.count }

    mutating func skip(_ character: Character) -> Bool {
        guard index < bytes.count, let ascii = character.asciiValue, bytes[index] == ascii else { return false }
        index += 1
        return true
    }

    private func digit(at position: Int) -> Int? {
        let byte = bytes[position]
        return byte >= 0x30 && byte <= 0x39 ? Int(byte - 0x30) : nil
    }

    mutating func number(digits: Int) -> Int? {
        guard index + digits <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<digits {
            guard let digit = digit(at: index + offset) else { return nil }
            value = value * 10 + digit
        }
        index += digits
        return value
    }

    mutating func digitRun() -> (Int, Int)? {
        var value = 0
        var count = 0
        while index < bytes.count, let digit = digit(at: index) {
            if count < 9 { value = value * 10 + digit; count += 1 }
            index += 1
        }
        return (value, count)
    }

    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }
}
