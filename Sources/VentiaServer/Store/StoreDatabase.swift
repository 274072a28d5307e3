import Foundation
import GRDB
import Logging
import VentiaAPI

/// The server's data in SQLite: in memory by default, or a `--data` file in WAL mode where every
/// write is committed (and synced) before its answer goes out. Readers of a file do not wait for
/// each other or for the writer.
final class StoreDatabase: @unchecked Sendable {
    let writer: any DatabaseWriter
    let catalog: StoreCatalog
    let order = ContactOrder()
    /// The contact list's pages as last written, dropped by every write.
    let contactPages = ContactPageCache()
    let dataFile: URL?
    private let logger: Logger
    private let counterLock = NSLock()
    private var idCounter: UInt64
    private var interactionSeq: Int

    /// `order`: each account's list order when the caller has it (it has just seeded the store);
    /// otherwise it is read from the database.
    private init(writer: any DatabaseWriter, dataFile: URL?, logger: Logger, order seeded: [String: [ContactOrder.Key]]? = nil) throws {
        self.writer = writer
        self.dataFile = dataFile
        self.logger = logger
        let (catalog, counters) = try writer.read { db in (try StoreCatalog.load(db), try StoreCounters.load(db)) }
        self.catalog = catalog
        idCounter = counters.ids
        interactionSeq = counters.interactions
        if let seeded {
            for account in catalog.accounts { order.load(account: account.id, ascendingKeys: seeded[account.id] ?? []) }
            return
        }
        let started = DispatchTime.now()
        defer { logger.info("read the contact order in \(started.millisecondsAgo) ms") }
        try writer.read { db in
            for account in catalog.accounts {
                order.load(account: account.id, ascendingKeys: try Self.orderKeys(of: account, db))
            }
        }
    }

    /// The account's contacts in list order, read straight off SQLite (a million rows at open).
    static func orderKeys(of account: AccountRecord, _ db: Database) throws -> [ContactOrder.Key] {
        var keys: [ContactOrder.Key] = []
        let statement = try db.makeStatement(sql: "SELECT updatedAt, id FROM contact WHERE accountId = ? ORDER BY updatedAt, id")
        try StoredColumns.each(statement, arguments: [StoredId.argument(account.id)], in: db) { row in
            let updatedAt: Double = row[0]
            if let packed = row.packedId(1) {
                keys.append(ContactOrder.Key(updatedAt: updatedAt, packed: packed))
            } else {
                keys.append(ContactOrder.Key(updatedAt: updatedAt, id: row.idOrEmpty(1)))
            }
            return true
        }
        return keys
    }

    /// Opens the store the configuration names: the data file as it is, a new one seeded, or (with
    /// no file) a seeded database in memory.
    static func open(_ configuration: ServerConfiguration) throws -> StoreDatabase {
        let seeder = StoreSeeder(
            seed: configuration.seed, contactCount: max(0, configuration.contactCount), saleCount: max(0, configuration.saleCount),
            now: configuration.clock.now())
        guard let file = configuration.dataFile else {
            let started = DispatchTime.now()
            let queue = try DatabaseQueue()
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA page_size = 16384") }
            var seededOrder: [String: [ContactOrder.Key]]?
            // The list order in memory is ContactOrder's alone, handed over by seeding: the index
            // that rebuilds it when a file is opened would cost 0.1 s and memory for nothing.
            try prepare(queue, buildsBulkIndexes: false) { writer in seededOrder = try seeder.seed(piped: writer) }
            configuration.logger.info("seeded \(seeder.contactCount) contacts in memory in \(started.millisecondsAgo) ms")
            #if os(Linux)
                // Seeding frees far more than it keeps; hand it back instead of holding it as RSS.
                _ = glibcMallocTrim(0)
            #endif
            return try StoreDatabase(writer: queue, dataFile: nil, logger: configuration.logger, order: seededOrder)
        }
        let started = DispatchTime.now()
        let pool = try DataFile.open(file, seeder: seeder, logger: configuration.logger)
        configuration.logger.info("opened \(file.path) in \(started.millisecondsAgo) ms")
        return try StoreDatabase(writer: pool, dataFile: file, logger: configuration.logger)
    }

    /// Migrates a new or older database and, if it holds no account yet, fills it in one transaction.
    /// `buildsBulkIndexes`: false leaves out the indexes only reopening a file reads.
    static func prepare(_ writer: any DatabaseWriter, buildsBulkIndexes: Bool = true, fill: (StoreRowWriter) throws -> Void) throws {
        try StoreSchema.migrator().migrate(writer)
        try writer.write { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM account") == 0 else { return }
            for index in StoreSchema.bulkIndexes { try db.execute(sql: "DROP INDEX \(index.name)") }
            try fill(StoreRowWriter(db: db))
            for index in StoreSchema.bulkIndexes where buildsBulkIndexes { try db.execute(sql: index.create) }
        }
    }

