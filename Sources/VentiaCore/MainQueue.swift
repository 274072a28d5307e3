import Dispatch
import VentiaAPI

/// The one path by which answers reach the view models: the client runs each request on its own
/// queues and calls back on the main queue, where this hands the result to main-actor code.
public enum MainQueue {
    /// The queue every view-model request names for its completion.
    public static let answers = DispatchQueue.main

    /// A main-actor handler as the client's completion (which `answers` runs).
    public static func deliver<T: Sendable>(
        _ handler: @escaping @MainActor (Result<T, VentiaError>) -> Void
    ) -> @Sendable (Result<T, VentiaError>) -> Void {
        receive(handler)
    }

    /// A main-actor handler as a callback that `answers` runs (a budget observer's).
    public static func receive<T: Sendable>(_ handler: @escaping @MainActor (T) -> Void) -> @Sendable (T) -> Void {
        { value in MainActor.assumeIsolated { handler(value) } }
    }

    /// A timer on `answers` that runs main-actor work every `seconds`, until cancelled.
    public static func repeating(every seconds: Double, _ work: @escaping @MainActor () -> Void) -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: answers)
        timer.schedule(deadline: .now() + seconds, repeating: seconds)
        timer.setEventHandler { MainActor.assumeIsolated { work() } }
        timer.resume()
        return timer
    }

    /// Runs main-actor work after `seconds` (a notice's end, a timer's tick).
    public static func after(_ seconds: Double, _ work: @escaping @MainActor () -> Void) {
        answers.asyncAfter(deadline: .now() + seconds) { MainActor.assumeIsolated { work() } }
    }
}
