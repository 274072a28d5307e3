import Foundation
import Testing

/// Drives the real `terminal-demo` binary in tmux: the ncurses backend draws what the buffer
/// holds, and the terminal comes back after quitting and after a crash.
@Suite(.serialized) struct TmuxDemoTests {
    let session = "tui-test-\(UUID().uuidString.prefix(8))"

    static var demoBinary: URL {
        // The tests run from the build folder that also holds the demo program.
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
            + (Bundle.main.executableURL.map { [$0.deletingLastPathComponent(), $0.deletingLastPathComponent().deletingLastPathComponent()] } ?? [])
        for folder in candidates where FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("terminal-demo").path) {
            return folder.appendingPathComponent("terminal-demo")
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/terminal-demo")
    }

    /// Runs tmux; only `capture` reads its output, since a new session's server keeps any pipe open.
    @discardableResult
    static func tmux(_ arguments: [String], capture: Bool = false) throws -> String {
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

    func start(_ command: String, width: Int = 100, height: Int = 20) throws {
        let binary = Self.demoBinary.path
        #expect(FileManager.default.isExecutableFile(atPath: binary), "build terminal-demo first: \(binary)")
        try Self.tmux(["new-session", "-d", "-s", session, "-x", String(width), "-y", String(height),
            "env SWIFT_BACKTRACE=enable=no LANG=C.UTF-8 TERM=tmux-256color \(binary) \(command); echo EXITED-$?; stty -a; echo STTY-DONE; sleep 30"])
    }

    func screen() throws -> String { try Self.tmux(["capture-pane", "-p", "-t", session], capture: true) }

    func keys(_ keys: String...) throws { try Self.tmux(["send-keys", "-t", session] + keys) }

    func text(_ text: String) throws { try Self.tmux(["send-keys", "-t", session, "-l", text]) }

    /// Waits (bounded) until the screen satisfies `condition`.
    func waitFor(_ what: String, timeout: Double = 10, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out waiting for \(what); screen was:\n\(last)")
        return last
    }

    func stop() { _ = try? Self.tmux(["kill-session", "-t", session]) }

    @Test func drawsWideTextAlignedFiltersAndRestoresOnQuit() throws {
        defer { stop() }
        try start("--rows 300")
        let first = try waitFor("the table") { $0.contains("row 1/300") }
        let lines = first.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let city = try #require(lines.first { $0.hasPrefix("Name") }?.range(of: "City")).lowerBound
        let header = try #require(lines.first { $0.hasPrefix("Name") })
        let cityColumn = header.distance(from: header.startIndex, to: city)
        for name in ["José Ñandú", "王小明", "Zoë 😀 Añón"] {
            let row = try #require(lines.first { $0.hasPrefix(name) }, "row \(name) missing:\n\(first)")
            let prefix = String(row.prefix { _ in true }.prefix(while: { _ in true }))
            // Columns on screen: wide glyphs count two.
            var columns = 0
            var cityStart: Int?
            for character in prefix {
                if columns >= cityColumn, cityStart == nil, character != " " { cityStart = columns }
                columns += character.unicodeScalars.first.map { $0.value >= 0x1100 && ($0.properties.isEmojiPresentation || (0x2E80...0xFFDC).contains($0.value)) ? 2 : 1 } ?? 1
            }
            #expect(cityStart == cityColumn, "\(name): city at \(String(describing: cityStart)), header at \(cityColumn)")
        }
        #expect(first.contains("␛[2J"))
        try keys("/")
        try text("paysan")
        let filtered = try waitFor("the filter") { $0.contains("row 1/42") }
        #expect(filtered.contains("Paysandú"))
        try keys("Enter", "G")
        _ = try waitFor("the last row") { $0.contains("row 42/42") }
        try keys("?")
        _ = try waitFor("help") { $0.contains("Down one row") }
        try keys("Escape")
        _ = try waitFor("help closed") { !$0.contains("Down one row") }
        try keys("q")
        let after = try waitFor("exit") { $0.contains("STTY-DONE") }
        #expect(after.contains("EXITED-0"))
        #expect(after.contains("icanon") && after.contains(" echo "), "terminal not restored:\n\(after)")
        #expect(!after.contains("Name ▲"), "the alternate screen was not left:\n\(after)")
    }

    @Test func ctrlCQuitsAndResizeRelayouts() throws {
        defer { stop() }
        try start("", width: 60, height: 12)
        _ = try waitFor("the table") { $0.contains("row 1/1000") }
        try Self.tmux(["resize-window", "-t", session, "-x", "90", "-y", "15"])
        let resized = try waitFor("the resized layout") { $0.split(separator: "\n").contains { $0.hasPrefix(" terminal-demo") && $0.count > 70 } }
        #expect(resized.contains("row 1/1000"))
        try keys("C-c")
        let after = try waitFor("exit") { $0.contains("STTY-DONE") }
        #expect(after.contains("EXITED-0") && after.contains("icanon"))
    }

    @Test func aCrashStillRestoresTheTerminal() throws {
        defer { stop() }
        try start("--crash-after-paint")
        let after = try waitFor("the crash", timeout: 20) { $0.contains("STTY-DONE") }
        #expect(after.contains("EXITED-") && !after.contains("EXITED-0"))
        #expect(after.contains("icanon") && after.contains(" echo "), "terminal not restored after a crash:\n\(after)")
        #expect(!after.contains("Name ▲"))
    }

    @Test func unknownTerminalGetsAClearMessage() throws {
        let process = Process()
        process.executableURL = Self.demoBinary
        process.environment = ["TERM": "no-such-terminal", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(message.contains("\"no-such-terminal\" is unknown"))
        #expect(!message.contains("\u{1B}"))
    }
}
