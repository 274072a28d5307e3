import Testing
@testable import TerminalUI

/// Every widget drawn into a buffer and compared as text.
@Suite struct WidgetSnapshotTests {
    static let people: [[String]] = [
        ["José Ñandú", "Montevideo", "1200"], ["王小明", "北京市", "880"], ["Zoë 😀 Añón", "Punta del Este", "42"],
        ["Agustín Suárez", "Salto", "7"],
    ]

    func table(width: Int, height: Int, state: inout TableState, rows: [[String]] = people) -> [String] {
        var buffer = CellBuffer(size: Size(width: width, height: height))
        var view = Table(
            columns: [
                TableColumn("Name", width: .flexible(min: 6, weight: 2)), TableColumn("City", width: .flexible(min: 5, weight: 1)),
                TableColumn("Amt", width: .fixed(4), alignRight: true),
            ],
            rowCount: rows.count, row: { rows[$0] })
        view.sortColumn = 0
        view.render(into: &buffer, area: buffer.bounds, state: &state)
        return buffer.lines()
    }

    @Test func tableWithWideRows() {
        var state = TableState(selected: 1)
        #expect(
            table(width: 34, height: 5, state: &state) == [
                "Name ▲            City         Amt",
                "José Ñandú        Montevideo  1200",
                "王小明            北京市       880",
                "Zoë 😀 Añón       Punta del…    42",
                "Agustín Suárez    Salto          7",
            ])
    }

    @Test func narrowTableScrollsAndMarksPosition() {
        var state = TableState(selected: 3)
        let lines = table(width: 20, height: 3, state: &state)
        #expect(lines == ["Name ▲  City    Amt", "Zoë 😀… Punta…   42", "Agustí… Salto     7┃"])
        #expect(state.offset == 2)
    }

    @Test func virtualScrollingAsksOnlyForVisibleRows() {
        let asked = Box<Set<Int>>([])
        var buffer = CellBuffer(size: Size(width: 20, height: 6))
        var state = TableState(selected: 50_000)
        let view = Table(columns: [TableColumn("N", width: .flexible(min: 3, weight: 1))], rowCount: 100_000) { index in
            asked.value.insert(index)
            return [String(index)]
        }
        view.render(into: &buffer, area: buffer.bounds, state: &state)
        #expect(asked.value.count == 5)
        #expect(asked.value.contains(50_000))
    }

    @Test func emptyTableSaysSo() {
        var state = TableState()
        #expect(table(width: 30, height: 3, state: &state, rows: [])[1] == "Nothing to show")
    }

    @Test func textFieldScrollsToTheCaretAndMasks() {
        var buffer = CellBuffer(size: Size(width: 8, height: 2))
        var state = TextFieldState("Agustín Suárez")
        let caret = TextField().render(into: &buffer, area: Rect(x: 0, y: 0, width: 8, height: 1), state: &state)
        #expect(buffer.lines()[0] == " Suárez")
        #expect(caret == Point(x: 7, y: 0))
        var secret = TextFieldState("s3creto")
        TextField(masked: true).render(into: &buffer, area: Rect(x: 0, y: 1, width: 8, height: 1), state: &secret)
        #expect(buffer.lines()[1] == "•••••••")
        var empty = TextFieldState()
        var other = CellBuffer(size: Size(width: 12, height: 1))
        TextField(placeholder: "buscar…").render(into: &other, area: other.bounds, state: &empty)
        #expect(other.text == "buscar…")
    }

    @Test func formShowsErrorsUnderTheirFields() {
        var form = FormState(fields: [
            FormField(id: "name", label: "Nombre", value: "J", validate: { $0.count < 2 ? "must be 2 to 32 characters" : nil }),
            FormField(id: "password", label: "Clave", kind: .secret, value: "abcd"),
            FormField(id: "roles", label: "Roles", kind: .toggles(["user", "super"]), value: "user"),
        ])
        let valid = form.validate()
        #expect(!valid)
        form.apply(errors: [(field: "email", message: "is already used")], message: nil)
        var buffer = CellBuffer(size: Size(width: 40, height: 9))
        FormView(title: "Nuevo usuario", footer: "enter sends · esc cancels").render(into: &buffer, area: buffer.bounds, state: &form)
        #expect(
            buffer.lines() == [
                "┌ Nuevo usuario ───────────────────────┐",
                "│ Nombre  J                            │",
                "│         ✗ must be 2 to 32 characters │",
                "│ Clave   ••••                         │",
                "│ Roles   [x] user  [ ] super          │",
                "│ ✗ email is already used              │",
                "│                                      │",
                "│ enter sends · esc cancels            │",
                "└──────────────────────────────────────┘",
            ])
        form.focus = 2
        _ = form.handleEditing(Key(.right))
        _ = form.handleEditing(.char(" "))
        #expect(form.value("roles") == "user,super")
    }

    @Test func confirmDialog() {
        var state = DialogState.confirm(title: "Reemplazar", message: "Se restablecen teléfono y roles.")
        var buffer = CellBuffer(size: Size(width: 40, height: 7))
        Dialog().render(into: &buffer, area: buffer.bounds, state: state)
        #expect(
            buffer.lines() == [
                "",
                "  ┌ Reemplazar ──────────────────────┐",
                "  │ Se restablecen teléfono y roles. │",
                "  │                                  │",
                "  │         [ Yes ]  [ No ]          │",
                "  └──────────────────────────────────┘",
                "",
            ])
        #expect(buffer.lines().contains { $0.contains("[ Yes ]  [ No ]") })
        #expect(state.handle(Key(.enter)) == 1)
        #expect(state.handle(.char("y")) == 0)
    }

    @Test func fuzzyPickerHighlightsAndCounts() {
        var picker = PickerState(title: "Agente", items: ["Lucía Fernández", "Martín Olivera", "Valentina Sosa"])
        _ = picker.handle(.char("v"))
        var buffer = CellBuffer(size: Size(width: 30, height: 10))
        FuzzyPicker().render(into: &buffer, area: buffer.bounds, state: &picker)
        let lines = buffer.lines()
        #expect(lines[1].contains("┌ Agente"))
        #expect(lines[2].contains("> v"))
        // "v" starts a word in Valentina: it ranks first.
        #expect(lines[4].contains("Valentina Sosa"))
        #expect(lines[5].contains("Martín Olivera"))
        #expect(lines[8].contains("2/3"))
        let highlighted = (0..<30).filter { buffer[$0, 5].style.attributes.contains(.underline) }
        #expect(!highlighted.isEmpty)
    }

    @Test func tabBarStatusLineAndFlash() {
        var buffer = CellBuffer(size: Size(width: 40, height: 3))
        TabBar(titles: ["Contactos", "Usuarios"], keys: ["1", "M-2"], active: 1).render(into: &buffer, area: Rect(x: 0, y: 0, width: 40, height: 1))
        StatusLine(left: [StatusSegment("DEMO"), StatusSegment("127.0.0.1:8080")], right: [StatusSegment("API 187/200 · 23s")])
            .render(into: &buffer, area: Rect(x: 0, y: 1, width: 40, height: 1))
        FlashView().render(into: &buffer, area: Rect(x: 0, y: 2, width: 40, height: 1), message: FlashMessage("Nota guardada", kind: .success))
        #expect(buffer.lines() == [" 1 Contactos  M-2 Usuarios", " DEMO  127.0.0.1:80…  API 187/200 · 23s", "✓ Nota guardada"])
        #expect(buffer[14, 0].style == Theme.standard.activeTab)
        var plain = CellBuffer(size: Size(width: 40, height: 1))
        TabBar(titles: ["Contactos", "Usuarios"], active: 0).render(into: &plain, area: Rect(x: 0, y: 0, width: 40, height: 1))
        #expect(plain.lines() == [" Contactos  Usuarios"])
        #expect(FlashMessage("x", expiresAt: 5).isVisible(at: 4) && !FlashMessage("x", expiresAt: 5).isVisible(at: 5))
    }

    @Test func helpOverlayListsKeymap() {
        let schema = KeymapSchema(contexts: [
            (name: "list", title: "Listas", actions: [.init(name: "move_down", help: "Bajar"), .init(name: "open", help: "Abrir")])
        ])
        var keymap = Keymap()
        keymap.bind([.char("j"), Key(.down)], to: "move_down", in: "list")
        var buffer = CellBuffer(size: Size(width: 40, height: 8))
        var scroll = 0
        HelpOverlay(sections: schema.helpSections(for: keymap, contexts: ["list"]), title: "Ayuda").render(into: &buffer, area: buffer.bounds, scroll: &scroll)
        let lines = buffer.lines()
        #expect(lines[1].contains("Ayuda"))
        #expect(lines[2].contains("Listas"))
        #expect(lines[3].contains("j ↓") && lines[3].contains("Bajar"))
        #expect(lines[4].contains("—") && lines[4].contains("Abrir"))
    }

    @Test func barChartAndSparkline() {
        var buffer = CellBuffer(size: Size(width: 16, height: 5))
        BarChart(bars: [.init(label: "lu", value: 2), .init(label: "ma", value: 8), .init(label: "mi", value: 4)], barWidth: 2)
            .render(into: &buffer, area: buffer.bounds)
        #expect(buffer.lines() == ["8    ██", "     ██", "     ██ ██", "0 ██ ██ ██", "  lu ma mi"])
        var narrow = CellBuffer(size: Size(width: 9, height: 4))
        BarChart(bars: [.init(label: "a", value: 10), .init(label: "b", value: 1), .init(label: "c", value: 2)], barWidth: 2)
            .render(into: &narrow, area: narrow.bounds)
        #expect(narrow.lines() == ["2    ██", "  ▄▄ ██", "0 ██ ██", "  b  c"], "the bars that fit, scaled among themselves")
        #expect(Sparkline(values: [0, 1, 2, 3, 4, 5, 6, 7]).text == "▁▂▃▄▅▆▇█")
        #expect(Sparkline(values: []).text == "")
        #expect(BarChart.compact(12_345) == "12.3k")
    }
}

