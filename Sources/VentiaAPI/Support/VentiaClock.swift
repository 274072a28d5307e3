import Foundation

/// Where the client and the server read the time, so tests never wait for a rate window.
public protocol VentiaClock: Sendable {
    func now() -> Date
}

/// The clock of the running system; tests inject one they move by hand.
public struct SystemClock: VentiaClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told: for tests and benchmarks.
public final class ManualClock: VentiaClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date = Date(timeIntervalSince1970: 1_780_000_000)) {
        current = start
    }

    public func now() -> Date {
        lock.withLock { current }
    }

    public func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }

    public func set(_ date: Date) {
        lock.withLock { current = date }
    }
}
