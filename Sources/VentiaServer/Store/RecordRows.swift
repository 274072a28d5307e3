import Foundation
import GRDB
import GRDBSQLite
import VentiaAPI

/// Each record as a table row: its columns in order, read from a row fetched with them, and the
/// arguments that write them.
protocol StoredRecord {
    static var sql: RecordSQL { get }
    init(row: StoredColumns) throws
    /// Hands over the columns in order (to SQLite directly: seeding binds millions of them).
    func bind<Columns: ColumnSink>(_ columns: inout Columns)
}

/// A table's statements, built once: its columns in the order `init(row:)` reads and `arguments`
/// writes them.
struct RecordSQL: Sendable {
    let table: String
    let selection: String
    let insert: String
    let replace: String

    /// `selection` replaces a stored column by an expression where a read needs one.
    init(table: String, columns: [String], selection: [String: String] = [:]) {
        self.table = table
        let names = columns.joined(separator: ", ")
        self.selection = columns.map { selection[$0] ?? $0 }.joined(separator: ", ")
        let values = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        insert = "INSERT INTO \(table) (\(names)) VALUES (\(values))"
        replace = "INSERT OR REPLACE INTO \(table) (\(names)) VALUES (\(values))"
    }
}

extension ContactRecord: StoredRecord {
    static let sql = RecordSQL(
        table: "contact",
        columns: [
        "id", "accountId", "firstName", "lastName", "origin", "phones", "emails", "detail", "agent", "firstAgent", "agentAssigned",
        "archivingReason", "status", "attention", "reminder", "channels", "visits", "createdAt", "updatedAt", "lastInteraction", "version",
    ])

    init(row: StoredColumns) throws {
        try self.init(
            id: row.idOrEmpty(0), accountId: row.idOrEmpty(1), firstName: row[2], lastName: row[3], origin: row[4], phones: try ColumnCoding.strings(row[5]),
            emails: try ColumnCoding.strings(row[6]), detail: row[7], agent: row.id(8), firstAgent: row.id(9),
            agentAssigned: ColumnCoding.date(row[10] as Double?), archivingReason: row[11], status: row[12], attention: row[13],
            reminder: ColumnCoding.date(row[14] as Double?), channels: try ColumnCoding.strings(row[15]), visits: row[16],
            createdAt: ColumnCoding.date(row[17] as Double), updatedAt: ColumnCoding.date(row[18] as Double),
            lastInteraction: ColumnCoding.date(row[19] as Double), version: row[20])
    }

    func bind<Columns: ColumnSink>(_ columns: inout Columns) {
        columns.addId(id)
        columns.addId(accountId)
        columns.add(firstName)
        columns.add(lastName)
        columns.add(origin)
        columns.addStrings(phones)
        columns.addStrings(emails)
        columns.add(detail)
        columns.addId(agent)
        columns.addId(firstAgent)
        columns.add(ColumnCoding.column(agentAssigned))
        columns.add(archivingReason)
        columns.add(status)
        columns.add(attention)
        columns.add(ColumnCoding.column(reminder))
        columns.addStrings(channels)
        columns.add(visits)
        columns.add(ColumnCoding.column(createdAt))
        columns.add(ColumnCoding.column(updatedAt))
        columns.add(ColumnCoding.column(lastInteraction))
        columns.add(version)
    }

    static let matchKeySQL = "INSERT OR IGNORE INTO contactKey (key, contactId) VALUES (?, ?)"

    /// What a lead is matched on: its phones' digits and its emails, lower-cased.
    var matchKeys: Set<String> {
        Set(phones.map(Self.matchKey(phone:)) + emails.map(Self.matchKey(email:)))
    }

    static func matchKey(phone: String) -> String { "p:" + PhoneNumber.normalized(phone) }
    static func matchKey(email: String) -> String { "e:" + email.lowercased() }
}

extension InteractionRecord: StoredRecord {
    static let sql = RecordSQL(
        table: "interaction",
        columns: ["id", "contactId", "agent", "type", "content", "via", "createdAt", "seq"],
        // The account is the contact's: kept once there instead of on every interaction.
        selection: ["id": "id, (SELECT accountId FROM contact WHERE contact.id = interaction.contactId)"])

    init(row: StoredColumns) throws {
        try self.init(
            id: row.idOrEmpty(0), accountId: row.idOrEmpty(1), contactId: row.idOrEmpty(2), agent: row.id(3), type: row[4], content: try ColumnCoding.json(row[5]), via: row[6],
            createdAt: ColumnCoding.date(row[7] as Double), seq: row[8])
    }

    func bind<Columns: ColumnSink>(_ columns: inout Columns) {
        columns.addId(id)
        columns.addId(contactId)
        columns.addId(agent)
        columns.add(type)
        columns.addJSON(content)
        columns.add(via)
        columns.add(ColumnCoding.column(createdAt))
        columns.add(seq)
    }
}

extension UserRecord: StoredRecord {
    static let sql = RecordSQL(
        table: "user",
        columns: [
        "id", "accountId", "groupId", "name", "lastname", "email", "passwordDigest", "phoneWork", "roles", "active", "firstLoginAt",
        "emailKey", "sortName",
    ])

