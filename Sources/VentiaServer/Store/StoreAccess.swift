import Foundation
import GRDB
import VentiaAPI

/// The store as one transaction sees it: the queries and changes the handlers make, each an
/// indexed statement. A database failure becomes a 500 in the API's error shape.
final class StoreAccess {
    let db: Database
    let catalog: StoreCatalog
    private let store: StoreDatabase
    private var userNames: [String: String] = [:]
    private var orderChanges: [ContactOrder.Change] = []

    init(db: Database, store: StoreDatabase) {
        self.db = db
        self.catalog = store.catalog
        self.store = store
    }

    /// Runs SQL; what it throws becomes the 500 the client sees, and the log line behind it.
    func sql<T>(_ body: () throws -> T) throws(APIFailure) -> T {
        do {
            return try body()
        } catch let failure as APIFailure {
            throw failure
        } catch {
            throw store.failure(error)
        }
    }

    /// Order changes wait for the commit, so a rolled-back write leaves the list as it was.
    func finish() {
        guard !orderChanges.isEmpty else { return }
        let changes = orderChanges
        let order = store.order
        db.afterNextTransaction(onCommit: { _ in order.apply(changes) })
        orderChanges = []
    }

    func makeId(at date: Date) -> String { store.makeId(at: date) }

    private func fetchAll<R: StoredRecord>(_ type: R.Type, _ tail: String, _ arguments: StatementArguments) throws(APIFailure) -> [R] {
        try sql {
            try StoredColumns.all(R.self, db.cachedStatement(sql: "SELECT \(R.sql.selection) FROM \(R.sql.table) \(tail)"), arguments: arguments, in: db)
        }
    }

    private func fetchOne<R: StoredRecord>(_ type: R.Type, id: String) throws(APIFailure) -> R? {
        try fetchAll(type, "WHERE id = ?", [StoredId.argument(id)]).first
    }

    /// The ids a one-column query selects.
    private func ids(_ text: String, _ arguments: StatementArguments) throws(APIFailure) -> [String] {
        try sql {
            var ids: [String] = []
            try StoredColumns.each(db.cachedStatement(sql: text), arguments: arguments, in: db) { row in
                ids.append(row.idOrEmpty(0))
                return true
            }
            return ids
        }
    }

    private func execute(_ text: String, _ arguments: StatementArguments) throws(APIFailure) {
        try sql { try db.cachedStatement(sql: text).execute(arguments: arguments) }
    }

    private static func limitClause(page: Int, size: Int) -> String {
        let start = page.multipliedReportingOverflow(by: size)
        return "LIMIT \(size) OFFSET \(start.overflow ? Int(Int32.max) : start.partialValue)"
    }

    // MARK: Accounts and groups

    func account(forKey key: String) -> AccountRecord? { catalog.account(forKey: key) }
    func groupIds(of account: AccountRecord) -> [String] { catalog.groupIds(of: account) }
    func group(_ id: String) -> GroupRecord? { catalog.groups[id] }

    // MARK: Contacts

    /// The account's contact, or 404 (also for another account's contact).
    func contact(_ id: String, of account: AccountRecord) throws(APIFailure) -> ContactRecord {
        guard let contact = try fetchOne(ContactRecord.self, id: id), contact.accountId == account.id else {
            throw .notFound("Contact \(id) not found")
        }
        return contact
    }