@Suite struct ColorModeTests {
    @Test func noColorKeepsEmphasis() {
        let mode = ColorMode.detect(environment: ["NO_COLOR": "1"], terminalColors: 256)
        #expect(mode == .monochrome)
        #expect(mode.adapt(Theme.standard.selection) == Style(attributes: [.reverse, .bold]))
    }

    @Test func detectsAndDownsamples() {
        #expect(ColorMode.detect(environment: [:], terminalColors: 8) == .basic8)
        #expect(ColorMode.detect(environment: [:], terminalColors: 256) == .indexed256)
        #expect(ColorMode.detect(environment: ["COLORTERM": "truecolor"], terminalColors: 256) == .trueColor)
        #expect(ColorMode.detect(environment: [:], terminalColors: 0) == .monochrome)
        #expect(Color.rgb(250, 10, 10).basic == .red)
        #expect(Color.indexed(51).basic == .cyan)
        #expect(Color.rgb(128, 128, 128).indexed256 == .indexed(244))
        #expect(ColorMode.basic8.adapt(Style(foreground: .ansi(9))).foreground == .red)
        // Reverse stands in for a background color only where colors are off.
        #expect(ColorMode.indexed256.adapt(Theme.standard.selection).attributes == [.bold])
        #expect(ColorMode.monochrome.adapt(Theme.standard.selection).attributes == [.reverse, .bold])
    }

    @Test func everyThemeRoleIsDistinctWithoutColor() {
        let theme = Theme.standard
        let roles = [theme.selection, theme.header, theme.error, theme.statusLine, theme.input, theme.text]
        let monochrome = roles.map { ColorMode.monochrome.adapt($0) }
        #expect(monochrome[0] != monochrome[5])
        #expect(monochrome[1] != monochrome[5])
        #expect(monochrome[2] != monochrome[5])
        #expect(monochrome[3] != monochrome[5])
    }
}

final class Box<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