    init(row: StoredColumns) throws {
        try self.init(
            id: row.idOrEmpty(0), accountId: row.idOrEmpty(1), groupId: row.idOrEmpty(2), name: row[3], lastname: row[4], email: row[5], passwordDigest: row[6],
            phoneWork: row[7], roles: try ColumnCoding.strings(row[8]), active: row[9], firstLoginAt: ColumnCoding.date(row[10] as Double?))
    }

    func bind<Columns: ColumnSink>(_ columns: inout Columns) {
        columns.addId(id)
        columns.addId(accountId)
        columns.addId(groupId)
        columns.add(name)
        columns.add(lastname)
        columns.add(email)
        columns.add(passwordDigest)
        columns.add(phoneWork)
        columns.addStrings(roles)
        columns.add(active)
        columns.add(ColumnCoding.column(firstLoginAt))
        columns.add(Self.emailKey(email))
        columns.add(sortName)
    }

    static func emailKey(_ email: String) -> String { email.lowercased() }

    /// Users list by name, then last name, case-folded, then id: one column the index can hold.
    var sortName: String { name.lowercased() + "\u{0}" + lastname.lowercased() }
}

extension SaleRecord: StoredRecord {
    static let sql = RecordSQL(
        table: "sale",
        columns: [
        "id", "accountId", "ticketId", "ticketSaleId", "date", "dateSale", "name", "phone", "govId", "type", "product", "status", "lock",
        "user", "importation", "value", "createdAt", "updatedAt", "version", "listedAt", "removeFromGoal",
    ])

    init(row: StoredColumns) throws {
        try self.init(
            id: row.idOrEmpty(0), accountId: row.idOrEmpty(1), ticketId: row[2], ticketSaleId: row[3], date: ColumnCoding.date(row[4] as Double?),
            dateSale: ColumnCoding.date(row[5] as Double?), name: row[6], phone: row[7], govId: row[8], type: row[9], product: row[10],
            status: row[11], lock: row[12], user: row.idOrEmpty(13), importation: row[14], value: row[15], removeFromGoal: row[20],
            createdAt: ColumnCoding.date(row[16] as Double), updatedAt: ColumnCoding.date(row[17] as Double), version: row[18])
    }

    func bind<Columns: ColumnSink>(_ columns: inout Columns) {
        columns.addId(id)
        columns.addId(accountId)
        columns.add(ticketId)
        columns.add(ticketSaleId)
        columns.add(ColumnCoding.column(date))
        columns.add(ColumnCoding.column(dateSale))
        columns.add(name)
        columns.add(phone)
        columns.add(govId)
        columns.add(type)
        columns.add(product)
        columns.add(status)
        columns.add(lock)
        columns.addId(user)
        columns.add(importation)
        columns.add(value)
        columns.add(ColumnCoding.column(createdAt))
        columns.add(ColumnCoding.column(updatedAt))
        columns.add(version)
        columns.add(ColumnCoding.column(dateSale ?? createdAt))
        columns.add(removeFromGoal)
    }
}

extension WebhookRecord: StoredRecord {
    static let sql = RecordSQL(
        table: "webhook",
        columns: ["id", "accountId", "name", "callbackUrl", "topics", "active", "createdAt"])

    init(row: StoredColumns) throws {
        try self.init(
            id: row.idOrEmpty(0), accountId: row.idOrEmpty(1), name: row[2], callbackUrl: row[3], topics: try ColumnCoding.strings(row[4]), active: row[5],
            createdAt: ColumnCoding.date(row[6] as Double))
    }

    func bind<Columns: ColumnSink>(_ columns: inout Columns) {
        columns.addId(id)
        columns.addId(accountId)
        columns.add(name)
        columns.add(callbackUrl)
        columns.addStrings(topics)
        columns.add(active)
        columns.add(ColumnCoding.column(createdAt))
    }
}

extension LeadEntryRecord: StoredRecord {
    static let sql = RecordSQL(
        table: "leadEntry",
        columns: [
        "id", "accountId", "formCode", "firstName", "lastName", "phones", "emails", "detail", "actionId", "additionalData", "createdAt",
    ])

    init(row: StoredColumns) throws {
        let additional = try ColumnCoding.json(row[9])
        try self.init(
            id: row.idOrEmpty(0), accountId: row.idOrEmpty(1), formCode: row[2], firstName: row[3], lastName: row[4], phones: try ColumnCoding.strings(row[5]),
            emails: try ColumnCoding.strings(row[6]), detail: row[7], actionId: row[8], additionalData: additional.objectValue ?? [:],
            createdAt: ColumnCoding.date(row[10] as Double))
    }

    func bind<Columns: ColumnSink>(_ columns: inout Columns) {
        columns.addId(id)
        columns.addId(accountId)
        columns.add(formCode)
        columns.add(firstName)
        columns.add(lastName)
        columns.addStrings(phones)
        columns.addStrings(emails)
        columns.add(detail)
        columns.add(actionId)
        columns.addJSON(.object(additionalData))
        columns.add(ColumnCoding.column(createdAt))
    }
}