    func makeId(at date: Date) -> String {
        let counter = counterLock.withLock {
            idCounter += 1
            return idCounter
        }
        return ObjectIdFormat.make(at: date, counter: counter)
    }

    func nextInteractionSeq() -> Int {
        counterLock.withLock {
            interactionSeq += 1
            return interactionSeq
        }
    }

    func read<T>(_ body: (StoreAccess) throws(APIFailure) -> T) throws(APIFailure) -> T {
        do {
            // No transaction around a read: opening and closing one per request cost more than the
            // queries (measured). Each statement sees the last commit; a page may straddle a write.
            return try writer.unsafeReentrantRead { db in try body(StoreAccess(db: db, store: self)) }
        } catch {
            throw failure(error)
        }
    }

    /// Runs a change in one transaction. It is acknowledged only once committed: a commit that
    /// fails answers 500 and leaves the store as it was.
    func write<T>(_ body: (StoreAccess) throws(APIFailure) -> T) throws(APIFailure) -> T {
        // After the commit (or the rollback, which changed nothing but costs nothing to count).
        defer { contactPages.storeChanged() }
        do {
            return try writer.write { db in
                let access = StoreAccess(db: db, store: self)
                let result = try body(access)
                let (ids, interactions) = counterLock.withLock { (idCounter, interactionSeq) }
                try StoreCounters.save(ids: ids, interactions: interactions, db)
                access.finish()
                return result
            }
        } catch let failure as APIFailure {
            throw failure
        } catch {
            logger.error("a change was not saved\(dataFile.map { " to \($0.path)" } ?? ""): \(error)")
            throw APIFailure(status: 500, message: "The change was not saved: the server could not write its data file")
        }
    }

    /// What a database error becomes for the client: a 500, with the detail in the log only.
    func failure(_ error: any Error) -> APIFailure {
        if let failure = error as? APIFailure { return failure }
        logger.error("the store failed: \(error)")
        return APIFailure(status: 500, message: "The server could not read its data store")
    }

    /// Everything in the store as one value (the JSON data file's shape).
    func snapshot() throws -> StoreState {
        try writer.read { db in
            var state = StoreState()
            state.accounts = catalog.accounts
            state.groups = catalog.groups
            state.idCounter = try StoreCounters.load(db).ids
            func all<R: StoredRecord>(_ type: R.Type, _ order: String) throws -> [R] {
                try StoredColumns.all(R.self, db.makeStatement(sql: "SELECT \(R.sql.selection) FROM \(R.sql.table) ORDER BY \(order)"), in: db)
            }
            for user in try all(UserRecord.self, "id") { state.users[user.id] = user }
            for contact in try all(ContactRecord.self, "id") { state.contacts[contact.id] = contact }
            for interaction in try all(InteractionRecord.self, "seq") { state.interactions[interaction.contactId, default: []].append(interaction) }
            for sale in try all(SaleRecord.self, "id") { state.sales[sale.id] = sale }
            for hook in try all(WebhookRecord.self, "id") { state.webhooks[hook.id] = hook }
            state.leadEntries = try all(LeadEntryRecord.self, "seq")
            return state
        }
    }
}

#if os(Linux)
    /// glibc's `malloc_trim`, which the Glibc module does not export.
    @_silgen_name("malloc_trim")
    private func glibcMallocTrim(_ pad: Int) -> Int32
#endif

/// The counters kept in `meta`: the last id's counter and the last timeline entry's place.
enum StoreCounters {
    static func load(_ db: Database) throws -> (ids: UInt64, interactions: Int) {
        let statement = try db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?")
        let ids = try Int64.fetchOne(statement, arguments: ["idCounter"]) ?? 0
        return (UInt64(bitPattern: ids), Int(try Int64.fetchOne(statement, arguments: ["interactionSeq"]) ?? 0))
    }

    static func save(ids: UInt64, interactions: Int, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('idCounter', ?), ('interactionSeq', ?)")
            .execute(arguments: [Int64(bitPattern: ids), Int64(interactions)])
    }
}

extension DispatchTime {
    var millisecondsAgo: Int { Int((DispatchTime.now().uptimeNanoseconds - uptimeNanoseconds) / 1_000_000) }
}
