import Foundation
import TerminalUI
import VentiaCore
import VentiaViewModels

/// The supervisor's review of a period: a header naming the period, its figures beside the
/// previous period's, the selected bar's totals, the chart over the whole period, and the sellers.
@MainActor
struct SalesReviewView {
    let review: SalesReviewViewModel
    let money: MoneyFormat
    let dates: DateText
    let hints: KeyHints
    let theme = Theme.standard
    /// Whether the selected bar's totals have their panel beside the figures (set while drawing).
    var showsBarPanel = true

    /// Where each part goes in the pane's body.
    struct Layout {
        var header: Rect
        /// The figures, and the selected bar's totals beside them.
        var top: Rect
        var chart: Rect
        var sellers: Rect

        init(_ area: Rect) {
            let (header, rest) = area.splitTop(1)
            let (top, below) = rest.splitTop(min(9, rest.height))
            let chartHeight = below.height >= 24 ? below.height * 2 / 5 : min(below.height, 5)
            let (chart, sellers) = below.splitTop(chartHeight)
            self.header = header
            self.top = top
            self.chart = chart
            self.sellers = sellers
        }

        /// The plot's width.
        var plotWidth: Int { max(0, chart.width - 2) }
    }

    /// The bars the chart shows for `range` in `area`: days, else weeks, months or years, the
    /// finest that fits (a day or week bar is 2 columns wide, a month 3, a year 4, one apart).
    static func buckets(for range: DayRange, in area: Rect) -> SalesBuckets {
        let width = Layout(area).plotWidth - 5  // the axis's scale label
        for (unit, barWidth) in [(SalesBuckets.Unit.day, 2), (.week, 2), (.month, 3)] {
            let buckets = SalesBuckets(range, fitting: width / (barWidth + 1))
            if buckets.unit == unit { return buckets }
        }
        return SalesBuckets(range, fitting: width / 5)
    }

    func draw(into buffer: inout CellBuffer, area: Rect, now: Date) {
        let layout = Layout(area)
        header(into: &buffer, area: layout.header, now: now)
        guard let summary = review.summary else {
            let placeholder: String
            switch review.state {
            case .failed(let message): placeholder = "The sales could not be read: \(message)" + (hints.key(.refresh, in: .global).map { " · \($0) tries again" } ?? "")
            case .idle, .loaded, .empty:
                placeholder = "Not read yet" + (hints.key(.refresh, in: .global).map { ": \($0) reads \(PeriodText.phrase(review.period))" } ?? "")
            case .loading, .refreshing: placeholder = "Reading \(PeriodText.phrase(review.period))…"
            }
            buffer.write(placeholder, at: Point(x: area.x + 1, y: layout.top.y + 1), maxWidth: area.width - 2, style: theme.dimText)
            return
        }
        let used = figures(summary, into: &buffer, area: layout.top)
        let buckets = Self.buckets(for: summary.range, in: area)
        let selected = review.selectedBar(in: buckets)
        let bar = layout.top.splitLeft(min(layout.top.width, used + 3)).rest
        var view = self
        view.showsBarPanel = bar.width >= Self.barPanelWidth
        view.barTotals(summary, buckets: buckets, selected: selected, into: &buffer, area: bar)
        view.chart(summary, buckets: buckets, selected: selected, into: &buffer, area: layout.chart)
        sellers(summary, buckets: buckets, into: &buffer, area: layout.sellers)
    }

    // MARK: Header

    func header(into buffer: inout CellBuffer, area: Rect, now: Date) {
        let range = review.range
        var text = PeriodText.name(review.period) + " · " + PeriodText.text(range)
        if let previous = review.period.previous(of: range) { text += " · vs " + PeriodText.text(previous) }
        switch review.state {
        case .loading, .refreshing:
            text += " · reading sales" + (review.pagesTotal.map { ": page \(review.pagesRead + 1) of \($0)…" } ?? "…")
        default:
            if let copy = review.copy { text += " · as of " + dates.asOf(copy.fetchedAt, now: now) }
        }
        if review.changedSinceRead { text += " · a sale changed since" + (hints.key(.refresh, in: .global).map { ": \($0)" } ?? "") }
        if let undated = review.summary?.undated, undated > 0 { text += " · \(undated) undated left out" }
        let keys = [hints.hint(.nextPeriod, in: .salesOverview, "period"), hints.hint(.customPeriod, in: .salesOverview, "dates")].compactMap { $0 }
        let right = keys.joined(separator: "  ")
        let room = area.width - DisplayWidth.of(right) - 2
        buffer.write(text, at: Point(x: area.x, y: area.y), maxWidth: DisplayWidth.of(text) <= room ? room : area.width, style: theme.title)
        if DisplayWidth.of(text) <= room, !right.isEmpty {
            buffer.write(right, at: Point(x: area.maxX - DisplayWidth.of(right), y: area.y), style: theme.dimText)
        }
    }

