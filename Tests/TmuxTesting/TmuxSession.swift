import Foundation
#if canImport(Glibc)
import Glibc
#endif
import CChildProcess

/// A detached tmux session running one of the package's programs, for tests that drive the real
/// binary: type keys, read the screen, wait (bounded) for what should appear.
public struct TmuxSession: Sendable {
    public let name: String

    public init(prefix: String) {
        name = "\(prefix)-\(UUID().uuidString.prefix(8))"
    }

    /// The built program `product`, from the build folder that holds the running tests.
    public static func binary(_ product: String, near file: String = #filePath) -> URL {
        let folders = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
            + (Bundle.main.executableURL.map { [$0.deletingLastPathComponent(), $0.deletingLastPathComponent().deletingLastPathComponent()] } ?? [])
        for folder in folders where FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent(product).path) {
            return folder.appendingPathComponent(product)
        }
        return URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/\(product)")
    }

    /// The tests' own tmux server, apart from any the developer runs, so a run here starts its
    /// server the way a run on a fresh CI machine does.
    public static let socketName = "ventia-tests"

    /// Runs tmux and returns what it printed.
    ///
    /// Not through Foundation's `Process`: that hands every child a socket and waits for it to
    /// close, and the tmux server a `new-session` forks keeps it open for as long as it runs, so
    /// the first test to start the server would wait forever. Here the child keeps no descriptor
    /// of ours but a pipe for its output, and we wait on its pid alone.
    @discardableResult
    public static func tmux(_ arguments: [String], capture: Bool = false) throws -> String {
        let argv = ["tmux", "-L", socketName] + arguments
        var pipe: [Int32] = [-1, -1]
        let piped = child_process_pipe(&pipe)
        guard piped == 0 else { throw TmuxError(code: piped) }
        defer { close(pipe[0]) }
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid = pid_t()
        // Only capture-pane's output is read: a new session's server would keep a pipe open.
        let spawned = child_process_spawn("tmux", &cArguments, &cEnvironment, capture ? pipe[1] : -1, &pid)
        close(pipe[1])
        guard spawned == 0 else { throw TmuxError(code: spawned) }

        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(pipe[0], &chunk, chunk.count)
            if count > 0 { output += chunk[0..<count]; continue }
            if count < 0 && errno == EINTR { continue }
            break
        }
        _ = child_process_wait(pid)
        return String(decoding: output, as: UTF8.self)
    }

    public struct TmuxError: Error, CustomStringConvertible {
        let code: Int32
        public var description: String { "could not run tmux: \(String(cString: strerror(code)))" }
    }

    /// Starts `command` in a `width`×`height` pane. After it exits the pane shows `EXITED-<status>`,
    /// the terminal's `stty -a` and `STTY-DONE`, so a test can check the terminal was restored.
    public func start(_ command: String, width: Int, height: Int) throws {
        try Self.tmux(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height),
            "\(command); echo EXITED-$?; stty -a; echo STTY-DONE; sleep 60"])
    }

    public func screen() throws -> String { try Self.tmux(["capture-pane", "-p", "-t", name], capture: true) }
    public func keys(_ keys: String...) throws { try Self.tmux(["send-keys", "-t", name] + keys) }
    public func text(_ text: String) throws { try Self.tmux(["send-keys", "-t", name, "-l", text]) }
    public func resize(width: Int, height: Int) throws { try Self.tmux(["resize-window", "-t", name, "-x", String(width), "-y", String(height)]) }
    public func stop() { _ = try? Self.tmux(["kill-session", "-t", name]) }
    /// What tmux knows of the pane, in its format language (`#{mouse_any_flag}`: the program asked for mouse reports).
    public func display(_ format: String) throws -> String {
        try Self.tmux(["display-message", "-p", "-t", name, format], capture: true).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen until `condition` holds on a settled screen (two captures alike), or
    /// `timeout` passes; returns the last screen and whether the condition held. A capture can
    /// catch a frame half drawn, which may match the condition while lacking the rest.
    public func waitFor(timeout: Double = 20, _ condition: (String) -> Bool) throws -> (screen: String, met: Bool) {
        var poll = SettledScreenPoll(timeout: timeout)
        while poll.next(try screen(), condition) != nil { Thread.sleep(forTimeInterval: 0.05) }
        return (poll.last, poll.met)
    }
}

/// The bounded wait for a settled screen, apart from how it pauses between captures.
struct SettledScreenPoll {
    let deadline: Date
    private(set) var last = ""
    private var previous: String?
    private(set) var met = false

    init(timeout: Double) { deadline = Date().addingTimeInterval(timeout) }

    /// Takes a capture; nil when the wait is over (met, or out of time), else the capture to pause after.
    mutating func next(_ capture: String, _ condition: (String) -> Bool) -> String? {
        last = capture
        if condition(capture), capture == previous {
            met = true
            return nil
        }
        previous = capture
        if Date() >= deadline {
            met = condition(capture)
            return nil
        }
        return capture
    }
}
