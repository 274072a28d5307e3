import Foundation
import Testing
import TmuxTesting

/// The real `ventia` in demo mode, in tmux: an agent marks every contact a search finds and
/// transfers them in one confirmed step, watching it through; a saved view from config.yml shows
/// with its count.
@Suite(.serialized) struct BulkTmuxTests {
    let tmux = TmuxSession(prefix: "ventia-bulk")
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("ventia-bulk-\(UUID().uuidString.prefix(8))")

    @Test func markBySearchThenTransferThemAllInOneConfirmedStep() throws {
        defer {
            tmux.stop()
            try? FileManager.default.removeItem(at: home)
        }
        let config = home.appendingPathComponent("config/ventia")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try """
            views:
              - name: new for Lucía
                status: new
                agent: Lucía Fernández
              - name: no contact in 7 days
                last_interaction: older than 7 days
            """.write(to: config.appendingPathComponent("config.yml"), atomically: true, encoding: .utf8)
        let environment = TmuxSession.appEnvironment(home: home)
        try tmux.start("\(environment) \(TmuxSession.binary("ventia").path)", width: 120, height: 40)
        _ = try tmux.expectScreen("contacts") { $0.contains("DEMO") && $0.contains("500 contacts") }

        // Every contact named Píriz, marked at once.
        try tmux.keys("/")
        try tmux.text("Píriz")
        try tmux.keys("Enter")
        let found = try tmux.expectScreen("the search") { $0.contains(" found in 500 contacts") }
        let count = try #require(Self.number(before: " found in 500 contacts", in: found))
        #expect(count >= 20)
        try tmux.keys("M")
        _ = try tmux.expectScreen("the marks") { $0.contains("500 contacts · \(count) marked") }

        // One transfer for all of them: the cost first, nothing sent until confirmed.
        try tmux.keys("t")
        _ = try tmux.expectScreen("the picker") { $0.contains("Transfer \(count) contacts marked to") }
        try tmux.text("Martín")
        try tmux.keys("Enter")
        let confirm = try tmux.expectScreen("the cost") { $0.contains("Transfer of \(count) contacts to Martín Olivera") }
        #expect(confirm.contains("\(count) transfers · \(count) requests · "))
        #expect(confirm.contains("[ Send ]  [ Cancel ]"))
        try tmux.keys("s")
        let done = try tmux.expectScreen("all done") { $0.contains("\(count)/\(count) done") }
        #expect(!done.contains("failed"))
        try tmux.keys("Enter")
        let after = try tmux.expectScreen("the window closed") { !$0.contains("done") }
        // The table's rows: under the header, as many as were found (or as fit).
        let rows = after.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).prefix(min(count, 36))
        #expect(rows.count == min(count, 36))
        #expect(rows.allSatisfy { $0.contains("Martín Olivera") }, "every row found now belongs to Martín:\n\(after)")
        let status = after.split(separator: "\n").last { $0.contains("DEMO") } ?? ""
        #expect(status.contains("500 contacts") && !status.contains("marked"), "the marks went with the transfer: \(status)")

        // The saved views: the first one with its count, then the list of all of them.
        try tmux.keys("Escape")
        _ = try tmux.expectScreen("the search cleared") { !$0.contains("found in") }
        try tmux.keys("v")
        _ = try tmux.expectScreen("the view") { $0.contains("view 1/2: new for Lucía · ") }
        try tmux.keys("V")
        let views = try tmux.expectScreen("the views") { $0.contains("Every contact (500)") }
        #expect(views.contains("new for Lucía  (") && views.contains("no contact in 7 days  ("))
        try tmux.keys("Escape")
        _ = try tmux.expectScreen("the views closed") { !$0.contains("Every contact (500)") }
        try tmux.keys("C-c")
        _ = try tmux.expectScreen("exit") { $0.contains("EXITED-0") }
    }

    /// The number just before `marker` on the screen (`27 found in …` → 27).
    static func number(before marker: String, in screen: String) -> Int? {
        guard let range = screen.range(of: marker) else { return nil }
        let digits = screen[..<range.lowerBound].reversed().prefix { $0.isNumber || $0 == "," }.reversed().filter(\.isNumber)
        return Int(String(digits))
    }
}
