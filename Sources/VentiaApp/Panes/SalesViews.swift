import Foundation
import TerminalUI
import VentiaAPI
import VentiaViewModels

/// The sales page, the selected sale's card and the overview.
@MainActor
struct SalesViews {
    let session: AppSession
    let dates: DateText
    let hints: KeyHints
    let theme = Theme.standard

    /// The table: below the header line, above the card, which takes 5 rows when there is room.
    static func tableArea(in area: Rect) -> Rect {
        let rest = area.splitTop(1).1
        return rest.splitBottom(rest.height >= 14 ? 5 : 0).0
    }

    func sales(_ model: SalesListViewModel, into buffer: inout CellBuffer, area: Rect, state: inout TableState, overview: Bool) {
        let (header, rest) = area.splitTop(1)
        let filterKey = hints.key(.filterStatus, in: .sales)
        let filter = model.statusFilter.map { status in filterKey.map { "only \(status) (\($0))" } ?? "only \(status)" } ?? filterKey.map { "\($0) status" }
        let pages = [hints.key(.previousPage, in: .sales), hints.key(.nextPage, in: .sales)].compactMap { $0 }
        let parts = [model.pageDescription + " · \(model.cursor.limit) per page", filter, pages.isEmpty ? nil : pages.joined(separator: " ") + " pages",
            hints.hint(.overview, in: .sales, "overview")]
        buffer.write(parts.compactMap { $0 }.joined(separator: "  ·  "), at: Point(x: area.x, y: header.y), maxWidth: area.width, style: theme.dimText)
        if overview {
            let (scopeLine, overviewArea) = rest.splitTop(1)
            buffer.write(overviewScope(model), at: Point(x: area.x, y: scopeLine.y), maxWidth: area.width, style: theme.title)
            self.overview(SalesOverview(sales: model.overviewSales, timeZone: dates.timeZone), into: &buffer, area: overviewArea)
            return
        }
        let (body, cardArea) = rest.splitBottom(rest.height >= 14 ? 5 : 0)
        if let sale = model.selectedSale, !cardArea.isEmpty { card(sale, into: &buffer, area: cardArea) }
        let sales = model.visible
        if sales.isEmpty {
            LoadPlaceholder.render(model.state, noun: "sales", hints: hints, into: &buffer, area: body)
            return
        }
        let dates = self.dates
        var table = Table(
            columns: [
                TableColumn("Ticket", width: .fixed(9)), TableColumn("Date", width: .fixed(10)),
                TableColumn("Customer", width: .flexible(min: 10, weight: 3)), TableColumn("Phone", width: .fixed(13)),
                TableColumn("Status", width: .fixed(9)), TableColumn("S/C", width: .fixed(3)),
                TableColumn("User", width: .flexible(min: 8, weight: 2)), TableColumn("Value", width: .fixed(8), alignRight: true),
            ],
            rowCount: sales.count,
            row: { index in
                let sale = sales[index]
                let marked = model.marks.contains(sale.id) ? "* " : ""
                let flag = sale.sold == true ? "✓" : (sale.cancel == true ? "✗" : "·")
                return [
                    marked + (sale.ticketId ?? "—"), String(dates.full(sale.dateSale ?? sale.date).prefix(10)), (sale.lock ? "🔒 " : "") + (sale.name ?? "—"),
                    sale.phone ?? "—", sale.status ?? "—", flag, sale.userDisplayName, sale.value.map { String(Int($0)) } ?? "—",
                ]
            })
        table.rowStyle = { index in
            if model.marks.contains(sales[index].id) { return Theme.standard.title }
            return sales[index].cancel == true ? Theme.standard.dimText : nil
        }
        table.emptyMessage = "No \(model.statusFilter ?? "") sales on this page"
        state.selected = model.selection
        table.render(into: &buffer, area: body, state: &state)
    }

