import Foundation
import GRDB
import VentiaAPI

/// Each record as a table row: its columns in order, read from a row fetched with them, and the
/// arguments that write them.
protocol StoredRecord {
    static var table: String { get }
    /// The columns, in the order `init(row:)` reads and `arguments` writes them.
    static var columns: [String] { get }
    init(row: Row) throws
    var arguments: StatementArguments { get }
}

extension StoredRecord {
    static var selection: String { columns.joined(separator: ", ") }
    static var insertSQL: String {
        "INSERT INTO \(table) (\(selection)) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
    }
    static var replaceSQL: String { "INSERT OR REPLACE" + insertSQL.dropFirst("INSERT".count) }
}

extension ContactRecord: StoredRecord {
    static let table = "contact"
    static let columns = [
        "id", "accountId", "firstName", "lastName", "origin", "phones", "emails", "detail", "agent", "firstAgent", "agentAssigned",
        "archivingReason", "status", "attention", "reminder", "channels", "visits", "createdAt", "updatedAt", "lastInteraction", "version",
    ]

    init(row: Row) throws {
        self.init(
            id: row[0], accountId: row[1], firstName: row[2], lastName: row[3], origin: row[4], phones: try ColumnCoding.strings(row[5]),
            emails: try ColumnCoding.strings(row[6]), detail: row[7], agent: row[8], firstAgent: row[9],
            agentAssigned: ColumnCoding.date(row[10] as Double?), archivingReason: row[11], status: row[12], attention: row[13],
            reminder: ColumnCoding.date(row[14] as Double?), channels: try ColumnCoding.strings(row[15]), visits: row[16],
            createdAt: ColumnCoding.date(row[17] as Double), updatedAt: ColumnCoding.date(row[18] as Double),
            lastInteraction: ColumnCoding.date(row[19] as Double), version: row[20])
    }

    var arguments: StatementArguments {
        [
            id, accountId, firstName, lastName, origin, ColumnCoding.column(phones), ColumnCoding.column(emails), detail, agent, firstAgent,
            ColumnCoding.column(agentAssigned), archivingReason, status, attention, ColumnCoding.column(reminder),
            ColumnCoding.column(channels), visits, ColumnCoding.column(createdAt), ColumnCoding.column(updatedAt),
            ColumnCoding.column(lastInteraction), version,
        ]
    }

    /// What a lead is matched on: its phones' digits and its emails, lower-cased.
    var matchKeys: Set<String> {
        Set(phones.map { "p:" + PhoneNumber.normalized($0) } + emails.map { "e:" + $0.lowercased() })
    }
}

extension InteractionRecord: StoredRecord {
    static let table = "interaction"
    static let columns = ["id", "accountId", "contactId", "agent", "type", "content", "via", "createdAt"]

    init(row: Row) throws {
        self.init(
            id: row[0], accountId: row[1], contactId: row[2], agent: row[3], type: row[4], content: try ColumnCoding.json(row[5]), via: row[6],
            createdAt: ColumnCoding.date(row[7] as Double))
    }

    var arguments: StatementArguments {
        [id, accountId, contactId, agent, type, ColumnCoding.column(content), via, ColumnCoding.column(createdAt)]
    }
}

extension UserRecord: StoredRecord {
    static let table = "user"
    static let columns = [
        "id", "accountId", "groupId", "name", "lastname", "email", "passwordDigest", "phoneWork", "roles", "active", "firstLoginAt",
        "emailKey", "sortName",
    ]

    init(row: Row) throws {
        self.init(
            id: row[0], accountId: row[1], groupId: row[2], name: row[3], lastname: row[4], email: row[5], passwordDigest: row[6],
            phoneWork: row[7], roles: try ColumnCoding.strings(row[8]), active: row[9], firstLoginAt: ColumnCoding.date(row[10] as Double?))
    }

    var arguments: StatementArguments {
        [
            id, accountId, groupId, name, lastname, email, passwordDigest, phoneWork, ColumnCoding.column(roles), active,
            ColumnCoding.column(firstLoginAt), Self.emailKey(email), sortName,
        ]
    }

