import Foundation

/// The API's ids: 24 lowercase hex digits, a MongoDB ObjectId whose first 8 digits are the second
/// it was made in.
public enum ObjectId {
    /// A new id for a record the client names itself (a sale created by upsert): that second,
    /// then 16 random digits.
    public static func make(at date: Date) -> String {
        let seconds = UInt32(truncatingIfNeeded: Int64(date.timeIntervalSince1970.rounded(.down)))
        var generator = SystemRandomNumberGenerator()
        let random = generator.next() as UInt64
        return hex(UInt64(seconds), digits: 8) + hex(random, digits: 16)
    }

    /// When the record with this id was made, to the second; nil for an id of another shape.
    public static func creationDate(of id: String) -> Date? {
        guard id.utf8.count == 24, let seconds = UInt32(id.prefix(8), radix: 16) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
