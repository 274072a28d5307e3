import Foundation
import TerminalUI
import VentiaAPI
import VentiaViewModels

/// The users and sales lists.
@MainActor
struct PeoplePanes {
    let session: AppSession
    let dates: DateText
    let hints: KeyHints
    let theme = Theme.standard

    /// The users table, and the selected user's card under it.
    func users(into buffer: inout CellBuffer, area: Rect, state: inout TableState) {
        let (tableArea, cardArea) = area.splitBottom(area.height >= 14 ? 7 : 0)
        usersTable(into: &buffer, area: tableArea, state: &state)
        guard !cardArea.isEmpty, session.users.indices.contains(state.selected) else { return }
        let user = session.users[state.selected]
        buffer.drawBorder(cardArea, style: theme.border, title: user.fullName, titleStyle: theme.title)
        let inner = cardArea.inset(horizontal: 2, vertical: 1)
        let firstLogin: String
        switch user.firstLogin {
        case .pending(true)?: firstLogin = "never logged in"
        case .pending(false)?: firstLogin = "has logged in"
        case .date(let date)?: firstLogin = "first login \(dates.full(date))"
        case nil: firstLogin = "—"
        }
        let rows = [
            ("Email", user.email), ("Roles", user.roles.map(\.rawValue).joined(separator: ", ")), ("Work phone", user.phoneWork ?? "—"),
            ("Group", session.groupName(user.group)), ("Login", firstLogin),
        ]
        for (index, row) in rows.enumerated() where index < inner.height {
            buffer.write(row.0, at: Point(x: inner.x, y: inner.y + index), maxWidth: 11, style: theme.dimText)
            buffer.write(row.1, at: Point(x: inner.x + 12, y: inner.y + index), maxWidth: inner.width - 12)
        }
    }

    func usersTable(into buffer: inout CellBuffer, area: Rect, state: inout TableState) {
        let users = session.users
        if users.isEmpty {
            LoadPlaceholder.render(session.usersState, noun: "users", hints: hints, into: &buffer, area: area)
            return
        }
        let session = self.session
        Table(
            columns: [
                TableColumn("Name", width: .flexible(min: 8, weight: 2)), TableColumn("Last name", width: .flexible(min: 8, weight: 2)),
                TableColumn("Email", width: .flexible(min: 12, weight: 3)), TableColumn("Roles", width: .flexible(min: 6, weight: 2)),
                TableColumn("Work phone", width: .fixed(12)), TableColumn("Group", width: .flexible(min: 6, weight: 2)),
            ],
            rowCount: users.count,
            row: { index in
                let user = users[index]
                let group = session.groupName(user.group)
                return [user.name, user.lastname, user.email, user.roles.map(\.rawValue).joined(separator: ","), user.phoneWork ?? "—", group]
            }
        ).render(into: &buffer, area: area, state: &state)
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
                let flag = sale.sold == true ? "✓" : (sale.cancel == true ? "✗" : "·")
                return [
                    sale.ticketId ?? "—", String(dates.full(sale.dateSale ?? sale.date).prefix(10)), (sale.lock ? "🔒 " : "") + (sale.name ?? "—"),
                    sale.phone ?? "—", sale.status ?? "—", flag, sale.userDisplayName, sale.value.map { String(Int($0)) } ?? "—",
                ]
            })
        table.rowStyle = { index in sales[index].cancel == true ? Theme.standard.dimText : nil }
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
        let hidden = overview.perDay.count > shown ? " (last \(shown) of \(overview.perDay.count) days)" : ""
        buffer.drawBorder(chartArea, style: theme.border, title: "Sales per day" + range + hidden, titleStyle: theme.title)
        if chart.bars.isEmpty {
            buffer.write("No dated sales", at: Point(x: chartArea.x + 2, y: chartArea.y + 1), style: theme.dimText)
        } else {
            chart.render(into: &buffer, area: plotArea)
        }
    }

    /// The group configuration, read-only, as one scrollable page.
    func company(into buffer: inout CellBuffer, area: Rect, scroll: inout Int) {
        guard let group = session.group else {
            LoadPlaceholder.render(session.groupState, noun: "company configuration", hints: hints, into: &buffer, area: area)
            return
        }
        var lines: [(String, Style)] = [
            ("\(group.name)" + (group.businessName.map { " · \($0)" } ?? "") + (group.country.map { " · \($0.uppercased())" } ?? ""), theme.title), ("", theme.text),
        ]
        func section(_ title: String, _ rows: [String]) {
            lines.append(("\(title) (\(rows.count))", theme.header))
            lines += rows.isEmpty ? [("  —", theme.dimText)] : rows.map { ("  " + $0, theme.text) }
            lines.append(("", theme.text))
        }
        func flag(_ active: Bool) -> String { active ? "" : "  (inactive)" }
        section("Archiving reasons", group.archivingReasons.map { "\($0.name)  [\($0.code)]" + flag($0.active) })
        section("Origins", group.origins.map { "\($0.name)  [\($0.code)]" + flag($0.active) })
        section("Visit results", group.visitResults.map { "\($0.name)  [\($0.code)]  \($0.type ?? "")" + flag($0.active) })
        section("Additional data fields", group.additionalDataFields.map { field in
            "\(field.name)  [\(field.code)]  \(field.type)" + (field.required ? "  required" : "") + (field.options.isEmpty ? "" : "  options: " + field.options.map(\.displayText).joined(separator: ", ")) + flag(field.active)
        })
        section("Status tags", group.statusTags.map { $0.label + ($0.code.map { "  [\($0)]" } ?? "") })
        // A group the key cannot list shows its whole id here, where there is room for it.
        section("Descendant groups", group.descendants.map { id in session.groups.first { $0.id == id }.map { "\($0.name)  [\(id)]" } ?? id })
        scroll = max(0, min(scroll, lines.count - area.height))
        for (index, line) in lines.dropFirst(scroll).prefix(area.height).enumerated() {
            buffer.write(line.0, at: Point(x: area.x + 1, y: area.y + index), maxWidth: area.width - 2, style: line.1)
        }
    }
}
