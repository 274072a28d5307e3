import Foundation
import ShippedKeymaps
import SnapshotTesting
import Testing
import TerminalUI
import VentiaAPI
@testable import VentiaApp
@testable import VentiaServer
@testable import VentiaViewModels

/// A whole app over a demo server where nothing varies between runs: the server's and the app's
/// clock stand still at one instant, the time zone is UTC, the seed is fixed, and the status line
/// names a fixed host instead of the server's random port.
@MainActor
struct GoldenBed {
    static let instant = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 11:06:40 UTC

    let server: VentiaLocalServer
    let session: AppSession
    let shell: AppShell
    let transport: FaultInjectingTransport

    static func start(keymap name: String = "default", saleCount: Int = 30) async throws -> GoldenBed {
        let clock = ManualClock(instant)
        let server = try await VentiaLocalServer.start(
            ServerConfiguration(port: 0, seed: 11, contactCount: 40, saleCount: saleCount, clock: clock))
        let transport = FaultInjectingTransport()
        let client = VentiaClient(
            configuration: VentiaConfiguration(baseURL: server.baseURL, apiKey: APIKey(DemoKeys.primaryAccount[0])),
            transport: transport, rateBudget: RateBudget(clock: clock), retryPolicy: .never)
        let session = AppSession(client: client, connection: ConnectionInfo(mode: .demo, host: "127.0.0.1:8080"))
        let (schema, _) = KeymapLoader.parseSchema(try #require(ShippedKeymaps.text("actions")), file: "actions.yaml")
        let (keymap, _) = KeymapLoader.parseKeymap(try #require(ShippedKeymaps.text(name)), file: "\(name).yaml", schema: schema)
        let shell = AppShell(session: session, keymap: keymap, schema: schema, clock: clock, timeZone: TimeZone(identifier: "UTC") ?? .current)
        shell.start()
        let bed = GoldenBed(server: server, session: session, shell: shell, transport: transport)
        await bed.settle("the first page") { shell.contacts.state == .loaded && session.usersState == .loaded && session.groupState == .loaded }
        return bed
    }

    func stop() async { await server.stop() }

    /// Waits until `condition` holds and no request is in flight, so the frame is the final one.
    func settle(_ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ condition: @escaping @MainActor () -> Bool = { true }) async {
        await eventually(what, sourceLocation: sourceLocation) {
            condition() && session.client.requestsInFlight == 0 && session.requestsInFlight == 0
        }
    }

    func keys(_ keys: Key...) { for key in keys { shell.handle(key) } }

    func type(_ text: String) { for character in text { shell.handle(.char(character)) } }

    /// The seeded contact whose timeline holds the most kinds of interaction.
    func contactWithEveryInteractionType() throws -> String {
        try {
            let state = try server.service.store.snapshot()
            let ranked = state.interactions.map { ($0.key, Set($0.value.map(\.type)).count) }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
            return ranked.first?.0 ?? ""
        }()
    }

    /// Selects the contact with this id in the list.
    func select(contactId: String) {
        if let index = shell.contacts.visible.firstIndex(where: { shell.contacts.contacts[$0].id == contactId }) {
            shell.contacts.select(index)
        }
    }
}

/// A frame as text, then as a map of the styles that carry meaning, one letter a cell.
@MainActor
enum ScreenText {
    static func render(_ shell: AppShell, width: Int, height: Int, colorMode: ColorMode = .indexed256, theme: Theme = .dark) -> String {
        var buffer = CellBuffer(size: Size(width: width, height: height))
        _ = shell.draw(&buffer)
        theme.restyle(&buffer)
        var rows: [String] = buffer.lines(trimmingTrailingSpaces: true)
        rows.append(String(repeating: "─", count: width) + " styles")
        for y in 0..<height {
            var codes = ""
            for x in 0..<width { codes.append(code(colorMode.adapt(buffer[x, y].style))) }
            rows.append(codes)
        }
        rows.append(legend)
        return rows.joined(separator: "\n") + "\n"
    }

    static let legend = "S selection/accent (on cyan) · r reverse or other background · E error (red) · W warning (yellow) · G success (green) · C cyan · M magenta · d dim · b bold · u underline · . plain"

    /// One letter for the role a style plays; colors first, as they carry the most meaning.
    static func code(_ style: Style) -> Character {
        // A background color, or reverse video where colors are off, marks selection and chrome.
        if style.background.basic == .cyan { return "S" }
        if style.background != .default || style.attributes.contains(.reverse) { return "r" }
        if style.attributes.contains(.dim) || style.foreground == .brightBlack { return "d" }
        switch style.foreground.basic {
        case .red: return "E"
        case .yellow: return "W"
        case .green: return "G"
        case .cyan: return "C"
        case .magenta: return "M"
        default: break
        }
        if style.attributes.contains(.bold) { return "b" }
        if style.attributes.contains(.underline) { return "u" }
        return "."
    }
}

extension Snapshotting where Value == String, Format == String {
    /// A screen, compared line by line; a mismatch prints both screens as a diff.
    static var screen: Snapshotting { Snapshotting(pathExtension: "txt", diffing: .lines) }
}
