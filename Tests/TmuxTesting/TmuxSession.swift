import Foundation

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

    /// Runs tmux; only `capture` reads its output, since a new session's server keeps any pipe open.
    @discardableResult
    public static func tmux(_ arguments: [String], capture: Bool = false) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tmux"] + arguments
        process.standardError = FileHandle.nullDevice
        let output = Pipe()
        process.standardOutput = capture ? output : FileHandle.nullDevice
        try process.run()
        let data = capture ? output.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
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

    /// Polls the screen until `condition` holds or `timeout` passes; returns the last screen and
    /// whether the condition held.
    public func waitFor(timeout: Double = 20, _ condition: (String) -> Bool) throws -> (screen: String, met: Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return (last, true) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return (last, false)
    }
}
