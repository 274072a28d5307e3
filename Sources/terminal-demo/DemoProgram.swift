import Dispatch
import Foundation
import ShippedKeymaps
import TerminalUI

/// A small full-screen program over TerminalUI: a filterable table of tricky text (accents, CJK,
/// emoji, escape codes), help built from the keymap, a status line. The tmux tests drive it.
@MainActor
final class DemoProgram {
    struct Row {
        var name: String
        var city: String
        var note: String
        var amount: Int
    }

    let loop: TerminalLoop
    let keymap: Keymap
    let schema: KeymapSchema
    let rows: [Row]
    var visible: [Int]
    var filterIndex: TextFilterIndex
    var table = TableState()
    var filter = TextFieldState()
    var filtering = false
    var helpScroll: Int?
    var flash: FlashMessage?
    var sortAscending = true
    let onQuit: (Int32) -> Void

    init(loop: TerminalLoop, keymap: Keymap, schema: KeymapSchema, rowCount: Int, onQuit: @escaping (Int32) -> Void) {
        self.loop = loop
        self.keymap = keymap
        self.schema = schema
        self.onQuit = onQuit
        let special = [
            Row(name: "José Ñandú", city: "Montevideo", note: "accents: ñ á é í ó ú ü", amount: 1200),
            Row(name: "王小明", city: "北京市", note: "CJK takes two columns", amount: 880),
            Row(name: "Zoë 😀 Añón", city: "Punta 🏖 del Este", note: "emoji 👍🏽 and 🇺🇾", amount: 42),
            Row(name: "Cafe\u{301} combining", city: "Salto", note: "e + U+0301", amount: 7),
            Row(name: "Hostile \u{1B}[2J\u{1B}]0;pwned\u{07}", city: "\u{202E}desrever", note: "escapes stay visible", amount: 1),
        ]
        let firstNames = ["Agustín", "Sofía", "Martín", "Lucía", "Joaquín", "Valentina", "Matías", "Camila"]
        let cities = ["Montevideo", "Salto", "Paysandú", "Rivera", "Maldonado", "Colonia", "Tacuarembó"]
        var generated = special
        for index in 0..<max(0, rowCount - special.count) {
            generated.append(
                Row(name: "\(firstNames[index % firstNames.count]) #\(index + 1)", city: cities[index % cities.count], note: "row \(index + 1)", amount: (index * 37) % 5000))
        }
        rows = generated
        visible = Array(generated.indices)
        filterIndex = TextFilterIndex(texts: generated.map { "\($0.name) \($0.city)" })
        loop.render = { [unowned self] buffer in self.render(&buffer) }
        loop.onEvent = { [unowned self] event in self.handle(event) }
    }

    var contexts: [String] { ["list", "global"] }

    func handle(_ event: TerminalEvent) {
        switch event {
        case .terminate: onQuit(0)
        case .resize, .mouse: break
        case .paste(let text):
            if filtering {
                filter.insert(text)
                applyFilter()
            }
        case .key(let key): handle(key)
        }
    }

    func handle(_ key: Key) {
        if key == .ctrl("c") { return onQuit(0) }
        if helpScroll != nil {
            switch key.code {
            case .char("j"), .down: helpScroll? += 1
            case .char("k"), .up: helpScroll? -= 1
            default: helpScroll = nil
            }
            return
        }
        if filtering {
            switch keymap.action(for: key, in: ["global"]) == "cancel" ? "cancel" : (key.code == .enter ? "accept" : "") {
            case "cancel":
                filtering = false
                filter = TextFieldState()
                applyFilter()
            case "accept":
                filtering = false
            default:
                if filter.handle(key) { applyFilter() }
            }
            return
        }
        let page = max(1, Table.visibleRows(in: tableArea) - 1)
        switch keymap.action(for: key, in: contexts) {
        case "quit", "back": onQuit(0)
        case "help": helpScroll = 0
        case "move_down": table.move(by: 1, rowCount: visible.count)
        case "move_up": table.move(by: -1, rowCount: visible.count)
        case "top": table.select(0, rowCount: visible.count)
        case "bottom": table.select(visible.count - 1, rowCount: visible.count)
        case "page_down": table.move(by: page, rowCount: visible.count)
        case "page_up": table.move(by: -page, rowCount: visible.count)
        case "filter": filtering = true
        case "sort", "sort_reverse":
            sortAscending.toggle()
            visible.reverse()
        case "open":
            if visible.indices.contains(table.selected) {
                flash = FlashMessage("Opened \(rows[visible[table.selected]].name)", kind: .success)
            }
        case "cancel":
            flash = nil
            if !filter.isEmpty {
                filter = TextFieldState()
                applyFilter()
            }
        default:
            if let text = key.text { flash = FlashMessage("\(KeyName.label(Key(.char(text)))) is not bound here; ? shows the keys", kind: .warning) }
        }
    }

