import Foundation
import ScriptedServers
import Testing
import TmuxTesting

/// The real app, in tmux, against a server whose answer to one kind of request never ends: the
/// app reads 8 MB of it, stops, says so on screen, and its memory stays small.
@Suite(.serialized) struct BoundedAnswerTmuxTests {
    enum Kind: String, CaseIterable, Sendable {
        case contacts = "/contact", users = "/user", groups = "/group", sales = "/sale", webhooks = "/webhook"
    }

    /// What a well-behaved server answers for the other kinds: empty lists in each shape.
    static func emptyAnswer(for path: String) -> String {
        if path.hasPrefix("/api/v1.0/sale") { return #"{"data":[],"pagination":{"totalItems":0,"totalPages":0,"currentPage":1}}"# }
        if path.hasPrefix("/api/v1.0/webhook") { return #"{"success":true,"result":[],"paging":{"totalCount":0}}"# }
        return "[]"
    }

    /// Resident memory of `pid` in MB, from /proc.
    static func residentMB(_ pid: pid_t) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes / 1024
    }

    @Test(arguments: Kind.allCases)
    func anEndlessAnswerIsCutOffAndMemoryStaysSmall(kind: Kind) async throws {
        let tmux = TmuxSession(prefix: "ventia-endless")
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ventia-endless-\(UUID().uuidString.prefix(8))")
        defer {
            tmux.stop()
            try? FileManager.default.removeItem(at: home)
        }
        let server = try ScriptedServer { connection in
            while let request = connection.readRequest() {
                let path = request.head.split(separator: " ").dropFirst().first.map(String.init) ?? ""
                if path.hasPrefix("/api/v1.0" + kind.rawValue + "?") {
                    connection.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    connection.streamUntilClosed(within: 60)
                    return
                }
                connection.answer(json: Self.emptyAnswer(for: path))
            }
        }
        defer { server.stop() }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let environment = TmuxSession.appEnvironment(home: home)
        let app = "\(TmuxSession.binary("ventia").path) --api-key AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD --base-url \(server.baseURL.absoluteString)"
        try tmux.start("sh -c 'echo $$ > \(home.path)/pid; exec \(environment) \(app)'", width: 120, height: 40)
        _ = try await tmux.awaitScreen("the app") { $0.contains("Contacts") }
        // Users and groups are read at start (agent names, pickers) and their failure is shown in
        // their panes; sales and webhooks are read when their pane opens.
        let pane = [Kind.contacts: "1", .users: "2", .sales: "3", .groups: "4", .webhooks: "5"][kind] ?? "1"
        try tmux.keys(pane)
        let screen = try await tmux.awaitScreen("the cut-off said", timeout: 30) { $0.contains("larger than 8 MB") }
        #expect(screen.contains("ventia stopped reading it"), "\(screen)")
        let pid = try #require(pid_t(try String(contentsOf: home.appendingPathComponent("pid"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        var peak = 0.0
        for _ in 0..<10 {
            peak = max(peak, Self.residentMB(pid) ?? 0)
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(peak > 0 && peak < 100, "\(kind): \(peak) MB resident")
        #expect(server.clientCloses.allSatisfy { $0 }, "the endless answer's connection was closed")
        // q leaves another pane for the contacts, and quits from there.
        try tmux.keys("q")
        if kind != .contacts { try tmux.keys("q") }
        _ = try await tmux.awaitScreen("exit") { $0.contains("EXITED-0") }
    }
}
