import Foundation
import TerminalUI
import VentiaAPI
import VentiaViewModels

/// The users table and the selected user's card.
@MainActor
struct UserViews {
    let session: AppSession
    let dates: DateText
    let hints: KeyHints
    let theme = Theme.standard

    /// The users table, and the selected user's card under it.
    /// The table above the card, which takes 7 rows when there is room.
    static func tableArea(in area: Rect) -> Rect { area.splitBottom(area.height >= 14 ? 7 : 0).0 }

    func users(_ model: UsersViewModel, into buffer: inout CellBuffer, area: Rect, state: inout TableState) {
        let (tableArea, cardArea) = (Self.tableArea(in: area), area.splitBottom(area.height >= 14 ? 7 : 0).1)
        state.selected = model.selection
        usersTable(into: &buffer, area: tableArea, state: &state, marks: model.marks)
        guard !cardArea.isEmpty, let user = model.selectedUser else { return }
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

    func usersTable(into buffer: inout CellBuffer, area: Rect, state: inout TableState, marks: MarkSet) {
        let users = session.users
        if users.isEmpty {
            LoadPlaceholder.render(session.usersState, noun: "users", hints: hints, into: &buffer, area: area)
            return
        }
        let session = self.session
        var table = Table(
            columns: [
                TableColumn("Name", width: .flexible(min: 8, weight: 2)), TableColumn("Last name", width: .flexible(min: 8, weight: 2)),
                TableColumn("Email", width: .flexible(min: 12, weight: 3)), TableColumn("Roles", width: .flexible(min: 6, weight: 2)),
                TableColumn("Work phone", width: .fixed(12)), TableColumn("Group", width: .flexible(min: 6, weight: 2)),
            ],
            rowCount: users.count,
            row: { index in
                let user = users[index]
                let group = session.groupName(user.group)
                return [(marks.contains(user.id) ? "* " : "") + user.name, user.lastname, user.email, user.roles.map(\.rawValue).joined(separator: ","), user.phoneWork ?? "—", group]
            }
        )
        table.rowStyle = { index in marks.contains(users[index].id) ? Theme.standard.title : nil }
        table.render(into: &buffer, area: area, state: &state)
    }
}
