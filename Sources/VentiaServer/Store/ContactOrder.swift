import Foundation

/// Each account's contacts in list order (newest `updatedAt` first, then id), held in memory so
/// that any page, the millionth contact's included, is an index into an array. SQLite's OFFSET
/// walks every skipped entry: 55 ms for the last page of a million contacts, measured.
/// Kept in step with the database by the store: loaded at open, changed on each commit.
final class ContactOrder: @unchecked Sendable {
    /// One contact's place: its `updatedAt` and its 24-hex id packed into 12 bytes.
    struct Key: Comparable, Hashable {
        var updatedAt: Double
        var high: UInt64
        var low: UInt32

        init(updatedAt: Double, id: String) {
            self.updatedAt = updatedAt
            let bytes = Array(id.utf8)
            func value(_ range: Range<Int>) -> UInt64 {
                range.reduce(0) { result, index in
                    let byte = index < bytes.count ? bytes[index] : 0
                    let digit: UInt64 = byte >= 97 ? UInt64(byte &- 87) : UInt64(byte &- 48)
                    return result << 4 | (digit & 0xF)
                }
            }
            high = value(0..<16)
            low = UInt32(value(16..<24))
        }

        /// From an id as stored: its 12 bytes.
        init(updatedAt: Double, packed: some Collection<UInt8>) {
            self.updatedAt = updatedAt
            var high: UInt64 = 0
            var low: UInt32 = 0
            for (index, byte) in packed.enumerated() {
                if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt32(byte) }
            }
            self.high = high
            self.low = low
        }

        var id: String { StoredId.text(high: high, low: low) }

        /// Ascending: the list reads the array from its end.
        static func < (a: Key, b: Key) -> Bool {
            (a.updatedAt, a.high, a.low) < (b.updatedAt, b.high, b.low)
        }
    }

    /// A change to apply once its transaction commits.
    enum Change: Sendable {
        case insert(account: String, key: Key)
        case move(account: String, from: Key, to: Key)
    }

    private let lock = NSLock()
    private var ascending: [String: [Key]] = [:]

    /// From keys already in ascending order (the database's index, read backwards).
    func load(account: String, ascendingKeys: [Key]) {
        lock.withLock { ascending[account] = ascendingKeys }
    }

    func count(account: String) -> Int {
        lock.withLock { ascending[account]?.count ?? 0 }
    }

    /// The ids of one page, in list order; empty past the end.
    func page(account: String, index: Int, size: Int) -> [String] {
        lock.withLock {
            guard let keys = ascending[account] else { return [] }
            let start = index.multipliedReportingOverflow(by: size)
            guard !start.overflow, start.partialValue < keys.count else { return [] }
            let top = keys.count - 1 - start.partialValue
            let bottom = max(0, top - size + 1)
            return (bottom...top).reversed().map { keys[$0].id }
        }
    }

    func apply(_ changes: [Change]) {
        lock.withLock {
            for change in changes {
                switch change {
                case .insert(let account, let key):
                    ascending[account, default: []].insertSorted(key)
                case .move(let account, let from, let to):
                    guard from != to else { continue }
                    ascending[account, default: []].removeSorted(from)
                    ascending[account, default: []].insertSorted(to)
                }
            }
        }
    }
}

extension Array where Element == ContactOrder.Key {
    /// The first index whose key is not below `key`.
    fileprivate func insertionPoint(_ key: Element) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    fileprivate mutating func insertSorted(_ key: Element) {
        insert(key, at: insertionPoint(key))
    }

    fileprivate mutating func removeSorted(_ key: Element) {
        let index = insertionPoint(key)
        if index < count, self[index] == key { remove(at: index) }
    }
}
