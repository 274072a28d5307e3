import Foundation
import Testing
import TmuxTesting

/// Drives the real `terminal-demo` binary in tmux: the ncurses backend draws what the buffer
/// holds, and the terminal comes back after quitting and after a crash.
@Suite(.serialized) struct TmuxDemoTests {
    let tmux = TmuxSession(prefix: "tui-test")
    static var demoBinary: URL { TmuxSession.binary("terminal-demo") }

    func start(_ arguments: String, width: Int = 100, height: Int = 20) throws {
        let binary = Self.demoBinary.path
        #expect(FileManager.default.isExecutableFile(atPath: binary), "build terminal-demo first: \(binary)")
        try tmux.start("env SWIFT_BACKTRACE=enable=no LANG=C.UTF-8 TERM=tmux-256color \(binary) \(arguments)", width: width, height: height)
    }

    func keys(_ keys: String...) throws { for key in keys { try tmux.keys(key) } }
    func text(_ text: String) throws { try tmux.text(text) }
    func stop() { tmux.stop() }

    @Test func drawsWideTextAlignedFiltersAndRestoresOnQuit() throws {
        defer { stop() }
        try start("--rows 300")
        let first = try tmux.expectScreen("the table") { $0.contains("row 1/300") }
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
        let filtered = try tmux.expectScreen("the filter") { $0.contains("row 1/42") }
        #expect(filtered.contains("Paysandú"))
        try keys("Enter", "G")
        _ = try tmux.expectScreen("the last row") { $0.contains("row 42/42") }
        try keys("?")
        _ = try tmux.expectScreen("help") { $0.contains("Show this help") }
        try keys("Escape")
        _ = try tmux.expectScreen("help closed") { !$0.contains("Show this help") }
        try keys("q")
        let after = try tmux.expectScreen("exit") { $0.contains("STTY-DONE") }
        #expect(after.contains("EXITED-0"))
        #expect(after.contains("icanon") && after.contains(" echo "), "terminal not restored:\n\(after)")
        #expect(!after.contains("Name ▲"), "the alternate screen was not left:\n\(after)")
    }

    @Test func ctrlCQuitsAndResizeRelayouts() throws {
        defer { stop() }
        try start("", width: 60, height: 12)
        _ = try tmux.expectScreen("the table") { $0.contains("row 1/1000") }
        try tmux.resize(width: 90, height: 15)
        let resized = try tmux.expectScreen("the resized layout") { $0.split(separator: "\n").contains { $0.hasPrefix(" terminal-demo") && $0.count > 70 } }
        #expect(resized.contains("row 1/1000"))
        try keys("C-c")
        let after = try tmux.expectScreen("exit") { $0.contains("STTY-DONE") }
        #expect(after.contains("EXITED-0") && after.contains("icanon"))
    }

    @Test func aCrashStillRestoresTheTerminal() throws {
        defer { stop() }
        try start("--crash-after-paint")
        let after = try tmux.expectScreen("the crash", timeout: 20) { $0.contains("STTY-DONE") }
        #expect(after.contains("EXITED-") && !after.contains("EXITED-0"))
        #expect(after.contains("icanon") && after.contains(" echo "), "terminal not restored after a crash:\n\(after)")
        #expect(!after.contains("Name ▲"))
    }

    @Test func unknownTerminalGetsAClearMessage() throws {
        let run = try ProgramRun(Self.demoBinary, environment: ["TERM": "no-such-terminal", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"])
        #expect(run.status == 1)
        #expect(run.errors.contains("\"no-such-terminal\" is unknown"))
        #expect(!run.errors.contains("\u{1B}"))
    }
}
