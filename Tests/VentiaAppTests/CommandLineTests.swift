import CSV
import Foundation
import Testing
import TmuxTesting
import VentiaCommandLine

/// The `ventia` binary's subcommands, run as a script runs them (no terminal, standard input from
/// a pipe) against a `ventia-server` process: their output parsed back, their exit codes.
@Suite(.serialized) struct CommandLineTests {
    /// What one run printed and how it ended.
    struct Run {
        var status: Int32
        var output: String
        var errors: String

        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(output.utf8)) }

        /// The CSV read back with a CSV reader: the header and the rows.
        func csv() throws -> (header: [String], rows: [[String]]) {
            let reader = try CSVReader(string: output, hasHeaderRow: true)
            var rows: [[String]] = []
            while let row = reader.next() { rows.append(row) }
            return (reader.headerRow ?? [], rows)
        }
    }

    static let key = "DEMO0A1-VENTIA0-LOCAL00-KEY0001"
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("ventia-cli-\(UUID().uuidString.prefix(8))")

    /// Runs `ventia ARGUMENTS` with only a home folder of its own, the key and base URL in the
    /// environment (unless `environment` says otherwise), and `input` on standard input.
    func ventia(_ arguments: [String], port: Int?, input: String = "", environment extra: [String: String] = [:]) throws -> Run {
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = TmuxSession.binary("ventia")
        process.arguments = arguments
        var environment = ["HOME": home.path, "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "TZ": "UTC"]
        if let port {
            environment["VENTIA_API_KEY"] = Self.key
            environment["VENTIA_BASE_URL"] = "http://127.0.0.1:\(port)/api/v1.0"
        }
        environment.merge(extra) { $1 }
        process.environment = environment.filter { !$0.value.isEmpty }
        let output = Pipe()
        let errors = Pipe()
        let standardInput = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = standardInput
        try process.run()
        standardInput.fileHandleForWriting.write(Data(input.utf8))
        try standardInput.fileHandleForWriting.close()
        // Both pipes are drained while it runs, so that a long listing cannot fill one and stall.
        let collected = OutputCollector()
        let group = DispatchGroup()
        for (pipe, isError) in [(output, false), (errors, true)] {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.set(data, isError: isError)
                group.leave()
            }
        }
        group.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: collected.text(isError: false), errors: collected.text(isError: true))
    }

    func withServer(_ arguments: [String] = [], _ body: (Int) throws -> Void) throws {
        let server = ServerProcess()
        let port = try server.start(["--port", "0", "--contacts", "250", "--sales", "150"] + arguments)
        defer {
            server.stop()
            try? FileManager.default.removeItem(at: home)
        }
        try body(port)
    }

    @Test func listingsParseBackAsJSONAndCSV() throws {
        try withServer { port in
            let json = try ventia(["contacts", "list", "--json"], port: port)
            #expect(json.status == 0, "\(json.errors)")
            let contacts = try #require(try json.json() as? [[String: Any]])
            #expect(contacts.count == 250, "every page, into the local copy")
            #expect(contacts.allSatisfy { ($0["_id"] as? String)?.count == 24 })

            let csv = try ventia(["contacts", "list", "--csv", "--status", "new"], port: port).csv()
            #expect(csv.header == Records.contactColumns)
            #expect(!csv.rows.isEmpty && csv.rows.allSatisfy { $0[5] == "new" })
            #expect(csv.rows.count == contacts.filter { $0["status"] as? String == "new" }.count)

            // --cached lists the local copy without asking the server.
            let cached = try ventia(["contacts", "list", "--json", "--cached"], port: nil, environment: ["VENTIA_API_KEY": Self.key, "VENTIA_BASE_URL": "http://127.0.0.1:\(port)/api/v1.0"])
            #expect((try cached.json() as? [Any])?.count == 250)
            #expect(cached.errors.contains("listing the local copy as of"))

            let id = try #require(contacts.first?["_id"] as? String)
            let shown = try #require(try ventia(["contacts", "show", id, "--json"], port: port).json() as? [String: Any])
            #expect(shown["_id"] as? String == id)

            let timeline = try ventia(["timeline", id, "--csv"], port: port)
            #expect(timeline.status == 0)
            #expect(try timeline.csv().header == Records.interactionColumns)

            let users = try #require(try ventia(["users", "list", "--json"], port: port).json() as? [[String: Any]])
            #expect(users.count == 8)
            let usersCSV = try ventia(["users", "list", "--csv"], port: port).csv()
            #expect(usersCSV.header == Records.userColumns && usersCSV.rows.count == 8)

            let groups = try #require(try ventia(["groups", "show", "--json"], port: port).json() as? [[String: Any]])
            #expect(groups.first?["origins"] is [Any])
        }
    }

    @Test func salesOfADateRangeEveryPage() throws {
        try withServer { port in
            let all = try ventia(["sales", "list", "--csv"], port: port)
            #expect(all.status == 0, "\(all.errors)")
            let every = try all.csv()
            #expect(every.header == Records.saleColumns)
            #expect(every.rows.count == 150, "two pages of 100")
            // A range that holds some of them, both days included.
            let days = every.rows.map { String($0[2].prefix(10)) }.filter { !$0.isEmpty }.sorted()
            let from = days[days.count / 3]
            let to = days[days.count * 2 / 3]
            let ranged = try ventia(["sales", "list", "--from", from, "--to", to, "--csv"], port: port).csv()
            #expect(ranged.rows.count == days.filter { $0 >= from && $0 <= to }.count)
            #expect(ranged.rows.allSatisfy { String($0[2].prefix(10)) >= from && String($0[2].prefix(10)) <= to })
            let sold = try #require(try ventia(["sales", "list", "--status", "sold", "--json"], port: port).json() as? [[String: Any]])
            #expect(!sold.isEmpty && sold.allSatisfy { ($0["status"] as? String)?.uppercased() == "SOLD" })

            let backwards = try ventia(["sales", "list", "--from", to, "--to", from], port: port)
            #expect(backwards.status == 64 || from == to)
            let badDay = try ventia(["sales", "list", "--from", "2026-13-45"], port: port)
            #expect(badDay.status == 64)
            #expect(badDay.errors.contains("--from must be a day as YYYY-MM-DD"))
        }
    }

    @Test func writesGoThroughTheOutboxAndSayWhatTheyDid() throws {
        try withServer { port in
            let contacts = try #require(try ventia(["contacts", "list", "--json", "--limit", "3"], port: port).json() as? [[String: Any]])
            let id = try #require(contacts.first?["_id"] as? String)

            // A note from standard input, as a script pipes it.
            let note = try ventia(["note", "add", id, "-", "--json"], port: port, input: "Llamar el lunes\npor la tarde\n")
            #expect(note.status == 0, "\(note.errors)")
            let stored = try #require(try note.json() as? [String: Any])
            #expect((stored["content"] as? [String: Any])?["body"] as? String == "Llamar el lunes\npor la tarde")
            let timeline = try ventia(["timeline", id, "--json"], port: port)
            let bodies = (try timeline.json() as? [[String: Any]])?.compactMap { ($0["content"] as? [String: Any])?["body"] as? String } ?? []
            #expect(bodies.filter { $0 == "Llamar el lunes\npor la tarde" }.count == 1)

            let reminder = try ventia(["reminder", "add", id, "tomorrow 9:00"], port: port)
            #expect(reminder.status == 0 && reminder.output.hasPrefix("\(id): reminder set for"), "\(reminder.errors)")

            let transfer = try ventia(["transfer", id, "martin olivera"], port: port)
            #expect(transfer.status == 0 && transfer.output == "\(id): transferred to Martín Olivera\n", "\(transfer.errors)")
            let shown = try #require(try ventia(["contacts", "show", id, "--json"], port: port).json() as? [String: Any])
            #expect(shown["agentFullName"] as? String == "Martín Olivera")

            // An unknown agent or reason names the choices and sends nothing.
            let nobody = try ventia(["transfer", id, "Nadie"], port: port)
            #expect(nobody.status == 64)
            #expect(nobody.errors.contains("no user is \"Nadie\" (choose: Camila Ibáñez,"))
            let why = try ventia(["archive", id, "porque sí"], port: port)
            #expect(why.status == 64 && why.errors.contains("no active archiving reason is \"porque sí\" (choose: "))

            let groups = try #require(try ventia(["groups", "show", "--json"], port: port).json() as? [[String: Any]])
            let reasons = try #require(groups.first?["archivingReasons"] as? [[String: Any]])
            let reason = try #require(reasons.first { $0["active"] as? Bool == true }?["name"] as? String)
            let archive = try ventia(["archive", id, reason], port: port)
            #expect(archive.status == 0, "\(archive.errors)")

            // The server refuses a contact that does not exist: 1, with its words.
            let missing = try ventia(["note", "add", "0123456789abcdef01234567", "hola"], port: port)
            #expect(missing.status == 1)
            #expect(missing.errors.contains("404"))
            // An empty note is bad usage, caught before anything is sent.
            #expect(try ventia(["note", "add", id, "-"], port: port, input: "  \n").status == 64)
        }
    }

    @Test func exitCodesScriptsCanRelyOn() throws {
        try withServer(["--rate-limit", "3"]) { port in
            #expect(try ventia(["users", "list"], port: port).status == 0)
            #expect(try ventia(["contacts", "list", "--bogus"], port: port).status == 64)
            #expect(try ventia(["users", "list", "--max-wait", "0"], port: port).status == 0)
            #expect(try ventia(["users", "list", "--max-wait", "0"], port: port).status == 0)
            // The window is spent: a read is refused at once, a write is taken back unsent.
            let throttled = try ventia(["users", "list", "--max-wait", "0"], port: port)
            #expect(throttled.status == 75)
            #expect(throttled.errors.contains("Rate limited") && throttled.output.isEmpty)
            let write = try ventia(["note", "add", "0123456789abcdef01234567", "hola", "--max-wait", "0"], port: port)
            #expect(write.status == 75)
            #expect(write.errors.contains("nothing was sent"))
        }
        let unreachable = try ventia(["users", "list"], port: nil, environment: ["VENTIA_API_KEY": Self.key, "VENTIA_BASE_URL": "http://127.0.0.1:9/api/v1.0"])
        #expect(unreachable.status == 69)
        #expect(unreachable.errors.contains("could not connect"))
        // A key on the command line works, and says once where it can be seen.
        let visible = try ventia(["users", "list", "--api-key", Self.key, "--base-url", "http://127.0.0.1:9/api/v1.0"], port: nil)
        #expect(visible.errors.components(separatedBy: "--api-key leaves the key in the process list").count == 2)
    }

    @Test func leadImportDryRunThenReport() throws {
        let sample = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/leads-sample.csv"), encoding: .utf8)
        try withServer { port in
            // The sample's "existing" row uses a phone of the seeded store.
            let existing = try #require(try ventia(["contacts", "list", "--json"], port: port).json() as? [[String: Any]]).first { !(($0["phones"] as? [String]) ?? []).isEmpty }
            let phone = try #require((existing?["phones"] as? [String])?.first)
            let file = home.appendingPathComponent("leads.csv")
            try sample.replacingOccurrences(of: "+59891117830", with: phone).write(to: file, atomically: true, encoding: .utf8)

            let dry = try ventia(["lead", "import", file.path, "--agent", "valentina sosa", "--dry-run", "--csv"], port: port)
            #expect(dry.status == 65, "rows were skipped")
            let planned = try dry.csv()
            #expect(planned.header == LeadImportOutcome.columns)
            #expect(planned.rows.map { [$0[0], $0[1]] } == [
                ["2", "ready"], ["3", "ready"], ["4", "skipped"], ["5", "skipped"], ["6", "ready"], ["7", "skipped"], ["8", "ready"],
            ])
            #expect(planned.rows[2][4] == "emails \"carla@example\" is not a valid email address")
            #expect(planned.rows[3][4].hasPrefix("no user is \"Nadie Nadie\" (choose: "))
            #expect(planned.rows[5][4] == "has 2 fields, the header 6")
            #expect(dry.errors.contains("dry run: 4 leads · 4 requests · "))
            let before = try #require(try ventia(["contacts", "list", "--json"], port: port).json() as? [Any]).count

            let run = try ventia(["lead", "import", file.path, "--agent", "valentina sosa", "--json"], port: port)
            #expect(run.status == 65, "\(run.errors)")
            let report = try #require(try run.json() as? [[String: Any]])
            #expect(report.map { $0["outcome"] as? String ?? "" } == ["created", "created", "skipped", "skipped", "matched", "skipped", "created"])
            #expect(report[6]["name"] as? String == "Gabriela Ortiz", "a quoted cell over two lines is one row")
            #expect(report[4]["contactId"] as? String == existing?["_id"] as? String)
            #expect(run.errors.contains("7 rows: 3 created, 1 matched, 3 skipped"))
            let after = try #require(try ventia(["contacts", "list", "--json"], port: port).json() as? [[String: Any]])
            #expect(after.count == before + 3)
            #expect(after.contains { $0["firstName"] as? String == "Bruno" && ($0["phones"] as? [String])?.count == 2 })

            let unusable = try ventia(["lead", "import", "-"], port: port, input: "nombre,telefono\nAna,099\n")
            #expect(unusable.status == 65)
            #expect(unusable.errors.contains("line 1: unknown column \"nombre\""))
        }
    }

    @Test func authKeepsTheKeyOutOfSight() throws {
        try withServer { port in
            let base = "http://127.0.0.1:\(port)/api/v1.0"
            let noKey = ["VENTIA_API_KEY": "", "VENTIA_BASE_URL": ""]
            let login = try ventia(["auth", "login", "--base-url", base], port: nil, input: Self.key + "\n", environment: noKey)
            #expect(login.status == 0, "\(login.errors)")
            #expect(login.output.hasPrefix("Logged in to Inmobiliaria Rambla"))
            let file = home.appendingPathComponent(".config/ventia/config.yml")
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text == "api_key: \"\(Self.key)\"\nbase_url: \"\(base)\"\n")
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            let status = try ventia(["auth", "status"], port: nil, environment: noKey)
            #expect(status.status == 0)
            #expect(status.output.contains("Account: Inmobiliaria Rambla") && status.output.contains("Base URL: \(base)"))
            #expect(status.output.contains("Budget: "))
            #expect(!status.output.contains(Self.key) && !status.errors.contains(Self.key), "the key is never shown")
            // The subcommands use the kept key.
            #expect(try ventia(["users", "list"], port: nil, environment: noKey).status == 0)

            let refused = try ventia(["auth", "login", "--base-url", base], port: nil, input: "NOT-A-KEY\n", environment: noKey)
            #expect(refused.status == 1)
            #expect(try String(contentsOf: file, encoding: .utf8).contains(Self.key), "a refused key replaces nothing")

            let logout = try ventia(["auth", "logout"], port: nil, environment: noKey)
            #expect(logout.status == 0)
            #expect(try String(contentsOf: file, encoding: .utf8) == "base_url: \"\(base)\"\n")
            #expect(try ventia(["auth", "status"], port: nil, environment: noKey).output.hasPrefix("No API key: ventia runs in demo mode"))
        }
    }

    /// `me:` in config.yml: `--agent me` lists my contacts, and `auth status` says who I am.
    @Test func meIsWhoTheConfigSays() throws {
        try withServer { port in
            let unset = try ventia(["contacts", "list", "--agent", "me", "--csv"], port: port)
            #expect(unset.status == 64)
            #expect(unset.errors.contains("--agent: \"me\" needs me: in config.yml (or :me to pick yourself)"), "\(unset.errors)")
            #expect(try ventia(["auth", "status"], port: port).output.contains("Me: not set (`me:` in "))

            let users = try #require(try ventia(["users", "list", "--json"], port: port).json() as? [[String: Any]])
            let martin = try #require(users.first { $0["name"] as? String == "Martín" })
            let file = home.appendingPathComponent(".config/ventia/config.yml")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try "me: \(try #require(martin["email"] as? String))\n".write(to: file, atomically: true, encoding: .utf8)
            let mine = try ventia(["contacts", "list", "--agent", "me", "--csv"], port: port).csv()
            let all = try ventia(["contacts", "list", "--cached", "--csv"], port: port).csv()
            #expect(!mine.rows.isEmpty && mine.rows.allSatisfy { $0[6] == martin["_id"] as? String })
            #expect(mine.rows.count == all.rows.count { $0[6] == martin["_id"] as? String })
            #expect(try ventia(["auth", "status"], port: port).output.contains("Me: \(martin["email"] as? String ?? "")"))
        }
    }

    /// At a terminal, `auth login` asks for the key and never shows it.
    @Test func authLoginAtATerminalDoesNotEchoTheKey() throws {
        let tmux = TmuxSession(prefix: "ventia-auth")
        try withServer { port in
            defer { tmux.stop() }
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            let environment = "env -u VENTIA_API_KEY -u VENTIA_BASE_URL -u XDG_CONFIG_HOME HOME=\(home.path) LANG=C.UTF-8 TERM=tmux-256color"
            try tmux.start("\(environment) \(TmuxSession.binary("ventia").path) auth login --base-url http://127.0.0.1:\(port)/api/v1.0", width: 120, height: 40)
            _ = try tmux.expectScreen("the prompt") { $0.contains("API key (not shown as you type):") }
            try tmux.text(Self.key)
            try tmux.keys("Enter")
            let after = try tmux.expectScreen("logged in") { $0.contains("STTY-DONE") }
            #expect(after.contains("Logged in to Inmobiliaria Rambla") && after.contains("EXITED-0"))
            #expect(!after.contains(Self.key), "the key was shown:\n\(after)")
            #expect(after.split(whereSeparator: { $0 == " " || $0 == "\n" }).contains("echo"), "the terminal's echo is back on:\n\(after)")
        }
    }

    /// Interrupted at the key prompt (Ctrl-C, SIGTERM, SIGHUP), `auth login` gives the terminal
    /// its echo back before it ends with the signal's status, and writes nothing.
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func authLoginInterruptedAtThePromptGivesTheEchoBack(signal: Int32) async throws {
        let tmux = TmuxSession(prefix: "ventia-auth-signal")
        defer {
            tmux.stop()
            try? FileManager.default.removeItem(at: home)
        }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let environment = "env -u VENTIA_API_KEY -u VENTIA_BASE_URL -u XDG_CONFIG_HOME HOME=\(home.path) LANG=C.UTF-8 TERM=tmux-256color"
        let login = "\(environment) \(TmuxSession.binary("ventia").path) auth login --base-url http://127.0.0.1:9/api/v1.0"
        // The pane's shell outlives a Ctrl-C (its trap), so it can show how ventia ended.
        try tmux.start("trap : INT; sh -c 'echo $$ > \(home.path)/pid; exec \(login)'", width: 120, height: 40)
        _ = try await tmux.awaitScreen("the prompt") { $0.contains("API key (not shown as you type):") }
        try tmux.text("AAAAAAA-BBB")
        if signal == SIGINT {
            try tmux.keys("C-c")
        } else {
            let pid = try #require(pid_t(try String(contentsOf: home.appendingPathComponent("pid"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(kill(pid, signal) == 0)
        }
        let after = try await tmux.awaitScreen("ended") { $0.contains("STTY-DONE") }
        #expect(after.contains("EXITED-\(128 + signal)"), "expected status \(128 + signal):\n\(after)")
        #expect(after.split(whereSeparator: { $0 == " " || $0 == "\n" }).contains("echo"), "the terminal's echo is not back:\n\(after)")
        #expect(!after.contains("AAAAAAA-BBB"), "the key typed so far was shown:\n\(after)")
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent(".config/ventia/config.yml").path))
    }

    @Test func theHelpListsTheSubcommandsAndTheExitCodes() throws {
        let help = try ventia(["--help"], port: nil)
        #expect(help.status == 0)
        for subcommand in ["contacts", "timeline", "note", "reminder", "transfer", "archive", "sales", "users", "groups", "lead", "auth"] {
            #expect(help.output.contains("\n  \(subcommand) "), "\(subcommand) missing from --help")
        }
        #expect(help.output.contains("75 throttled"))
        let completion = try ventia(["--generate-completion-script", "bash"], port: nil)
        #expect(completion.status == 0 && completion.output.contains("contacts"))
    }
}

/// Standard output and error of a child, gathered on two threads.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var output = Data()
    private var errors = Data()

    func set(_ data: Data, isError: Bool) {
        lock.withLock { if isError { errors = data } else { output = data } }
    }

    func text(isError: Bool) -> String {
        lock.withLock { String(decoding: isError ? errors : output, as: UTF8.self) }
    }
}
