import Foundation
import Testing

/// The one way the tests wait for a screen: poll until a settled screen (two captures alike, since
/// a capture can catch a frame half drawn) meets a condition, within a bound; on time-out record
/// an issue naming what was awaited, with the screen.
extension TmuxSession {
    /// Waits holding the calling thread (for synchronous tests).
    public func expectScreen(_ what: String, timeout: Double = 20, sourceLocation: SourceLocation = #_sourceLocation, _ condition: (String) -> Bool) throws -> String {
        let (screen, met) = try waitFor(timeout: timeout, condition)
        if !met { Issue.record("timed out waiting for \(what); screen was:\n\(screen)", sourceLocation: sourceLocation) }
        return screen
    }

    /// `expectScreen` without holding a thread while it waits: Swift's cooperative pool has as many
    /// threads as cores (two here), and the in-process servers of tests running beside it need them.
    public func awaitScreen(_ what: String, timeout: Double = 20, sourceLocation: SourceLocation = #_sourceLocation, _ condition: (String) -> Bool) async throws -> String {
        var poll = SettledScreenPoll(timeout: timeout)
        while poll.next(try screen(), condition) != nil { try await Task.sleep(for: .milliseconds(50)) }
        if !poll.met { Issue.record("timed out waiting for \(what); screen was:\n\(poll.last)", sourceLocation: sourceLocation) }
        return poll.last
    }

    /// The environment `ventia` runs with in these tests: no key from this machine (demo mode),
    /// `home` as its only home for config, state and (with `cache`) its mirror, no crash reporter,
    /// a UTF-8 locale and tmux's terminal. The command follows after a space.
    public static func appEnvironment(home: URL, cache: Bool = false) -> String {
        "env -u VENTIA_API_KEY HOME=\(home.path) XDG_CONFIG_HOME=\(home.path)/config XDG_STATE_HOME=\(home.path)/state "
            + (cache ? "XDG_CACHE_HOME=\(home.path)/cache " : "") + "SWIFT_BACKTRACE=enable=no LANG=C.UTF-8 TERM=tmux-256color"
    }
}