    // MARK: Figures

    /// The figures' rows: a label, the period's count and value, the previous period's, the change.
    func figureRows(_ summary: SalesSummary) -> [[String]] {
        let now = summary.totals
        let before = summary.previous
        // Counts change by so many (`▲ 4`), amounts and rates by a share (`▼ 12%`, `▲ 3 pt`).
        func counted(_ label: String, _ count: (SalesFigures) -> Int, _ value: (SalesFigures) -> Double) -> [String] {
            [label, String(count(now)), money.string(value(now)), before.map { String(count($0)) } ?? "", before.map { money.string(value($0)) } ?? "",
             before.map { Self.difference(count(now), count($0)) } ?? "", before.map { Self.change(value(now), value($0)) } ?? ""]
        }
        let compared = summary.previousRange != nil
        return [
            ["", "", "period", "", compared ? "previous" : "", compared ? "±" : "", compared ? "change" : ""],
            counted("Sales", \.count, \.value),
            counted("Sold", \.sold, \.soldValue),
            counted("Pending", \.pending, \.pendingValue),
            counted("Cancelled", \.cancelled, \.cancelledValue),
            ["Sold rate", "", Self.percent(now.soldRate), "", before.map { Self.percent($0.soldRate) } ?? "", "", Self.pointChange(now.soldRate, before?.soldRate)],
            ["Cancel rate", "", Self.percent(now.cancelledRate), "", before.map { Self.percent($0.cancelledRate) } ?? "", "",
             Self.pointChange(now.cancelledRate, before?.cancelledRate)],
            ["Avg ticket", "", now.averageTicket.map(money.string) ?? "—", "", before.map { $0.averageTicket.map(money.string) ?? "—" } ?? "", "",
             before.flatMap { previous in now.averageTicket.flatMap { ticket in previous.averageTicket.map { Self.change(ticket, $0) } } } ?? ""],
            counted("Off goal", \.offGoal, \.offGoalValue),
        ]
    }

    /// `▲ 4`, `▼ 3`, `=`: how many more or fewer.
    static func difference(_ now: Int, _ before: Int) -> String {
        now == before ? "=" : (now > before ? "▲ \(now - before)" : "▼ \(before - now)")
    }

