import Foundation
import HummingbirdCore

/// Counts the connections being served and stops accepting more at `maximum`: further callers
/// wait in the listen backlog until one closes. The count is shared, so the server can report it.
struct ConnectionGauge: AvailableConnectionsDelegate {
    let maximum: Int
    let count: OpenConnectionCount

    mutating func connectionOpened() { count.add(1) }
    mutating func connectionClosed() { count.add(-1) }
    func isAcceptingNewConnections() -> Bool { count.value < maximum }
}

/// The number of open connections, read from any thread.
final class OpenConnectionCount: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    var value: Int { lock.withLock { current } }
    func add(_ delta: Int) { lock.withLock { current += delta } }
}