    static func emailKey(_ email: String) -> String { email.lowercased() }

    /// Users list by name, then last name, case-folded, then id: one column the index can hold.
    var sortName: String { name.lowercased() + "\u{0}" + lastname.lowercased() }
}

extension SaleRecord: StoredRecord {
    static let table = "sale"
    static let columns = [
        "id", "accountId", "ticketId", "ticketSaleId", "date", "dateSale", "name", "phone", "govId", "type", "product", "status", "lock",
        "user", "importation", "value", "createdAt", "updatedAt", "version", "listedAt",
    ]

    init(row: Row) throws {
        self.init(
            id: row[0], accountId: row[1], ticketId: row[2], ticketSaleId: row[3], date: ColumnCoding.date(row[4] as Double?),
            dateSale: ColumnCoding.date(row[5] as Double?), name: row[6], phone: row[7], govId: row[8], type: row[9], product: row[10],
            status: row[11], lock: row[12], user: row[13], importation: row[14], value: row[15],
            createdAt: ColumnCoding.date(row[16] as Double), updatedAt: ColumnCoding.date(row[17] as Double), version: row[18])
    }

    var arguments: StatementArguments {
        [
            id, accountId, ticketId, ticketSaleId, ColumnCoding.column(date), ColumnCoding.column(dateSale), name, phone, govId, type,
            product, status, lock, user, importation, value, ColumnCoding.column(createdAt), ColumnCoding.column(updatedAt), version,
            ColumnCoding.column(dateSale ?? createdAt) as Double,
        ]
    }
}

extension WebhookRecord: StoredRecord {
    static let table = "webhook"
    static let columns = ["id", "accountId", "name", "callbackUrl", "topics", "active", "createdAt"]

    init(row: Row) throws {
        self.init(
            id: row[0], accountId: row[1], name: row[2], callbackUrl: row[3], topics: try ColumnCoding.strings(row[4]), active: row[5],
            createdAt: ColumnCoding.date(row[6] as Double))
    }

    var arguments: StatementArguments {
        [id, accountId, name, callbackUrl, ColumnCoding.column(topics), active, ColumnCoding.column(createdAt)]
    }
}

extension LeadEntryRecord: StoredRecord {
    static let table = "leadEntry"
    static let columns = [
        "id", "accountId", "formCode", "firstName", "lastName", "phones", "emails", "detail", "actionId", "additionalData", "createdAt",
    ]

    init(row: Row) throws {
        let additional = try ColumnCoding.json(row[9])
        self.init(
            id: row[0], accountId: row[1], formCode: row[2], firstName: row[3], lastName: row[4], phones: try ColumnCoding.strings(row[5]),
            emails: try ColumnCoding.strings(row[6]), detail: row[7], actionId: row[8], additionalData: additional.objectValue ?? [:],
            createdAt: ColumnCoding.date(row[10] as Double))
    }

    var arguments: StatementArguments {
        [
            id, accountId, formCode, firstName, lastName, ColumnCoding.column(phones), ColumnCoding.column(emails), detail, actionId,
            ColumnCoding.column(.object(additionalData)), ColumnCoding.column(createdAt),
        ]
    }
}

extension AccountRecord {
    static let columns = "id, name, keys, groupId, saleStatuses, channelIds, leadFormCodes"

    init(row: Row) throws {
        self.init(
            id: row[0], name: row[1], keys: try ColumnCoding.strings(row[2]), groupId: row[3], saleStatuses: try ColumnCoding.strings(row[4]),
            channelIds: try ColumnCoding.strings(row[5]), leadFormCodes: try ColumnCoding.strings(row[6]))
    }

    var arguments: StatementArguments {
        [
            id, name, ColumnCoding.column(keys), groupId, ColumnCoding.column(saleStatuses), ColumnCoding.column(channelIds),
            ColumnCoding.column(leadFormCodes),
        ]
    }
}
