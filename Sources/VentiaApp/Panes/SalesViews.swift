import Foundation
import TerminalUI
import VentiaAPI
import VentiaCore
import VentiaViewModels

/// The sales page (or the review's drill-down) and the selected sale's card.
@MainActor
struct SalesViews {
    let session: AppSession
    let dates: DateText
    let hints: KeyHints
    let money: MoneyFormat
    let theme = Theme.standard

    /// The table: below the header line, above the card, which takes 5 rows when there is room.
    static func tableArea(in area: Rect) -> Rect {
        let rest = area.splitTop(1).1
        return rest.splitBottom(rest.height >= 14 ? 5 : 0).0
    }

    func sales(_ model: SalesListViewModel, into buffer: inout CellBuffer, area: Rect, state: inout TableState) {
        let (header, rest) = area.splitTop(1)
        let filterKey = hints.key(.filterStatus, in: .sales)
        let filter = model.statusFilter.map { status in filterKey.map { "only \(status) (\($0))" } ?? "only \(status)" } ?? filterKey.map { "\($0) status" }
        if let drill = model.drill {
            // The review's drill-down is a filter: said first, with the way back.
            let back = hints.key(.cancel, in: .global).map { "\($0) back to the overview" }
            let count = model.visible.count
            let title = "\(count) sale\(count == 1 ? "" : "s") of \(PeriodText.text(drill.range))" + (drill.seller.map { " by \($0)" } ?? "")
            buffer.write(title, at: Point(x: area.x, y: header.y), maxWidth: area.width, style: theme.title)
            let rest = [filter, back].compactMap { $0 }.joined(separator: "  ·  ")
            let x = area.x + DisplayWidth.of(title) + 5
            if x < area.maxX { buffer.write(rest, at: Point(x: x, y: header.y), maxWidth: area.maxX - x, style: theme.dimText) }
        } else {
            let pages = [hints.key(.previousPage, in: .sales), hints.key(.nextPage, in: .sales)].compactMap { $0 }
            let parts = [model.pageDescription + " · \(model.cursor.limit) per page", filter, pages.isEmpty ? nil : pages.joined(separator: " ") + " pages",
                hints.hint(.overview, in: .sales, "overview")]
            buffer.write(parts.compactMap { $0 }.joined(separator: "  ·  "), at: Point(x: area.x, y: header.y), maxWidth: area.width, style: theme.dimText)
        }
        let (body, cardArea) = rest.splitBottom(rest.height >= 14 ? 5 : 0)
        if let sale = model.selectedSale, !cardArea.isEmpty { card(sale, into: &buffer, area: cardArea) }
        let sales = model.visible
        if sales.isEmpty, let drill = model.drill {
            // A bar of a day without sales: the page's load state has nothing to say about it.
            let scope = (model.statusFilter.map { " \($0)" } ?? "") + " sales"
            buffer.write("No\(scope) on \(PeriodText.text(drill.range))" + (drill.seller.map { " by \($0)" } ?? ""),
                at: Point(x: body.x + 1, y: body.y + 1), maxWidth: body.width - 2, style: theme.dimText)
            return
        }
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
                TableColumn("User", width: .flexible(min: 8, weight: 2)), TableColumn("Value", width: .fixed(11), alignRight: true),
            ],
            rowCount: sales.count,
            row: { index in
                let sale = sales[index]
                let marked = model.marks.contains(sale.id) ? "* " : ""
                let flag = sale.sold == true ? "✓" : (sale.cancel == true ? "✗" : "·")
                return [
                    marked + (sale.ticketId ?? "—"), String(dates.full(sale.dateSale ?? sale.date).prefix(10)), (sale.lock ? "🔒 " : "") + (sale.name ?? "—"),
                    sale.phone ?? "—", sale.status ?? "—", flag, sale.userDisplayName, sale.value.map(money.string) ?? "—",
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
            "sold \(dates.full(sale.dateSale)) · by \(sale.userDisplayName) · \(sale.product ?? sale.type ?? "—") · value \(sale.value.map(money.string) ?? "—")",
            "id \(sale.id) · \(sale.importation ?? "")",
        ]
        for (index, line) in lines.enumerated() where index < inner.height {
            buffer.write(line, at: Point(x: inner.x, y: inner.y + index), maxWidth: inner.width)
        }
    }
}
