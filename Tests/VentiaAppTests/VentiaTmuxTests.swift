import Foundation
import Testing
import TmuxTesting

/// Drives the real `ventia` binary in tmux, in demo mode, as an agent would.
@Suite(.serialized) struct VentiaTmuxTests {
    let tmux = TmuxSession(prefix: "ventia-e2e")
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("ventia-e2e-\(UUID().uuidString.prefix(8))")
    static var binary: URL { TmuxSession.binary("ventia") }

    func start(_ command: String, width: Int, height: Int) throws { try tmux.start(command, width: width, height: height) }
    func keys(_ keys: String...) throws { for key in keys { try tmux.keys(key) } }
    func text(_ text: String) throws { try tmux.text(text) }

    @Test(arguments: [(80, 24), (160, 48)])
    func agentSessionInDemoMode(width: Int, height: Int) throws {
        defer {
            tmux.stop()
            try? FileManager.default.removeItem(at: home)
        }
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build ventia first: \(Self.binary.path)")
        let environment = TmuxSession.appEnvironment(home: home)
        try start("\(environment) \(Self.binary.path) --demo-contacts 80", width: width, height: height)
        var shown = try tmux.expectScreen("contacts") { $0.contains("DEMO") && $0.contains("Name") && $0.contains("+598") }
        #expect(shown.contains("API 1"))

        try keys("j", "Enter")
        shown = try tmux.expectScreen("the timeline") { $0.contains("Timeline") }
        try keys("n")
        _ = try tmux.expectScreen("the note form") { $0.contains("Note for") }
        try text("Nota desde tmux ñ")
        try keys("Enter")
        shown = try tmux.expectScreen("the note in the timeline") { $0.contains("✎") && $0.contains("Nota desde tmux ñ") && $0.contains("Note added") }

        try keys("r")
        _ = try tmux.expectScreen("the reminder form") { $0.contains("Reminder for") }
        try text("tomorrow 9:00")
        _ = try tmux.expectScreen("the resolved time") { $0.contains("→ ") }
        try keys("Enter")
        shown = try tmux.expectScreen("the reminder in the timeline") { $0.contains("◷") && $0.contains("Reminder set") }

        try keys("q")
        _ = try tmux.expectScreen("the list") { !$0.contains("Timeline") }
        try keys("q")
        let after = try tmux.expectScreen("exit") { $0.contains("STTY-DONE") }
        #expect(after.contains("EXITED-0"))
        #expect(after.contains("icanon") && after.contains(" echo "), "terminal not restored:\n\(after)")
        #expect(!after.contains("DEMO"), "the alternate screen was not left")
        let log = try String(contentsOf: home.appendingPathComponent("state/ventia/ventia.log"), encoding: .utf8)
        #expect(log.contains("started: demo"))
    }

    /// The real binary asks the terminal for mouse reports (and stops asking when it leaves); a
    /// double click, as a terminal reports it (SGR), opens the row under it. `mouse: false` asks for none.
    @Test func theMouseIsAskedForUsedAndGivenBack() throws {
        defer {
            tmux.stop()
            try? FileManager.default.removeItem(at: home)
        }
        let environment = TmuxSession.appEnvironment(home: home)
        try start("\(environment) \(Self.binary.path) --demo-contacts 40", width: 100, height: 30)
        let shown = try tmux.expectScreen("contacts") { $0.contains("DEMO") && $0.contains("+598") }
        #expect(try tmux.display("#{mouse_any_flag} #{mouse_sgr_flag}") == "1 1", "clicks and the wheel, in the SGR form")
        // Line 3 of the screen (from 0) is the list's second row.
        let name = try #require(shown.components(separatedBy: "\n")[3].components(separatedBy: "  ").first)
        try text("\u{1B}[<0;5;4M\u{1B}[<0;5;4m\u{1B}[<0;5;4M\u{1B}[<0;5;4m")
        _ = try tmux.expectScreen("its card and timeline") { $0.contains("┌ \(name)") && $0.contains("Timeline") }
        try keys("q")
        _ = try tmux.expectScreen("the list") { !$0.contains("Timeline") }
        try keys("q")
        _ = try tmux.expectScreen("exit") { $0.contains("STTY-DONE") }
        #expect(try tmux.display("#{mouse_any_flag}") == "0", "mouse reports were left on after ventia quit")
        tmux.stop()

        try FileManager.default.createDirectory(at: home.appendingPathComponent("config/ventia"), withIntermediateDirectories: true)
        try "mouse: false\n".write(to: home.appendingPathComponent("config/ventia/config.yml"), atomically: true, encoding: .utf8)
        try start("\(environment) \(Self.binary.path) --demo-contacts 40", width: 100, height: 30)
        _ = try tmux.expectScreen("contacts") { $0.contains("DEMO") && $0.contains("+598") }
        #expect(try tmux.display("#{mouse_any_flag}") == "0", "mouse: false asks for no reports, so the terminal selects text as usual")
        try keys("q")
        _ = try tmux.expectScreen("exit") { $0.contains("STTY-DONE") }
    }

