import Foundation
import Testing
import TmuxTesting

/// The real `ventia` against a real `ventia-server`, in tmux: it syncs, finds by phone a contact
/// that was never on screen, keeps a note typed while the server is down, survives `kill -9`,
/// starts offline from its mirror and sends the note exactly once when the server is back.
@Suite(.serialized) struct LocalFirstTmuxTests {
    let tmux = TmuxSession(prefix: "ventia-local")
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("ventia-local-\(UUID().uuidString.prefix(8))")
    static var binary: URL { TmuxSession.binary("ventia") }
    static let key = "DEMO0A1-VENTIA0-LOCAL00-KEY0001"

    let server = ServerProcess()

    func startServer(port: Int = 0) throws -> Int { try server.start(["--port", String(port), "--contacts", "300"]) }
    func stopServer() { server.stop() }

    func get(_ port: Int, _ path: String) throws -> Any {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/api/v1.0\(path)\(path.contains("?") ? "&" : "?")api-key=DEMO0A1-VENTIA0-LOCAL00-KEY0002"))
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }

    /// Sends `body` to the server as its key's account, with curl as any integrator would.
    func post(_ port: Int, _ path: String, _ body: String) throws {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sf", "-o", "/dev/null", "-X", "POST", "-H", "Content-Type: application/json", "-d", body,
            "http://127.0.0.1:\(port)/api/v1.0\(path)?api-key=DEMO0A1-VENTIA0-LOCAL00-KEY0002"]
        try curl.run()
        curl.waitUntilExit()
        #expect(curl.terminationStatus == 0, "POST \(path) failed")
    }

    /// A reminder of mine that came due while ventia was closed (set elsewhere, reaching the copy
    /// only with the sync) is told once at the next start: a notice, the terminal's bell, the
    /// desktop notification's bytes left to the terminal, and `:notices`, where Enter opens it.
    @Test func aReminderDueWhileClosedRingsAtTheNextStart() throws {
        defer {
            tmux.stop()
            stopServer()
            try? FileManager.default.removeItem(at: home)
        }
        let port = try startServer()
        let users = try #require(try get(port, "/user") as? [[String: Any]])
        let me = try #require(users.first { $0["name"] as? String == "Martín" })
        let page = try #require(try get(port, "/contact?page=0&limit=100") as? [[String: Any]])
        let mine = try #require(page.first { $0["agent"] as? String == me["_id"] as? String })
        let name = "\(mine["firstName"] ?? "") \(mine["lastName"] ?? "")"
        let config = home.appendingPathComponent("config/ventia")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "me: \(me["email"] ?? "")\nnotify: both\n".write(to: config.appendingPathComponent("config.yml"), atomically: true, encoding: .utf8)
        let environment = TmuxSession.appEnvironment(home: home, cache: true)
        let command = "\(environment) \(Self.binary.path) --api-key \(Self.key) --base-url http://127.0.0.1:\(port)/api/v1.0"
        try tmux.start(command, width: 120, height: 30)
        _ = try tmux.expectScreen("who I am") { $0.contains("me: Martín Olivera") && $0.contains("300 contacts") && !$0.contains("sync ") }
        Thread.sleep(forTimeInterval: 0.5)
        try tmux.keys("q")
        _ = try tmux.expectScreen("exit") { $0.contains("STTY-DONE") }
        tmux.stop()

        // Set elsewhere (the web app, a colleague) while ventia is closed, and due two seconds later.
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        try post(port, "/contact/\(mine["_id"] ?? "")/reminder", #"{"reminderDate":"\#(formatter.string(from: Date().addingTimeInterval(2)))"}"#)
        Thread.sleep(forTimeInterval: 3)
        try tmux.start(command, width: 120, height: 30)
        _ = try tmux.expectScreen("the missed reminder") { $0.contains("While ventia was closed, \(name)'s reminder came due") }
        #expect(try tmux.display("#{window_bell_flag}") == "1", "notify: both rings the terminal's bell")
        try tmux.keys(":")
        try tmux.text("notices")
        try tmux.keys("Enter")
        _ = try tmux.expectScreen("the notices") { $0.contains("Notices") && $0.contains("◷ Call \(name) — reminder was due") }
        try tmux.keys("Enter")
        _ = try tmux.expectScreen("the contact") { $0.contains("┌ \(name)") && $0.contains("Timeline") }
        try tmux.keys("q", "q")
        _ = try tmux.expectScreen("exit") { $0.contains("STTY-DONE") }
    }

    @Test func syncsFindsByPhoneKeepsANoteThroughKillAndSendsItOnce() throws {
        defer {
            tmux.stop()
            stopServer()
            try? FileManager.default.removeItem(at: home)
        }
        let port = try startServer()
        // A contact far down the list: never on the first screen.
        let page = try #require(try get(port, "/contact?page=2&limit=100") as? [[String: Any]])
        let hidden = try #require(page.first { ($0["phones"] as? [String])?.first?.hasPrefix("+5989") == true })
        let phone = try #require((hidden["phones"] as? [String])?.first)
        let name = "\(hidden["firstName"] ?? "") \(hidden["lastName"] ?? "")"
        let contactId = try #require(hidden["_id"] as? String)
        let digits = Array(phone.dropFirst(4))  // +598 9X XXX XXX → 09X XXX XXX
        let typed = "0" + String(digits[0..<2]) + " " + String(digits[2..<5]) + " " + String(digits[5...])

        let environment = TmuxSession.appEnvironment(home: home, cache: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let command = "sh -c 'echo $$ > \(home.path)/pid; exec \(environment) \(Self.binary.path) --api-key \(Self.key) --base-url http://127.0.0.1:\(port)/api/v1.0'"
        try tmux.start(command, width: 120, height: 30)
        _ = try tmux.expectScreen("the sync") { $0.contains("300 contacts") && !$0.contains("sync ") && !$0.contains("as of") }

        try tmux.keys("/")
        try tmux.text(typed)
        var shown = try tmux.expectScreen("the search") { $0.contains("1 found in 300 contacts") }
        #expect(shown.contains(phone))
        try tmux.keys("Enter")
        try tmux.keys("Enter")
        _ = try tmux.expectScreen("the timeline") { $0.contains("Timeline") && $0.contains(name) }

        stopServer()
        try tmux.keys("n")
        _ = try tmux.expectScreen("the note form") { $0.contains("Note for") }
        try tmux.text("Guardada sin red")
        try tmux.keys("Enter")
        shown = try tmux.expectScreen("the note kept") { $0.contains("⧗ pending") && $0.contains("Guardada sin red") && $0.contains("⧗ 1") }
        #expect(shown.contains("Note kept: the server cannot be reached"))

        // kill -9: no chance to save anything more.
        let pid = try #require(pid_t(try String(contentsOf: home.appendingPathComponent("pid"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, SIGKILL) == 0)
        _ = try tmux.expectScreen("the process gone") { $0.contains("EXITED-137") }
        tmux.stop()

        try tmux.start(command, width: 120, height: 30)
        shown = try tmux.expectScreen("an offline start from the mirror") { $0.contains("offline · as of") && $0.contains("300 contacts") && $0.contains("⧗ 1") }
        #expect(shown.contains("+598"), "the list painted from the mirror")

        _ = try startServer(port: port)
        _ = try tmux.expectScreen("the note sent", timeout: 40) { !$0.contains("⧗ 1") }
        let notes = try #require(try get(port, "/contact/\(contactId)/notes") as? [[String: Any]])
        #expect(notes.filter { ($0["content"] as? [String: Any])?["body"] as? String == "Guardada sin red" }.count == 1, "sent exactly once")
        try tmux.keys("C-c")
        _ = try tmux.expectScreen("exit") { $0.contains("EXITED-0") }
    }
}
