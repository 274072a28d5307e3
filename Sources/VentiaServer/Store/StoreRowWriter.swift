import Foundation
import GRDB

/// Writes whole records in bulk, inside one transaction the caller holds: the seeder's output and
/// an imported JSON data file go through here.
final class StoreRowWriter {
    let db: Database
    private var accountCount = 0

    init(db: Database) {
        self.db = db
    }

    func insert(_ account: AccountRecord) throws {
        try StoreCatalog.insert(account, position: accountCount, db)
        accountCount += 1
    }

    func insert(_ group: GroupRecord) throws { try StoreCatalog.insert(group, db) }

    func insert<R: StoredRecord>(_ record: R) throws {
        try db.write(record, sql: R.sql.insert)
    }

    func insert(_ contact: ContactRecord) throws {
        try db.write(contact, sql: ContactRecord.sql.insert)
        for key in contact.matchKeys { try db.write([.text(contact.accountId), .text(key), .text(contact.id)], sql: ContactRecord.matchKeySQL) }
    }

    func setIdCounter(_ value: UInt64) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('idCounter', ?)", arguments: [Int64(bitPattern: value)])
    }

    /// Everything of a JSON data file (the format before SQLite).
    func insert(_ state: StoreState) throws {
        for account in state.accounts { try insert(account) }
        for group in state.groups.values.sorted(by: { $0.id < $1.id }) { try insert(group) }
        for user in state.users.values.sorted(by: { $0.id < $1.id }) { try insert(user) }
        for contact in state.contacts.values.sorted(by: { $0.id < $1.id }) { try insert(contact) }
        for contactId in state.interactions.keys.sorted() {
            for interaction in state.interactions[contactId] ?? [] { try insert(interaction) }
        }
        for sale in state.sales.values.sorted(by: { $0.id < $1.id }) { try insert(sale) }
        for hook in state.webhooks.values.sorted(by: { $0.id < $1.id }) { try insert(hook) }
        for entry in state.leadEntries { try insert(entry) }
        try setIdCounter(state.idCounter)
    }
}