    /// Draws the figures as narrow as their longest cells allow; returns the columns used.
    func figures(_ summary: SalesSummary, into buffer: inout CellBuffer, area: Rect) -> Int {
        let rows = figureRows(summary)
        var widths = [9, 3, 6, 3, 6, 1, 5]
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], DisplayWidth.of(cell)) }
        }
        let gaps = [1, 1, 2, 1, 1, 1]
        for (line, row) in rows.enumerated() where area.y + line < area.maxY {
            var x = area.x + 1
            // Column titles in bold: the header's underline would run under the padding too.
            let style = line == 0 ? Style(attributes: .bold) : (line == rows.count - 1 ? theme.dimText : theme.text)
            for (index, cell) in row.enumerated() where x < area.maxX {
                buffer.write(TextFit.pad(cell, to: widths[index], alignRight: index > 0), at: Point(x: x, y: area.y + line), maxWidth: min(widths[index], area.maxX - x), style: style)
                x += widths[index] + (index < gaps.count ? gaps[index] : 0)
            }
        }
        return 1 + widths.reduce(0, +) + gaps.reduce(0, +)
    }

    /// `▲ 12%`, `▼ 3%`, `=`; `new` from nothing.
    static func change(_ now: Double, _ before: Double) -> String {
        if before == 0 { return now == 0 ? "=" : "new" }
        let percent = Int(((now - before) / abs(before) * 100).rounded())
        return percent == 0 ? "=" : (percent > 0 ? "▲ \(percent)%" : "▼ \(-percent)%")
    }

    /// A rate's change in percentage points: `▲ 4 pt`.
    static func pointChange(_ now: Double?, _ before: Double?) -> String {
        guard let now, let before else { return "" }
        let points = Int(((now - before) * 100).rounded())
        return points == 0 ? "=" : (points > 0 ? "▲ \(points) pt" : "▼ \(-points) pt")
    }

    static func percent(_ rate: Double?) -> String { rate.map { "\(Int(($0 * 100).rounded()))%" } ?? "—" }

    // MARK: The selected bar

    /// The panel beside the figures needs this many columns; narrower, the chart's title line says the bar's totals.
    static let barPanelWidth = 24

    /// `Tue 17 Nov`, `16 – 22 Nov`: a bar's days, without the year the header already says.
    static func barTitle(_ days: DayRange, unit: SalesBuckets.Unit) -> String {
        unit == .day ? PeriodText.text(days) : PeriodText.text(days).replacingOccurrences(of: " \(days.last.year)", with: "")
    }

    func barTotals(_ summary: SalesSummary, buckets: SalesBuckets, selected: Int?, into buffer: inout CellBuffer, area: Rect) {
        guard let selected, area.width >= Self.barPanelWidth else { return }
        let days = buckets.ranges[selected]
        let figures = summary.figures(in: days)
        let title = Self.barTitle(days, unit: buckets.unit)
        buffer.write(title, at: Point(x: area.x, y: area.y), maxWidth: area.width, style: review.focus == .chart ? theme.title : theme.header)
        let lines = [
            ("Sales", figures.count, figures.value), ("Sold", figures.sold, figures.soldValue), ("Pending", figures.pending, figures.pendingValue),
            ("Cancelled", figures.cancelled, figures.cancelledValue), ("Off goal", figures.offGoal, figures.offGoalValue),
        ]
        for (index, (label, count, value)) in lines.enumerated() where area.y + 1 + index < area.maxY {
            let text = TextFit.pad(label, to: 9) + TextFit.pad(String(count), to: 4, alignRight: true) + " " + money.string(value)
            buffer.write(text, at: Point(x: area.x, y: area.y + 1 + index), maxWidth: area.width, style: index == 4 ? theme.dimText : theme.text)
        }
        let keys = [hints.key(.previousBar, in: .salesOverview), hints.key(.nextBar, in: .salesOverview)].compactMap { $0 }.joined(separator: " ")
        let open = hints.key(.open, in: .list).map { " · \($0) lists" } ?? ""
        if area.y + 7 < area.maxY { buffer.write(keys + open, at: Point(x: area.x, y: area.y + 7), maxWidth: area.width, style: theme.dimText) }
    }

    // MARK: The chart

    /// The chart's bars, sales counted, labelled by their first day.
    static func barChart(_ summary: SalesSummary, buckets: SalesBuckets) -> BarChart {
        let counts = buckets.sum(summary.perDay.map(\.count), over: summary.range)
        let barWidth = buckets.unit == .month ? 3 : (buckets.unit == .year ? 4 : 2)
        let bars = zip(buckets.ranges, counts).map { days, count in BarChart.Bar(label: Self.label(days, unit: buckets.unit), value: Double(count)) }
        return BarChart(bars: bars, barWidth: barWidth)
    }

    /// Where the bars are drawn in the chart's part of the layout.
    static func plotArea(_ chart: Rect) -> Rect { Rect(x: chart.x + 1, y: chart.y + 1, width: max(0, chart.width - 2), height: max(0, chart.height - 1)) }

    func chart(_ summary: SalesSummary, buckets: SalesBuckets, selected: Int?, into buffer: inout CellBuffer, area: Rect) {
        guard area.height >= 4 else { return }
        let unit = ["day": "a day", "week": "a week", "month": "a month", "year": "a year"][buckets.unit.rawValue] ?? ""
        buffer.write("Sales \(unit)", at: Point(x: area.x + 1, y: area.y), maxWidth: area.width - 2, style: theme.header)
        if !showsBarPanel, let selected {
            // No room beside the figures: the selected bar's totals follow the title.
            let days = buckets.ranges[selected]
            let figures = summary.figures(in: days)
            let text = "  \(Self.barTitle(days, unit: buckets.unit)): \(figures.count) sale\(figures.count == 1 ? "" : "s") · \(money.string(figures.value))"
                + " · \(figures.sold) sold · \(money.string(figures.soldValue))"
            let x = area.x + 1 + DisplayWidth.of("Sales \(unit)")
            buffer.write(text, at: Point(x: x, y: area.y), maxWidth: max(0, area.maxX - x - 1), style: review.focus == .chart ? theme.title : theme.text)
        }
        var chart = Self.barChart(summary, buckets: buckets)
        chart.selected = selected
        chart.focused = review.focus == .chart
        chart.render(into: &buffer, area: Self.plotArea(area))
    }

    /// What a click at `point` lands on: a bar of the chart or a row of the sellers.
    enum Target: Equatable {
        case bar(Int)
        case seller(Int)
    }

    static func target(at point: Point, review: SalesReviewViewModel, area: Rect) -> Target? {
        guard let summary = review.summary else { return nil }
        let layout = Layout(area)
        if Self.plotArea(layout.chart).contains(point) {
            let buckets = Self.buckets(for: summary.range, in: area)
            return Self.barChart(summary, buckets: buckets).bar(atColumn: point.x, in: Self.plotArea(layout.chart)).map(Target.bar)
        }
        let table = layout.sellers.inset(horizontal: 1, vertical: 0)
        guard table.contains(point) else { return nil }
        // The table scrolls only as far as keeps the selection in view, as it is drawn.
        var state = TableState(selected: review.sellerSelection)
        state.scrollToSelection(visibleRows: Table.visibleRows(in: table), rowCount: review.sellers.count)
        return state.row(atLine: point.y, in: table, rowCount: review.sellers.count).map(Target.seller)
    }

    /// Under a bar: its first day (`16`, a week's Monday but for a week cut by the period), the month (`Nov`), the year.
    static func label(_ days: DayRange, unit: SalesBuckets.Unit) -> String {
        switch unit {
        case .day: String(format: "%02d", days.first.day)
        case .week: String(format: "%02d", days.first.day)
        case .month: PeriodText.months[days.first.month - 1]
        case .year: String(days.first.year)
        }
    }

    // MARK: Sellers

    /// `values` summed in `count` runs of (nearly) equal length, in order: a trend as wide as its column.
    nonisolated static func slices(_ values: [Int], into count: Int) -> [Int] {
        let count = min(max(1, count), max(1, values.count))
        return (0..<count).map { slice in
            let start = slice * values.count / count
            let end = (slice + 1) * values.count / count
            return values[start..<end].reduce(0, +)
        }
    }

    func sellers(_ summary: SalesSummary, buckets: SalesBuckets, into buffer: inout CellBuffer, area: Rect) {
        let sellers = review.sellers
        let money = self.money
        let columns = [
            TableColumn("Seller", width: .flexible(min: 12, weight: 2)), TableColumn("Sales", width: .fixed(5), alignRight: true),
            TableColumn("Sold value", width: .fixed(12), alignRight: true), TableColumn("Avg ticket", width: .fixed(11), alignRight: true),
            TableColumn("Canc.", width: .fixed(5), alignRight: true), TableColumn("Share", width: .fixed(5), alignRight: true),
            TableColumn("Trend", width: .flexible(min: 6, weight: 1)),
        ]
        let tableArea = area.inset(horizontal: 1, vertical: 0)
        let scrolls = sellers.count > Table.visibleRows(in: tableArea)
        let trendWidth = TableColumn.layout(columns, available: tableArea.width - (scrolls ? 1 : 0)).last ?? 8
        var table = Table(columns: columns, rowCount: sellers.count) { index in
            let seller = sellers[index]
            let trend = Sparkline(values: Self.slices(seller.perDay, into: trendWidth).map(Double.init)).text
            return [
                seller.name + (seller.isInactive ? " · inactive" : ""), String(seller.figures.count), money.string(seller.figures.soldValue),
                seller.figures.averageTicket.map(money.string) ?? "—", Self.percent(seller.figures.cancelledRate), Self.percent(seller.share), trend,
            ]
        }
        table.rowStyle = { sellers[$0].isInactive ? Theme.standard.dimText : nil }
        table.sortColumn = review.sortColumn.rawValue
        table.sortAscending = !review.sortDescending
        table.focused = review.focus == .sellers
        table.emptyMessage = "No sales in this period"
        var state = TableState(selected: review.sellerSelection)
        table.render(into: &buffer, area: tableArea, state: &state)
    }
}