    func card(_ sale: Sale, into buffer: inout CellBuffer, area: Rect) {
        let title = "Sale \(sale.ticketId ?? sale.id)" + (sale.lock ? "  🔒 locked: Ventia refuses changes" : "")
        buffer.drawBorder(area, style: sale.lock ? theme.warning : theme.border, title: title, titleStyle: sale.lock ? theme.warning : theme.title)
        let inner = area.inset(horizontal: 2, vertical: 1)
        let lines = [
            "\(sale.status ?? "—") · \(sale.name ?? "—") · \(sale.phone ?? "—") · gov id \(sale.govId ?? "—")",
            "sold \(dates.full(sale.dateSale)) · by \(sale.userDisplayName) · \(sale.product ?? sale.type ?? "—") · value \(sale.value.map { String(Int($0)) } ?? "—")",
            "id \(sale.id) · \(sale.importation ?? "")",
        ]
        for (index, line) in lines.enumerated() where index < inner.height {
            buffer.write(line, at: Point(x: inner.x, y: inner.y + index), maxWidth: inner.width)
        }
    }

    /// What the overview counts, and how to widen it.
    func overviewScope(_ model: SalesListViewModel) -> String {
        let filter = model.statusFilter.map { " \($0)" } ?? ""
        switch model.allSalesState {
        case .loading, .refreshing:
            return "Loading every page: \(model.allSalesPagesLoaded) of \(model.requestsForAllPages ?? 0)…"
        case .loaded, .empty:
            return "Overview of all \(model.overviewSales.count)\(filter) sales"
        case .failed(let message):
            return "Every page could not be loaded (\(message)); showing this page"
        case .idle:
            let cost = model.requestsForAllPages.map { " (\($0) request\($0 == 1 ? "" : "s"))" } ?? ""
            let widen = hints.key(.overviewAll, in: .sales).map { "  ·  \($0): every page\(cost)" } ?? ""
            return "Overview of this page: \(model.overviewSales.count)\(filter) sales" + widen
        }
    }

    /// Totals by status and by user beside a bar chart of sales per day, for the page or every page.
    func overview(_ overview: SalesOverview, into buffer: inout CellBuffer, area: Rect) {
        let sideWidth = min(38, area.width / 2)
        let (side, chartArea) = area.splitLeft(sideWidth)
        var y = side.y + 1
        func section(_ title: String, _ totals: [SalesOverview.Total]) {
            guard y < side.maxY else { return }
            buffer.write(title, at: Point(x: side.x + 1, y: y), maxWidth: side.width - 2, style: theme.header)
            y += 1
            for total in totals where y < side.maxY {
                buffer.write(total.label, at: Point(x: side.x + 1, y: y), maxWidth: side.width - 18)
                buffer.write(TextFit.pad("\(total.count)", to: 5, alignRight: true) + TextFit.pad(String(Int(total.value)), to: 10, alignRight: true), at: Point(x: side.maxX - 16, y: y), maxWidth: 16)
                y += 1
            }
            y += 1
        }
        section("By status          sales     value", overview.byStatus)
        section("By user            sales     value", overview.byUser)
        let chart = BarChart(bars: overview.perDay.map { BarChart.Bar(label: String($0.day.suffix(2)), value: Double($0.count)) }, barWidth: 2)
        let plotArea = chartArea.inset(horizontal: 2, vertical: 1)
        let shown = chart.visibleBarCount(width: plotArea.width)
        // Says which days the bars are, and when the range is wider than the chart.
        let days = overview.perDay.suffix(shown)
        let range = days.first.map { first in " · \(first.day) – \(days.last?.day ?? first.day)" } ?? ""
        let more = overview.perDay.count > shown
        let titles = [
            "Sales per day" + range + (more ? " (last \(shown) of \(overview.perDay.count) days)" : ""),
            "Sales per day" + range + (more ? " (\(shown) of \(overview.perDay.count) days)" : ""),
            "Per day" + range + (more ? " (\(shown)/\(overview.perDay.count))" : ""), "Sales per day",
        ]
        // The longest title that fits whole: a cut one would hide how many days are left out.
        let title = titles.first { DisplayWidth.of($0) <= chartArea.width - 4 } ?? "Sales per day"
        buffer.drawBorder(chartArea, style: theme.border, title: title, titleStyle: theme.title)
        if chart.bars.isEmpty {
            buffer.write("No dated sales", at: Point(x: chartArea.x + 2, y: chartArea.y + 1), style: theme.dimText)
        } else {
            chart.render(into: &buffer, area: plotArea)
        }
    }
}