    func applyFilter() {
        visible = filterIndex.filter(filter.text)
        if !sortAscending { visible.reverse() }
        table = TableState()
    }

    var tableArea: Rect {
        let size = loop.backend.size
        return Rect(x: 0, y: 1, width: size.width, height: size.height - 3)
    }

    func render(_ buffer: inout CellBuffer) -> Point? {
        let area = buffer.bounds
        TabBar(titles: ["Demo", "Widgets"], active: 0).render(into: &buffer, area: area.splitTop(1).top)
        let rows = self.rows
        let visible = self.visible
        var view = Table(
            columns: [
                TableColumn("Name", width: .flexible(min: 10, weight: 2)), TableColumn("City", width: .flexible(min: 8, weight: 1)),
                TableColumn("Note", width: .flexible(min: 8, weight: 2)), TableColumn("Amount", width: .fixed(7), alignRight: true),
            ],
            rowCount: visible.count,
            row: { index in
                let row = rows[visible[index]]
                return [row.name, row.city, row.note, String(row.amount)]
            })
        view.sortColumn = 0
        view.sortAscending = sortAscending
        view.emptyMessage = "No row matches \"\(filter.text)\""
        view.render(into: &buffer, area: tableArea, state: &table)
        var caret: Point?
        let inputRow = Rect(x: 0, y: area.height - 2, width: area.width, height: 1)
        if filtering || !filter.isEmpty {
            buffer.write("/", at: Point(x: 0, y: inputRow.y), style: Theme.standard.title)
            caret = TextField(placeholder: "filter", focused: filtering).render(
                into: &buffer, area: Rect(x: 1, y: inputRow.y, width: area.width - 1, height: 1), state: &filter)
        } else if let flash {
            FlashView().render(into: &buffer, area: inputRow, message: flash)
        }
        let amounts = visible.prefix(40).map { Double(rows[$0].amount) }
        StatusLine(
            left: [StatusSegment("terminal-demo", style: Theme.standard.statusAccent), StatusSegment("? help · / filter · q quit")],
            right: [StatusSegment(Sparkline(values: amounts).text), StatusSegment("row \(visible.isEmpty ? 0 : table.selected + 1)/\(visible.count)")]
        ).render(into: &buffer, area: area.splitBottom(1).bottom)
        if var scroll = helpScroll {
            HelpOverlay(sections: schema.helpSections(for: keymap, contexts: ["global", "list"]), title: "Help — j/k scroll, any other key closes")
                .render(into: &buffer, area: area, scroll: &scroll)
            helpScroll = scroll
            return nil
        }
        return caret
    }
}

/// Entry point: `terminal-demo [--rows N] [--crash-after-paint]`.
@main
enum DemoMain {
    @MainActor
    static func main() {
        let arguments = CommandLine.arguments
        let rowCount = arguments.firstIndex(of: "--rows").flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? 1000
        let (schema, schemaIssues) = KeymapLoader.parseSchema(ShippedKeymaps.text("actions") ?? "", file: "keymaps/actions.yaml")
        let (keymap, keymapIssues) = KeymapLoader.parseKeymap(ShippedKeymaps.text("default") ?? "", file: "keymaps/default.yaml", schema: schema)
        for issue in schemaIssues + keymapIssues { FileHandle.standardError.write(Data("terminal-demo: \(issue)\n".utf8)) }
        let backend: NcursesBackend
        do {
            backend = try NcursesBackend(environment: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("terminal-demo: \(error)\n".utf8))
            exit(1)
        }
        let loop = TerminalLoop(backend: backend)
        loop.onResize = { backend.refreshSize() }
        let program = DemoProgram(loop: loop, keymap: keymap, schema: schema, rowCount: rowCount) { code in
            backend.close()
            exit(code)
        }
        loop.start()
        if arguments.contains("--crash-after-paint") {
            DispatchQueue.main.asyncAfter(deadline: .now() + .milliseconds(300)) {
                fatalError("terminal-demo: crashing on purpose (--crash-after-paint)")
            }
        }
        // dispatchMain never returns, so the program lives as long as the process.
        withExtendedLifetime(program) { dispatchMain() }
    }
}
