import Foundation
import TerminalUI
import VentiaAPI
import VentiaViewModels

/// The users and sales lists.
@MainActor
struct PeoplePanes {
    let session: AppSession
    let dates: DateText
    let theme = Theme.standard

    func users(into buffer: inout CellBuffer, area: Rect, state: inout TableState) {
        let users = session.users
        if users.isEmpty {
            ContactPanes(session: session, dates: dates, now: Date()).placeholder(for: session.usersState, noun: "users", into: &buffer, area: area)
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

    func sales(_ model: SalesListViewModel, into buffer: inout CellBuffer, area: Rect, state: inout TableState) {
        let (header, body) = area.splitTop(1)
        buffer.write(model.pageDescription + "  ·  [ ] change page", at: Point(x: area.x, y: header.y), maxWidth: area.width, style: theme.dimText)
        let sales = model.sales
        if sales.isEmpty {
            ContactPanes(session: session, dates: dates, now: Date()).placeholder(for: model.state, noun: "sales", into: &buffer, area: body)
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
        state.selected = model.selection
        table.render(into: &buffer, area: body, state: &state)
    }
}
