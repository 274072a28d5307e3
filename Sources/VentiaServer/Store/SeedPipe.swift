import Foundation

/// What the seeder writes, row by row.
protocol SeedSink {
    func add(_ row: SeedRow) throws
}

enum SeedRow: Sendable {
    case account(AccountRecord)
    case group(GroupRecord)
    case user(UserRecord)
    case contact(ContactRecord)
    case interaction(InteractionRecord)
    case sale(SaleRecord)
    case webhook(WebhookRecord)
    case counters(ids: UInt64, interactions: Int)
}

/// Hands seeded rows from the thread that generates them to the database's thread in batches, so
/// that generating and inserting (about half the work each) run on both cores at once.
final class SeedPipe: SeedSink, @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[PreparedRow]] = []
    private var pending: [PreparedRow] = []
    private var closed = false
    /// Lead-matching keys arrive in random order; kept aside and written sorted once all are in.
    private var matchKeys: [(key: String, contactId: String)] = []
    private var abandoned = false
    private static let batchSize = 2048
    private static let batchesAhead = 8

    /// A row as the database's thread takes it: the bulk ones already encoded to column values.
    enum PreparedRow {
        case columns(BulkTable, values: [ColumnValue])
        case row(SeedRow)
    }

    /// The tables rows pour into, each with its insert statement prepared once.
    enum BulkTable: Int, CaseIterable {
        case contact, matchKey, interaction

        var sql: String {
            switch self {
            case .contact: ContactRecord.sql.insert
            case .matchKey: ContactRecord.matchKeySQL
            case .interaction: InteractionRecord.sql.insert
            }
        }
    }

    /// Called on the generating thread, which also encodes the columns; waits while the database
    /// is this many batches behind.
    func add(_ row: SeedRow) {
        switch row {
        case .contact(let contact):
            pending.append(.columns(.contact, values: Self.values(of: contact)))
            for key in contact.matchKeys { matchKeys.append((key, contact.id)) }
        case .interaction(let interaction):
            pending.append(.columns(.interaction, values: Self.values(of: interaction)))
        default:
            pending.append(.row(row))
        }
        if pending.count >= Self.batchSize { flush() }
    }

    private static func values(of record: some StoredRecord) -> [ColumnValue] {
        var columns = ColumnValues()
        record.bind(&columns)
        return columns.values
    }

    func close() {
        for entry in matchKeys.sorted(by: { ($0.key, $0.contactId) < ($1.key, $1.contactId) }) {
            pending.append(.columns(.matchKey, values: [.text(entry.key), .text(entry.contactId)]))
            if pending.count >= Self.batchSize { flush() }
        }
        matchKeys = []
        flush()
        condition.withLock {
            closed = true
            condition.broadcast()
        }
    }

    private func flush() {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        condition.withLock {
            while batches.count >= Self.batchesAhead && !abandoned { condition.wait() }
            if !abandoned { batches.append(batch) }
            condition.broadcast()
        }
    }

    /// Called on the database's thread: takes each row until the generator closes the pipe. If
    /// `body` throws, the generator is let go (its rows dropped) and the error comes out here.
    func drain(_ body: (PreparedRow) throws -> Void) throws {
        while true {
            let batch: [PreparedRow]? = condition.withLock {
                while batches.isEmpty && !closed { condition.wait() }
                if batches.isEmpty { return nil }
                condition.broadcast()
                return batches.removeFirst()
            }
            guard let batch else { return }
            do {
                for row in batch { try body(row) }
            } catch {
                condition.withLock {
                    abandoned = true
                    batches = []
                    condition.broadcast()
                }
                throw error
            }
        }
    }
}

extension StoreRowWriter: SeedSink {
    func add(_ row: SeedRow) throws {
        switch row {
        case .account(let account): try insert(account)
        case .group(let group): try insert(group)
        case .user(let user): try insert(user)
        case .contact(let contact): try insert(contact)
        case .interaction(let interaction): try insert(interaction)
        case .sale(let sale): try insert(sale)
        case .webhook(let hook): try insert(hook)
        case .counters(let ids, let interactions): try setCounters(ids: ids, interactions: interactions)
        }
    }
}

extension StoreSeeder {
    /// Seeds on a thread of its own while this one (the database's) inserts what it makes.
    func seed(piped rows: StoreRowWriter) throws {
        let pipe = SeedPipe()
        let seeder = self
        let generator = Thread {
            try? seeder.seed(into: pipe)
            pipe.close()
        }
        generator.start()
        let statements = try SeedPipe.BulkTable.allCases.map { try rows.db.makeStatement(sql: $0.sql) }
        try pipe.drain { prepared in
            switch prepared {
            case .columns(let table, let values): try rows.db.write(values, with: statements[table.rawValue])
            case .row(let row): try rows.add(row)
            }
        }
    }
}
