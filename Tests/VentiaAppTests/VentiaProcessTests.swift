import Foundation
import Testing
import TmuxTesting
#if canImport(Glibc)
import Glibc
#endif

/// The `ventia` process as the system sees it: how it ends on every terminating signal, and what
/// it leaves in the home folder.
@Suite(.serialized) struct VentiaProcessTests {
    let tmux = TmuxSession(prefix: "ventia-process")
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("ventia-process-\(UUID().uuidString.prefix(8))")
    static var binary: URL { TmuxSession.binary("ventia") }

    /// Starts ventia in demo mode with `home` as its only home (no XDG variables); its pid lands in `home/pid`.
    func startVentia(arguments: String = "--demo-contacts 30") throws {
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let environment = "env -u VENTIA_API_KEY -u XDG_CONFIG_HOME -u XDG_STATE_HOME -u XDG_CACHE_HOME -u XDG_DATA_HOME HOME=\(home.path) LANG=C.UTF-8 TERM=tmux-256color"
        try tmux.start("sh -c 'echo $$ > \(home.path)/pid; exec \(environment) \(Self.binary.path) \(arguments)'", width: 100, height: 24)
        _ = try tmux.expectScreen("ventia's contacts") { $0.contains("DEMO") && $0.contains("+598") }
    }

    func pid() throws -> pid_t {
        let text = try String(contentsOf: home.appendingPathComponent("pid"), encoding: .utf8)
        return try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    func waitForExit() throws -> String {
        try tmux.expectScreen("ventia to exit") { $0.contains("STTY-DONE") }
    }

    var log: String { (try? String(contentsOf: home.appendingPathComponent(".local/state/ventia/ventia.log"), encoding: .utf8)) ?? "" }

    /// Each terminating signal restores the terminal once and ends the process with 128 + the
    /// signal's number, as the shell expects; nothing of a crash reporter shows on screen, and the
    /// log names the signal (and, for a fault, holds the stack).
    @Test(arguments: [SIGHUP, SIGINT, SIGQUIT, SIGSEGV, SIGTERM])
    func aTerminatingSignalRestoresTheTerminalAndEndsTheProcess(signal: Int32) throws {
        defer {
            tmux.stop()
            try? FileManager.default.removeItem(at: home)
        }
        try startVentia()
        #expect(kill(try pid(), signal) == 0)
        let after = try waitForExit()
        #expect(after.contains("EXITED-\(128 + signal)"), "expected status \(128 + signal):\n\(after)")
        let modes = after.split(whereSeparator: { $0 == " " || $0 == "\n" })
        #expect(["isig", "icanon", "echo"].allSatisfy(modes.contains), "terminal not restored:\n\(after)")
        #expect(!after.contains("DEMO") && !after.contains("+598"), "the alternate screen was not left:\n\(after)")
        #expect(!after.contains("Crash") && !after.contains("Backtrace") && !after.contains("💣"), "a crash report showed on screen:\n\(after)")
        let names = [SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGSEGV: "SIGSEGV", SIGTERM: "SIGTERM"]
        #expect(log.contains("ventia: terminated by \(names[signal] ?? "?")\n"), "log:\n\(log)")
        if signal == SIGSEGV { #expect(log.contains("ventia("), "no stack in the log:\n\(log)") }
    }

    /// ventia leaves nothing outside its own state folder (no HTTP cache, no cookie store).
    @Test func nothingIsCreatedOutsideVentiasOwnFolders() throws {
        defer {
            tmux.stop()
            try? FileManager.default.removeItem(at: home)
        }
        try startVentia(arguments: "-- --demo-contacts 30")  // as `swift run ventia -- …` passes them
        try tmux.keys("q")
        let after = try waitForExit()
        #expect(after.contains("EXITED-0"))
        let made = (FileManager.default.subpaths(atPath: home.path) ?? []).filter { $0 != "pid" }.sorted()
        #expect(made == [".local", ".local/state", ".local/state/ventia", ".local/state/ventia/ventia.log"])
    }
}