extension AccountRecord {
    static let columns = "id, name, keys, groupId, saleStatuses, channelIds, leadFormCodes"

    init(row: Row) throws {
        try self.init(
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

/// Where a record's columns go, in order: straight to a statement, or into a list of values.
protocol ColumnSink {
    mutating func add(_ text: String)
    mutating func add(_ number: Double)
    mutating func add(_ integer: Int)
    mutating func addNull()
    /// An id: 12 bytes for a 24-hex id (half its text), the text for anything else.
    mutating func addId(_ id: String)
    /// A list of strings, as `ColumnCoding` writes it.
    mutating func addStrings(_ strings: [String])
    mutating func addJSON(_ value: JSONValue)
}

extension ColumnSink {
    mutating func add(_ text: String?) {
        if let text { add(text) } else { addNull() }
    }

    mutating func add(_ number: Double?) {
        if let number { add(number) } else { addNull() }
    }

    mutating func add(_ flag: Bool) { add(flag ? 1 : 0) }

    mutating func addStrings(_ strings: [String]) { add(ColumnCoding.column(strings)) }

    mutating func addId(_ id: String?) {
        if let id { addId(id) } else { addNull() }
    }
    mutating func addJSON(_ value: JSONValue) { add(ColumnCoding.column(value)) }
}

/// A column's value, encoded and ready to bind.
enum ColumnValue: Sendable {
    case blob([UInt8])
    case text(String)
    case real(Double)
    case integer(Int)
    case null

    /// An id in its stored form (see `StoredId`).
    static func id(_ id: String) -> ColumnValue { StoredId.packed(id).map { .blob($0) } ?? .text(id) }
}

/// Binds one statement's parameters in order, through SQLite's C API without boxing each value.
struct ColumnBinder: ColumnSink {
    let statement: SQLiteStatement
    private var index: Int32 = 1
    /// SQLite copies each text before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: Statement) {
        self.init(raw: statement.sqliteStatement)
    }

    init(raw statement: SQLiteStatement) {
        self.statement = statement
        sqlite3_reset(statement)
    }

    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { characters in
                // An empty buffer may have no address, and a nil pointer would bind NULL.
                if let start = characters.baseAddress, !characters.isEmpty {
                    _ = sqlite3_bind_text(statement, index, start, Int32(characters.count), Self.transient)
                } else {
                    _ = sqlite3_bind_text(statement, index, "", 0, Self.transient)
                }
            }
        }
        index += 1
    }

    /// Text that stays where it is until the statement has run (SQLite does not copy it).
    mutating func addStatic(_ utf8: UnsafeRawBufferPointer) {
        if let start = utf8.baseAddress, !utf8.isEmpty {
            _ = sqlite3_bind_text(statement, index, start.assumingMemoryBound(to: CChar.self), Int32(utf8.count), nil)
        } else {
            _ = sqlite3_bind_text(statement, index, "", 0, Self.transient)
        }
        index += 1
    }

    mutating func add(_ number: Double) {
        sqlite3_bind_double(statement, index, number)
        index += 1
    }

    mutating func add(_ integer: Int) {
        sqlite3_bind_int64(statement, index, Int64(integer))
        index += 1
    }

    mutating func addNull() {
        sqlite3_bind_null(statement, index)
        index += 1
    }

    mutating func addId(_ id: String) {
        if let packed = StoredId.packed(id) { addBlob(packed) } else { add(id) }
    }

    mutating func addBlob(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { addBlobStatic($0, copied: true) }
    }

    /// Bytes that stay where they are until the statement has run, unless `copied`.
    mutating func addBlobStatic(_ bytes: UnsafeRawBufferPointer, copied: Bool = false) {
        _ = sqlite3_bind_blob(statement, index, bytes.baseAddress, Int32(bytes.count), copied ? Self.transient : nil)
        index += 1
    }

    mutating func add(_ value: ColumnValue) {
        switch value {
        case .blob(let bytes): addBlob(bytes)
        case .text(let text): add(text)
        case .real(let number): add(number)
        case .integer(let integer): add(integer)
        case .null: addNull()
        }
    }
}

extension Database {
    /// Writes one record with a cached statement (`RecordSQL.insert` or `.replace`).
    func write<R: StoredRecord>(_ record: R, sql: String) throws {
        try step(sql) { binder in record.bind(&binder) }
    }

    /// Writes columns already encoded.
    func write(_ values: [ColumnValue], sql: String) throws {
        try step(sql) { binder in for value in values { binder.add(value) } }
    }

    private func step(_ sql: String, bind: (inout ColumnBinder) -> Void) throws {
        try step(cachedStatement(sql: sql), bind: bind)
    }

    private func step(_ statement: Statement, bind: (inout ColumnBinder) throws -> Void) throws {
        var binder = ColumnBinder(statement)
        try bind(&binder)
        let code = sqlite3_step(statement.sqliteStatement)
        sqlite3_reset(statement.sqliteStatement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqliteConnection)), sql: statement.sql)
        }
    }
}