    /// One page in list order, from the order kept in memory and the rows by id.
    func contactPage(of account: AccountRecord, page: Int, size: Int) throws(APIFailure) -> [ContactRecord] {
        let ids = store.order.page(account: account.id, index: page, size: size)
        guard !ids.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let rows = try fetchAll(ContactRecord.self, "WHERE id IN (\(placeholders))", StatementArguments(ids.map(StoredId.argument)))
        let byId = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byId[$0] }
    }

    func insertContact(_ input: ContactInput, agent: String?, account: AccountRecord, now: Date) throws(APIFailure) -> ContactRecord {
        let contact = ContactRecord(
            id: makeId(at: now), accountId: account.id, firstName: input.firstName, lastName: input.lastName, origin: input.origin,
            phones: input.phones, emails: input.emails, detail: input.detail, agent: agent, firstAgent: agent,
            agentAssigned: agent == nil ? nil : now, archivingReason: "", status: "new", attention: "not_actions", reminder: nil,
            channels: input.phones.isEmpty ? [] : Array(account.channelIds.prefix(1)), visits: 0, createdAt: now, updatedAt: now,
            lastInteraction: now, version: 0)
        try insert(contact)
        return contact
    }

    func insert(_ contact: ContactRecord) throws(APIFailure) {
        try sql { try db.write(contact, sql: ContactRecord.sql.insert) }
        try insertMatchKeys(contact.matchKeys, of: contact)
        orderChanges.append(.insert(account: contact.accountId, key: .init(updatedAt: contact.updatedAt.timeIntervalSinceReferenceDate, id: contact.id)))
    }

    /// Writes a changed contact over `previous` (as read in this transaction).
    func update(_ contact: ContactRecord, from previous: ContactRecord) throws(APIFailure) {
        try sql { try db.write(contact, sql: ContactRecord.sql.replace) }
        let (before, after) = (previous.matchKeys, contact.matchKeys)
        if before != after {
            for key in before.subtracting(after) {
                try execute("DELETE FROM contactKey WHERE key = ? AND contactId = ?", [key, StoredId.argument(contact.id)])
            }
            try insertMatchKeys(after.subtracting(before), of: contact)
        }
        moved(contact.id, account: contact.accountId, from: previous.updatedAt, to: contact.updatedAt)
    }

    private func insertMatchKeys(_ keys: Set<String>, of contact: ContactRecord) throws(APIFailure) {
        for key in keys {
            try execute(ContactRecord.matchKeySQL, [key, StoredId.argument(contact.id)])
        }
    }

    private func moved(_ id: String, account: String, from: Date, to: Date) {
        guard from != to else { return }
        orderChanges.append(
            .move(
                account: account, from: .init(updatedAt: from.timeIntervalSinceReferenceDate, id: id),
                to: .init(updatedAt: to.timeIntervalSinceReferenceDate, id: id)))
    }

    /// The oldest contact of the account that shares a phone (six digits or more) or an email.
    func matchingContact(phones: [String], emails: [String], account: AccountRecord) throws(APIFailure) -> ContactRecord? {
        let phoneKeys = Set(phones.map(PhoneNumber.normalized).filter { $0.count >= 6 }).map { "p:" + $0 }
        let emailKeys = Set(emails.map { $0.lowercased().trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }).map { "e:" + $0 }
        let keys = phoneKeys + emailKeys
        guard !keys.isEmpty else { return nil }
        let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ",")
        let matched = try ids("SELECT DISTINCT contactId FROM contactKey WHERE key IN (\(placeholders))", StatementArguments(keys))
        var candidates: [ContactRecord] = []
        for id in matched {
            if let contact = try fetchOne(ContactRecord.self, id: id), contact.accountId == account.id { candidates.append(contact) }
        }
        return candidates.min { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    // MARK: Timelines

    /// Appends to the timeline of `contact` (as stored in this transaction, so no second read) and
    /// touches it: its last interaction and update time.
    @discardableResult
    func addInteraction(to contact: ContactRecord, type: String, content: JSONValue, agent: String?, via: String, now: Date)
        throws(APIFailure) -> InteractionRecord
    {
        let interaction = InteractionRecord(
            id: makeId(at: now), accountId: contact.accountId, contactId: contact.id, agent: agent, type: type, content: content,
            via: via, createdAt: now, seq: store.nextInteractionSeq())
        try sql { try db.write(interaction, sql: InteractionRecord.sql.insert) }
        try execute(
            "UPDATE contact SET lastInteraction = ?, updatedAt = ? WHERE id = ?",
            [ColumnCoding.column(now), ColumnCoding.column(now), StoredId.argument(contact.id)])
        moved(contact.id, account: contact.accountId, from: contact.updatedAt, to: now)
        return interaction
    }

    /// Newest first; notes only when asked.
    func interactionPage(of contactId: String, onlyNotes: Bool, page: Int, size: Int) throws(APIFailure) -> [InteractionRecord] {
        try fetchAll(
            InteractionRecord.self,
            "WHERE contactId = ?\(onlyNotes ? " AND type = 'note'" : "") ORDER BY seq DESC \(Self.limitClause(page: page, size: size))",
            [StoredId.argument(contactId)])
    }

    /// The contact's newest inbound WhatsApp message, which opens the 24-hour window.
    func lastInboundWhatsApp(of contactId: String) throws(APIFailure) -> InteractionRecord? {
        try sql {
            let statement = try db.cachedStatement(
                sql: "SELECT \(InteractionRecord.sql.selection) FROM interaction WHERE contactId = ? AND type = 'official_whatsapp' ORDER BY seq DESC")
            var found: InteractionRecord?
            try StoredColumns.each(statement, arguments: [StoredId.argument(contactId)], in: db) { row in
                let interaction = try InteractionRecord(row: row)
                if interaction.content["direction"]?.stringValue == "inbound" { found = interaction }
                return found == nil
            }
            return found
        }
    }

    // MARK: Users

    func user(_ id: String) throws(APIFailure) -> UserRecord? { try fetchOne(UserRecord.self, id: id) }

    /// A user's full name as answers show it; empty for none. Looked up once a transaction.
    func userName(_ id: String?) -> String {
        guard let id else { return "" }
        if let known = userNames[id] { return known }
        let name = ((try? user(id)) ?? nil)?.fullName ?? ""
        userNames[id] = name
        return name
    }

    func activeUser(_ id: String, in account: AccountRecord) throws(APIFailure) -> UserRecord? {
        guard let user = try user(id), user.accountId == account.id, user.active else { return nil }
        return user
    }

    /// An active user of the account's groups, or 404.
    func visibleUser(_ id: String, of account: AccountRecord) throws(APIFailure) -> UserRecord {
        guard let user = try user(id), user.accountId == account.id, user.active, groupIds(of: account).contains(user.groupId) else {
            throw .notFound("User \(id) not found")
        }
        return user
    }

    /// Active users of the account's groups by name, then last name, then id.
    func userPage(of account: AccountRecord, page: Int, size: Int) throws(APIFailure) -> [UserRecord] {
        let groups = groupIds(of: account)
        let placeholders = Array(repeating: "?", count: groups.count).joined(separator: ",")
        return try fetchAll(
            UserRecord.self,
            "WHERE accountId = ? AND active = 1 AND groupId IN (\(placeholders)) ORDER BY sortName, id \(Self.limitClause(page: page, size: size))",
            StatementArguments(([account.id] + groups).map(StoredId.argument)))
    }

    func requireUniqueEmail(_ email: String, except id: String?) throws(APIFailure) {
        let holders = try ids("SELECT id FROM user WHERE emailKey = ?", [UserRecord.emailKey(email)])
        if holders.contains(where: { $0 != id }) { throw .invalidField("email", "is already used by another user") }
    }

    func save(_ user: UserRecord) throws(APIFailure) {
        try sql { try db.write(user, sql: UserRecord.sql.replace) }
        userNames[user.id] = nil
    }

    // MARK: Sales

    func sale(_ id: String, of account: AccountRecord) throws(APIFailure) -> SaleRecord {
        guard let sale = try fetchOne(SaleRecord.self, id: id), sale.accountId == account.id else { throw .notFound("Sale \(id) not found") }
        return sale
    }

    /// A sale of any account: an upsert must not take over another account's id.
    func anySale(_ id: String) throws(APIFailure) -> SaleRecord? { try fetchOne(SaleRecord.self, id: id) }

    /// Newest sale date first (creation time for a sale without one), with the account's total.
    func salePage(of account: AccountRecord, page: Int, size: Int) throws(APIFailure) -> (sales: [SaleRecord], total: Int) {
        try countedPage(SaleRecord.self, of: account, order: "listedAt DESC, id DESC", page: page, size: size)
    }

    /// One page of an account's records in `order`, with how many the account has in all.
    private func countedPage<R: StoredRecord>(_ type: R.Type, of account: AccountRecord, order: String, page: Int, size: Int)
        throws(APIFailure) -> ([R], Int)
    {
        let account = StoredId.argument(account.id)
        let total = try sql {
            try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM \(R.sql.table) WHERE accountId = ?"), arguments: [account]) ?? 0
        }
        let records = try fetchAll(R.self, "WHERE accountId = ? ORDER BY \(order) \(Self.limitClause(page: page, size: size))", [account])
        return (records, total)
    }

    func requireSaleUser(_ id: String?, account: AccountRecord) throws(APIFailure) {
        guard let id, ObjectIdFormat.isValid(id), try activeUser(id, in: account) != nil else {
            throw .invalidField("user", "must be the id of an active user of this account")
        }
    }

    func save(_ sale: SaleRecord) throws(APIFailure) {
        try sql { try db.write(sale, sql: SaleRecord.sql.replace) }
    }

    func insertSale(id: String, _ fields: SaleFields, account: AccountRecord, now: Date) throws(APIFailure) -> SaleRecord {
        let sale = SaleRecord(
            id: id, accountId: account.id, ticketId: fields.ticketId ?? "", ticketSaleId: fields.ticketSaleId, date: fields.date,
            dateSale: fields.dateSale ?? fields.date, name: fields.name, phone: fields.phone ?? "", govId: fields.govId, type: fields.type,
            product: fields.product, status: fields.status ?? "PENDING", lock: false, user: fields.user ?? "",
            importation: fields.importation ?? "Public API", value: 0, createdAt: now, updatedAt: now, version: 0)
        try save(sale)
        return sale
    }

    // MARK: Webhooks and lead entries

    func webhook(_ id: String, of account: AccountRecord) throws(APIFailure) -> WebhookRecord {
        guard let hook = try fetchOne(WebhookRecord.self, id: id), hook.accountId == account.id else {
            throw .notFound("Webhook \(id) not found")
        }
        return hook
    }

    /// Oldest first, with the account's total.
    func webhookPage(of account: AccountRecord, page: Int, size: Int) throws(APIFailure) -> (hooks: [WebhookRecord], total: Int) {
        try countedPage(WebhookRecord.self, of: account, order: "createdAt, id", page: page, size: size)
    }

    /// The account's active hooks that take `topic`.
    func activeWebhooks(of account: AccountRecord, subscribedTo topic: String) throws(APIFailure) -> [WebhookRecord] {
        try fetchAll(WebhookRecord.self, "WHERE accountId = ? ORDER BY createdAt, id", [StoredId.argument(account.id)])
            .filter { $0.active && $0.topics.contains(topic) }
    }

    /// A contact of the account with a phone, picked by `pick` among them (the simulator's).
    func contactWithPhone(of account: AccountRecord, pick: (Int) -> Int) throws(APIFailure) -> ContactRecord? {
        let ids = store.order.page(account: account.id, index: 0, size: 200)
        guard !ids.isEmpty else { return nil }
        var candidates: [ContactRecord] = []
        for id in ids {
            if let contact = try fetchOne(ContactRecord.self, id: id), !contact.phones.isEmpty { candidates.append(contact) }
        }
        return candidates.isEmpty ? nil : candidates[pick(candidates.count)]
    }

    func save(_ hook: WebhookRecord) throws(APIFailure) {
        try sql { try db.write(hook, sql: WebhookRecord.sql.replace) }
    }

    func insert(_ entry: LeadEntryRecord) throws(APIFailure) {
        try sql { try db.write(entry, sql: LeadEntryRecord.sql.insert) }
    }
}
