import Foundation
import ShippedKeymaps
import Testing
import TerminalUI
import VentiaAPI
import VentiaCore
@testable import VentiaApp
@testable import VentiaViewModels

/// A pane is its file and one line in the list of panes: this one exists only here, and the shell
/// gives it a tab, Tab and Shift-Tab reach it, `:probe` shows it, help lists its command, and its
/// actions and drawing are its own.
@MainActor
final class ProbePane: AppPane {
    static let registration = PaneRegistration(id: PaneID(rawValue: "probe"), title: "Probe", command: "probe", aliases: ["pr"], commandHelp: "Go to the probe")
    let context: PaneContext
    private(set) var refreshes = 0

    init(services: PaneServices) { context = services.context }

    var contexts: [KeymapContext] { [.list] }
    var statusSummary: String { "probing" }
    func activate() {}
    func refresh() { refreshes += 1 }
    func perform(_ action: AppAction) -> Bool { false }
    func back() -> Bool { false }
    func shows(errorFrom source: ErrorSource?) -> Bool { source == .named("probe") }
    func draw(_ buffer: inout CellBuffer, area: Rect, now: Date) -> Point? {
        _ = buffer.write("The probe pane, \(refreshes) refreshes", at: Point(x: area.x, y: area.y))
        return nil
    }
}

@Suite(.serialized) @MainActor struct PaneRegistrationTests {
    func screen(_ shell: AppShell) -> [String] {
        var buffer = CellBuffer(size: Size(width: 100, height: 24))
        _ = shell.draw(&buffer)
        return buffer.lines()
    }

    @Test func aPaneRegisteredInOneLineHasATabACommandAndItsOwnScreen() async throws {
        let bed = try await DemoBed.start()
        let (schema, _) = KeymapLoader.parseSchema(try #require(ShippedKeymaps.text("actions")), file: "actions.yaml")
        let (keymap, _) = KeymapLoader.parseKeymap(try #require(ShippedKeymaps.text("default")), file: "default.yaml", schema: schema)
        let shell = AppShell(
            session: bed.session, keymap: keymap, schema: schema, clock: SystemClock(), timeZone: TimeZone(identifier: "UTC") ?? .current,
            panes: PaneList.makers + [{ ProbePane(services: $0) }])
        shell.start()
        #expect(screen(shell)[0].contains("Webhooks") && screen(shell)[0].contains("Probe"))
        // Shift-Tab from the first tab goes round to the last: the probe.
        shell.handle(Key(.tab, .shift))
        #expect(shell.pane == PaneID(rawValue: "probe"))
        #expect(screen(shell)[1].hasPrefix("The probe pane, 0 refreshes"))
        shell.handle(Key(.tab))
        #expect(shell.pane == .contacts)
        shell.run("pr")
        #expect(shell.pane == PaneID(rawValue: "probe"))
        shell.run("refresh")
        #expect(screen(shell)[1].hasPrefix("The probe pane, 1 refreshes"))
        shell.run("contacts")
        shell.run("probe")
        #expect(shell.pane == PaneID(rawValue: "probe"))
        // Its own loads' errors show on it, and on no other pane.
        bed.session.report(message: "the probe failed", from: .named("probe"))
        #expect(screen(shell).contains { $0.contains("the probe failed") })
        shell.run("contacts")
        #expect(!screen(shell).contains { $0.contains("the probe failed") })
        shell.run("probe")
        #expect(screen(shell).contains { $0.contains("the probe failed") })
        #expect(shell.commands.entries.map(\.name) == ["contacts", "users", "sales", "company", "webhooks", "probe", "outbox", "leadform", "me", "notices", "refresh", "help", "quit"])
        await bed.stop()
    }
}
