import Foundation
import Testing
import TmuxTesting

extension TmuxSession {
    /// Waits for a settled screen that meets `condition`; records an issue naming `what` (with the
    /// screen) when it never does, and returns the last screen either way.
    func expectScreen(_ what: String, timeout: Double = 20, sourceLocation: SourceLocation = #_sourceLocation, _ condition: (String) -> Bool) throws -> String {
        let (screen, met) = try waitFor(timeout: timeout, condition)
        if !met { Issue.record("timed out waiting for \(what); screen was:\n\(screen)", sourceLocation: sourceLocation) }
        return screen
    }
}
