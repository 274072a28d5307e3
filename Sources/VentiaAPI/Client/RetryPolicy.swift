import Foundation

/// How often, and after what pauses, a failed GET is tried again: exponential backoff with jitter
/// (each pause a random point between half and all of `baseDelay · 2ⁿ`, at most `maximumDelay`),
/// so that many clients hit by one outage do not come back in step.
public struct RetryPolicy: Sendable {
    /// Tries in all, the first included; 1 never retries.
    public var attempts: Int
    public var backoff: Backoff
    /// A number in 0...1, random in production; fixed in tests.
    public var jitter: @Sendable () -> Double
    /// Runs `work` after `delay` seconds; tests run it at once and record the delay.
    public var schedule: @Sendable (TimeInterval, @escaping @Sendable () -> Void) -> Void

    public init(
        attempts: Int, baseDelay: TimeInterval = 0.5, maximumDelay: TimeInterval = 4,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        schedule: @escaping @Sendable (TimeInterval, @escaping @Sendable () -> Void) -> Void = { delay, work in
            DispatchQueue.global().asyncAfter(deadline: .now() + delay, execute: work)
        }
    ) {
        self.attempts = max(1, attempts)
        backoff = Backoff(first: baseDelay, maximum: maximumDelay)
        self.jitter = jitter
        self.schedule = schedule
    }

    /// Three retries after about 0.5, 1 and 2 seconds.
    public static let standard = RetryPolicy(attempts: 4)
    public static let never = RetryPolicy(attempts: 1)

    /// The pause before try `number` (2 for the first retry).
    public func delay(beforeAttempt number: Int) -> TimeInterval {
        backoff.pause(afterFailures: number - 1) * (0.5 + 0.5 * min(1, max(0, jitter())))
    }
}
