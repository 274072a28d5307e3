import Foundation

/// The contact list's pages as last written, served again as they are until the store changes:
/// the first page is what every client asks for most, and between two writes it is the same
/// bytes. Any write drops them all (a note moves its contact to the top, a user's new name shows
/// in `agentFullName`), so a page is never older than the last commit.
final class ContactPageCache: @unchecked Sendable {
    struct Key: Hashable {
        var account: String
        var page: Int
        var limit: Int
    }

    /// Pages kept at most (about 60 KB each at 100 contacts): past it, the oldest half goes.
    static let capacity = 64

    private let lock = NSLock()
    private var current: UInt64 = 0
    private var pages: [Key: (bytes: [UInt8], order: Int)] = [:]
    private var kept = 0

    /// Read before the store is, so that a page written from a state a write then replaced is never kept.
    var generation: UInt64 { lock.withLock { current } }

    func page(_ key: Key) -> [UInt8]? { lock.withLock { pages[key]?.bytes } }

    /// Keeps a page written from what the store held at `generation`; one the store changed under
    /// meanwhile is not kept.
    func keep(_ bytes: [UInt8], for key: Key, writtenAt generation: UInt64) {
        lock.withLock {
            guard generation == current else { return }
            if pages.count >= Self.capacity {
                let oldest = pages.sorted { $0.value.order < $1.value.order }.prefix(Self.capacity / 2).map(\.key)
                for key in oldest { pages[key] = nil }
            }
            kept += 1
            pages[key] = (bytes, kept)
        }
    }

    /// A write was made (or tried): every page may be stale.
    func storeChanged() {
        lock.withLock {
            current &+= 1
            pages.removeAll(keepingCapacity: true)
        }
    }
}
