import Foundation

/// Pauses that double after each failure, up to a cap: the one rule behind a GET's retries
/// (`RetryPolicy`, with jitter) and the outbox's resends and checks.
public struct Backoff: Sendable, Equatable {
    public var first: TimeInterval
    public var maximum: TimeInterval

    public init(first: TimeInterval, maximum: TimeInterval) {
        self.first = first
        self.maximum = maximum
    }

    /// The pause after `failures` failures in a row (1 for the first): `first · 2ⁿ⁻¹`, at most `maximum`.
    public func pause(afterFailures failures: Int) -> TimeInterval {
        min(maximum, first * pow(2, Double(max(0, failures - 1))))
    }

    /// The outbox: 2 s, 4 s, 8 s … at most a minute between tries of a write the server has not confirmed.
    public static let outbox = Backoff(first: 2, maximum: 60)
}
