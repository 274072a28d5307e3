import Foundation
import VentiaAPI

/// The lead-matching keys of seeded contacts, gathered as they are generated and handed to the
/// database sorted as its index sorts them (key bytes, then the contact's 12-byte id), so that each
/// row lands at the index's end. Keys live in one byte buffer and are sorted as plain structs:
/// sorting (String, String) pairs held the database's thread idle for 0.3 s at 100,000 contacts.
struct SeedMatchKeys {
    /// One key: its first 16 bytes as two big-endian words (which decide nearly every comparison),
    /// where the whole key lies in `text`, and the contact's id.
    struct Entry {
        var head: UInt64
        var tail: UInt64
        var start: UInt32
        var length: UInt32
        var high: UInt64
        var low: UInt32
    }

    private(set) var text: [UInt8] = []
    private var entries: [Entry] = []

    var count: Int { entries.count }

    /// The keys of a contact whose id is `high`/`low` (its 12 bytes as `ContactOrder.Key` holds them).
    mutating func add(phones: [String], emails: [String], high: UInt64, low: UInt32) {
        for phone in phones { add(key: ContactRecord.matchKey(phone: phone), high: high, low: low) }
        for email in emails { add(key: ContactRecord.matchKey(email: email), high: high, low: low) }
    }

    mutating func add(key: String, high: UInt64, low: UInt32) {
        let start = text.count
        text += key.utf8
        entries.append(entry(from: start, high: high, low: low))
    }

    private func entry(from start: Int, high: UInt64, low: UInt32) -> Entry {
        var words: (UInt64, UInt64) = (0, 0)
        for index in 0..<min(16, text.count - start) {
            let byte = UInt64(text[start + index])
            if index < 8 { words.0 |= byte << (8 * (7 - UInt64(index))) } else { words.1 |= byte << (8 * (15 - UInt64(index))) }
        }
        return Entry(head: words.0, tail: words.1, start: UInt32(start), length: UInt32(text.count - start), high: high, low: low)
    }

    /// Every entry in the index's order, each key once per contact.
    func sorted() -> [Entry] {
        var sorted = entries
        text.withUnsafeBufferPointer { bytes in
            sorted.sort { a, b in
                if a.head != b.head { return a.head < b.head }
                if a.tail != b.tail { return a.tail < b.tail }
                let order = Self.compare(a, b, in: bytes)
                if order != 0 { return order < 0 }
                return (a.high, a.low) < (b.high, b.low)
            }
            var kept = 0
            for index in sorted.indices {
                if kept > 0 {
                    let last = sorted[kept - 1]
                    if (last.high, last.low) == (sorted[index].high, sorted[index].low) && Self.compare(last, sorted[index], in: bytes) == 0 { continue }
                }
                sorted[kept] = sorted[index]
                kept += 1
            }
            sorted.removeSubrange(kept...)
        }
        return sorted
    }

    /// SQLite's BINARY collation: the common bytes, then the shorter first.
    private static func compare(_ a: Entry, _ b: Entry, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let common = Int(min(a.length, b.length))
        let order = memcmp(base + Int(a.start), base + Int(b.start), common)
        if order != 0 { return Int(order) }
        return Int(a.length) - Int(b.length)
    }

    /// The bytes of an entry's key.
    func key(of entry: Entry) -> ArraySlice<UInt8> {
        text[Int(entry.start)..<Int(entry.start + entry.length)]
    }
}
