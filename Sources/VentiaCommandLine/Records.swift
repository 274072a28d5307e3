import Foundation
import VentiaAPI
import VentiaCore

/// The columns each listing writes (`--csv`, and the text listing), fixed so that scripts can
/// rely on them; several phones or emails in one cell are separated by `;`. Dates are ISO 8601
/// in UTC; a missing value is an empty cell.
public enum Records {
    static func day(_ date: Date?) -> String { date.map { $0.formatted(.iso8601) } ?? "" }

    public static let contactColumns = [
        "id", "firstName", "lastName", "phones", "emails", "status", "agent", "agentName", "origin", "reminder", "lastInteraction",
        "createdAt", "updatedAt",
    ]

    public static func contacts(_ contacts: [ContactSummary]) -> RecordTable {
        RecordTable(columns: contactColumns, rows: contacts.map { contact in
            [
                contact.id, contact.firstName, contact.lastName, contact.phones.joined(separator: ";"), contact.emails.joined(separator: ";"),
                contact.status ?? "", contact.agent ?? "", contact.agentFullName ?? "", contact.origin ?? "", day(contact.reminder),
                day(contact.lastInteraction), day(contact.createdAt), day(contact.updatedAt),
            ]
        })
    }

    /// The short listing a person reads.
    public static func contactsText(_ contacts: [ContactSummary]) -> RecordTable {
        RecordTable(columns: ["ID", "NAME", "PHONE", "STATUS", "AGENT"], rows: contacts.map { contact in
            [contact.id, contact.fullName, contact.phones.first ?? "", contact.status ?? "", contact.agentFullName ?? contact.agent ?? ""]
        })
    }

    public static let saleColumns = [
        "id", "ticketId", "dateSale", "status", "sold", "cancel", "lock", "name", "phone", "product", "value", "user", "createdAt",
    ]

    public static func sales(_ sales: [Sale]) -> RecordTable {
        RecordTable(columns: saleColumns, rows: sales.map { sale in
            [
                sale.id, sale.ticketId ?? "", day(sale.dateSale ?? sale.date), sale.status ?? "", flag(sale.sold), flag(sale.cancel), flag(sale.lock),
                sale.name ?? "", sale.phone ?? "", sale.product ?? "", sale.value.map { number($0) } ?? "", sale.userDisplayName, day(sale.createdAt),
            ]
        })
    }

    /// The listing a person reads: amounts as `money` writes them (the locale's grouping).
    public static func salesText(_ sales: [Sale], money: MoneyFormat) -> RecordTable {
        RecordTable(columns: ["TICKET", "DATE", "STATUS", "NAME", "VALUE", "SELLER"], rows: sales.map { sale in
            [
                sale.ticketId ?? sale.id, String(day(sale.dateSale ?? sale.date).prefix(10)), sale.status ?? "", sale.name ?? "",
                sale.value.map(money.string) ?? "", sale.userDisplayName,
            ]
        })
    }

    public static let userColumns = ["id", "name", "lastname", "email", "roles", "phoneWork", "group"]

    public static func users(_ users: [User]) -> RecordTable {
        RecordTable(columns: userColumns, rows: users.map { user in
            [user.id, user.name, user.lastname, user.email, user.roles.map(\.rawValue).joined(separator: ";"), user.phoneWork ?? "", user.group ?? ""]
        })
    }

    public static let interactionColumns = ["id", "createdAt", "type", "agent", "summary"]

    public static func timeline(_ interactions: [Interaction]) -> RecordTable {
        RecordTable(columns: interactionColumns, rows: interactions.map { interaction in
            [interaction.id, day(interaction.createdAt), interaction.type, interaction.agent ?? "", summary(interaction.content)]
        })
    }

    /// One line for an entry of a timeline.
    public static func summary(_ content: InteractionContent) -> String {
        switch content {
        case .note(let body): return body
        case .reminder(let date): return "reminder " + day(date)
        case .archiving(let from, let to): return "archived \(from) → \(to)"
        case .transfer(let fromUser, let toUser): return "transferred \(fromUser) → \(toUser)"
        case .whatsApp(let entry):
            let direction = entry.direction.map { "\($0)" } ?? ""
            return "WhatsApp \(direction) " + (entry.message?.summary ?? entry.raw["type"]?.stringValue ?? "")
        case .other: return ""
        }
    }

    static func flag(_ value: Bool?) -> String { value.map { $0 ? "true" : "false" } ?? "" }

    /// `1500`, `1500.5`: no exponent, no trailing zeros.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
