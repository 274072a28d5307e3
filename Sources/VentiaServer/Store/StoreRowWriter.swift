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
        for key in contact.matchKeys { try db.write([.text(key), .id(contact.id)], sql: ContactRecord.matchKeySQL) }
    }

    /// The counters new ids and timeline entries continue from.
    func setCounters(ids: UInt64, interactions: Int) throws {
        try StoreCounters.save(ids: ids, interactions: interactions, db)
    }

    /// Everything of a JSON data file (the format before SQLite).
    func insert(_ state: StoreState) throws {
        for account in state.accounts { try insert(account) }
        for group in state.groups.values.sorted(by: { $0.id < $1.id }) { try insert(group) }
        for user in state.users.values.sorted(by: { $0.id < $1.id }) { try insert(user) }
        for contact in state.contacts.values.sorted(by: { $0.id < $1.id }) { try insert(contact) }
        var seq = 0
        for contactId in state.interactions.keys.sorted() {
            for var interaction in state.interactions[contactId] ?? [] {
                seq += 1
                interaction.seq = seq
                try insert(interaction)
            }
        }
        for sale in state.sales.values.sorted(by: { $0.id < $1.id }) { try insert(sale) }
        for hook in state.webhooks.values.sorted(by: { $0.id < $1.id }) { try insert(hook) }
        for entry in state.leadEntries { try insert(entry) }
        try setCounters(ids: state.idCounter, interactions: seq)
    }
}