    @Test func supervisorCreatesAUserAndASale() throws {
        defer {
            tmux.stop()
            try? FileManager.default.removeItem(at: home)
        }
        let environment = TmuxSession.appEnvironment(home: home)
        try start("\(environment) \(Self.binary.path) --demo-contacts 40", width: 120, height: 36)
        _ = try tmux.expectScreen("contacts") { $0.contains("DEMO") && $0.contains("+598") }
        try keys(":")
        try text("users")
        try keys("Enter")
        _ = try tmux.expectScreen("users") { $0.contains("users") && $0.contains("Roles") }
        try keys("c")
        _ = try tmux.expectScreen("the user form") { $0.contains("New user") }
        for (value, next) in [("Rocío", true), ("Píriz", true), ("rocio.piriz@example.com", true), ("clave1", false)] {
            try text(value)
            if next { try keys("Tab") }
        }
        try keys("Enter")
        var shown = try tmux.expectScreen("the new user listed") { $0.contains("User Rocío Píriz created") && $0.contains("rocio.piriz@example.com") }
        #expect(shown.contains("Píriz"))

        try keys(":")
        try text("sales")
        try keys("Enter")
        _ = try tmux.expectScreen("sales") { $0.contains("page 1 of") }
        try keys("c")
        _ = try tmux.expectScreen("the sale form") { $0.contains("New sale") }
        try keys("Tab")
        try text("T-E2E-1")
        try keys("Tab")
        try text("+59899123456")
        try keys("Enter")
        // The row itself, not only the notice that names it: the list reloads after the write.
        shown = try tmux.expectScreen("the new sale listed") { screen in
            screen.contains("Sale T-E2E-1 created") && screen.split(separator: "\n").contains { $0.hasPrefix("T-E2E-1 ") }
        }
        #expect(shown.contains("+59899123456"))
        try keys("C-c")
        _ = try tmux.expectScreen("exit") { $0.contains("EXITED-0") }
    }

    @Test func aBadKeyShowsUnauthorizedOnScreen() throws {
        defer {
            tmux.stop()
            try? FileManager.default.removeItem(at: home)
        }
        // A server that refuses every key: the demo server under a key it does not know.
        let port = try startServer()
        defer { stopServer() }
        let environment = "env HOME=\(home.path) XDG_CONFIG_HOME=\(home.path)/config XDG_STATE_HOME=\(home.path)/state SWIFT_BACKTRACE=enable=no LANG=C.UTF-8 TERM=tmux-256color"
        try start("\(environment) \(Self.binary.path) --api-key WRONGKY-WRONGKY-WRONGKY-WRONGKY --base-url http://127.0.0.1:\(port)/api/v1.0", width: 100, height: 24)
        let shown = try tmux.expectScreen("the 401") { $0.contains("401 Unauthorized") }
        #expect(shown.contains("LIVE"))
        #expect(!shown.contains("WRONGKY"))
        try keys("C-c")
        _ = try tmux.expectScreen("exit") { $0.contains("EXITED-0") }
        let log = (try? String(contentsOf: home.appendingPathComponent("state/ventia/ventia.log"), encoding: .utf8)) ?? ""
        #expect(!log.contains("WRONGKY"))
    }

    @Test func withoutATerminalItSaysSo() throws {
        let run = try ProgramRun(Self.binary, environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8", "HOME": home.path, "PATH": "/usr/bin:/bin"])
        #expect(run.status == 1)
        #expect(run.errors.contains("standard input is not a terminal"))
        #expect(!run.errors.contains("\u{1B}"))
    }

    // MARK: A ventia-server beside the app

    let server = ServerProcess()

    func startServer() throws -> Int { try server.start(["--port", "0", "--contacts", "20"]) }
    func stopServer() { server.stop() }
}
