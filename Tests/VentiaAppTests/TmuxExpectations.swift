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

    /// `expectScreen` without holding a thread while it waits: Swift's cooperative pool has as many
    /// threads as cores (two here), and the in-process servers of tests running beside it need them.
    func awaitScreen(_ what: String, timeout: Double = 20, sourceLocation: SourceLocation = #_sourceLocation, _ condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        var previous: String?
        while Date() < deadline {
            last = try screen()
            if condition(last), last == previous { return last }
            previous = last
            try await Task.sleep(for: .milliseconds(50))
        }
        if !condition(last) { Issue.record("timed out waiting for \(what); screen was:\n\(last)", sourceLocation: sourceLocation) }
        return last
    }

    /// The environment `ventia` runs with in these tests: no key from this machine (demo mode),
    /// `home` as its only home for config, state and (with `cache`) its mirror, no crash reporter,
    /// a UTF-8 locale and tmux's terminal. The command follows after a space.
    static func appEnvironment(home: URL, cache: Bool = false) -> String {
        "env -u VENTIA_API_KEY HOME=\(home.path) XDG_CONFIG_HOME=\(home.path)/config XDG_STATE_HOME=\(home.path)/state "
            + (cache ? "XDG_CACHE_HOME=\(home.path)/cache " : "") + "SWIFT_BACKTRACE=enable=no LANG=C.UTF-8 TERM=tmux-256color"
    }
}
