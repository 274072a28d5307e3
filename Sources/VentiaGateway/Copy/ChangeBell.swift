import Foundation

/// Rings when the team's change log grows (a `NOTIFY` from whichever replica wrote it), so that
/// a long poll or an event stream on this replica answers at once instead of polling.
final class ChangeBell: @unchecked Sendable {
    private let lock = NSLock()
    private var rings: UInt64 = 0
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    private var listener: ChannelListener?
    private var stopped = false

    /// Hears the change channel of `database`.
    func listen(to database: GatewayDatabase) {
        let listener = ChannelListener(TeamCopy.changesChannel, database: database) { [weak self] _ in self?.ring() }
        lock.withLock { self.listener = listener }
    }

    /// How many times it has rung: a waiter passes what it saw, so a ring between its read and its
    /// wait is not missed.
    var count: UInt64 { lock.withLock { rings } }

    func ring() {
        let woken = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            rings += 1
            defer { waiters = [:] }
            return Array(waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns after a ring beyond `seen`, or after `seconds`, whichever comes first.
    func wait(after seen: UInt64, seconds: Double) async {
        let id = UUID()
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .seconds(seconds))
            self?.wake(id)
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = lock.withLock { () -> Bool in
                if rings != seen || stopped { return true }
                waiters[id] = continuation
                return false
            }
            if now { continuation.resume() }
        }
        timer.cancel()
    }

    private func wake(_ id: UUID) {
        let waiter = lock.withLock { waiters.removeValue(forKey: id) }
        waiter?.resume()
    }

    /// The replica is stopping: every wait ends now, and from now on at once.
    var isStopped: Bool { lock.withLock { stopped } }

    func stop() {
        let (listener, woken) = lock.withLock { () -> (ChannelListener?, [CheckedContinuation<Void, Never>]) in
            stopped = true
            defer { waiters = [:] }
            return (self.listener, Array(waiters.values))
        }
        listener?.stop()
        for waiter in woken { waiter.resume() }
    }
}
