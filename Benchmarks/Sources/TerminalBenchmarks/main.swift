import Foundation
import TerminalUI

/// Times the terminal layer's hot paths on a 100,000-row table at 200×50:
/// a full frame, a page scroll, and one filter keystroke. Prints median and p95 per operation.

struct Measurement {
    var name: String
    var samples: [Duration]

    var median: Duration { samples.sorted()[samples.count / 2] }
    var p95: Duration { samples.sorted()[min(samples.count - 1, samples.count * 95 / 100)] }

    static func milliseconds(_ duration: Duration) -> String {
        let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%.3f ms", ms)
    }
}

func measure(_ name: String, iterations: Int, _ body: (Int) -> Void) -> Measurement {
    let clock = ContinuousClock()
    for warmup in 0..<5 { body(warmup) }
    var samples: [Duration] = []
    for iteration in 0..<iterations {
        samples.append(clock.measure { body(iteration) })
    }
    return Measurement(name: name, samples: samples)
}

let size = Size(width: 200, height: 50)
let cities = ["Montevideo", "Salto", "Paysandú", "Rivera", "Maldonado", "Colonia", "Tacuarembó", "北京市"]
let names = ["Agustín", "Sofía", "Martín", "Lucía", "Joaquín", "Valentina", "王小明", "Zoë 😀"]
let rows: [[String]] = (0..<100_000).map { index in
    ["\(names[index % names.count]) Suárez \(index)", cities[index % cities.count], "+5989\(1_000_000 + index)", "nota \(index)", String(index * 7 % 9999)]
}
let columns = [
    TableColumn("Nombre", width: .flexible(min: 12, weight: 3)), TableColumn("Ciudad", width: .flexible(min: 8, weight: 2)),
    TableColumn("Teléfono", width: .fixed(13)), TableColumn("Nota", width: .flexible(min: 8, weight: 2)),
    TableColumn("Monto", width: .fixed(6), alignRight: true),
]

func frame(visible: [Int], state: inout TableState) -> CellBuffer {
    var buffer = CellBuffer(size: size)
    let area = buffer.bounds
    TabBar(titles: ["Contactos", "Usuarios", "Ventas"], active: 0).render(into: &buffer, area: area.splitTop(1).top)
    Table(columns: columns, rowCount: visible.count) { rows[visible[$0]] }
        .render(into: &buffer, area: Rect(x: 0, y: 1, width: size.width, height: size.height - 2), state: &state)
    StatusLine(left: [StatusSegment("DEMO")], right: [StatusSegment("API 187/200 · 23s"), StatusSegment("\(state.selected + 1)/\(visible.count)")])
        .render(into: &buffer, area: area.splitBottom(1).bottom)
    return buffer
}

let all = Array(rows.indices)
var state = TableState()
var results: [Measurement] = []
var sink = 0

results.append(measure("full frame, 100k-row table", iterations: 300) { _ in
    sink &+= frame(visible: all, state: &state).size.width
})

let page = Table.visibleRows(in: Rect(x: 0, y: 1, width: size.width, height: size.height - 2))
results.append(measure("scroll one page + frame", iterations: 300) { _ in
    state.move(by: page, rowCount: all.count)
    sink &+= frame(visible: all, state: &state).size.width
})

// Typing "/suarez 9" one key at a time, then starting over: each keystroke filters the rows
// (from scratch on the first key, from the previous matches after) and draws the frame.
let typed = Array("suarez 9")
var index = TextFilterIndex(texts: rows.map { $0[0] + " " + $0[1] })
results.append(measure("filter keystroke over 100k rows + frame", iterations: 200) { iteration in
    let query = String(typed.prefix(iteration % typed.count + 1))
    let visible = index.filter(query)
    var filteredState = TableState()
    sink &+= frame(visible: visible, state: &filteredState).size.width
})
var fresh = TextFilterIndex(texts: rows.map { $0[0] + " " + $0[1] })
results.append(measure("filter from scratch (first keystroke) + frame", iterations: 100) { iteration in
    let visible = fresh.filter(iteration % 2 == 0 ? "s" : "m")
    var filteredState = TableState()
    sink &+= frame(visible: visible, state: &filteredState).size.width
})

print("TerminalUI benchmarks (\(size.width)×\(size.height), 100,000 rows), the table of docs/benchmarks.md:")
print("| operation | median | p95 |")
print("|---|---|---|")
for result in results {
    print("| \(result.name) | \(Measurement.milliseconds(result.median)) | \(Measurement.milliseconds(result.p95)) |")
}
if sink == 42 { print("") }  // keeps the work from being optimized away
