import Foundation
import GRDB
import GRDBSQLite
import VentiaAPI

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

/// Hands seeded rows from the thread that generates them to the database's thread, so that
/// generating and inserting run on both cores at once. The bulk rows travel packed into one byte
/// buffer a batch, which the database's thread binds in place: no value is allocated per column.
final class SeedPipe: SeedSink, @unchecked Sendable {
    /// What crosses the pipe: a batch of packed rows, or one row of a small table.
    enum Item {
        case packed([UInt8])
        case row(SeedRow)
    }

    private let condition = NSCondition()
    private var items: [Item] = []
    private var packing = PackedRows(capacity: SeedPipe.batchBytes + 16_384)
    private var closed = false
    private var abandoned = false
    /// Lead-matching keys arrive in random order; kept aside and written sorted once all are in.
    private var matchKeys = SeedMatchKeys()
    /// Each account's contacts as the list orders them, gathered on the way so that the store
    /// need not read them back; complete once the pipe is closed.
    private(set) var orderKeys: [String: [ContactOrder.Key]] = [:]
    private static let batchBytes = 1 << 18
    private static let itemsAhead = 4

    /// Called on the generating thread, which also encodes the columns; waits while the database
    /// is this many batches behind.
    func add(_ row: SeedRow) {
        switch row {
        case .contact(let contact):
            packing.add(contact, into: .contact)
            let key = ContactOrder.Key(updatedAt: contact.updatedAt.timeIntervalSinceReferenceDate, id: contact.id)
            orderKeys[contact.accountId, default: []].append(key)
            matchKeys.add(phones: contact.phones, emails: contact.emails, high: key.high, low: key.low)
        case .interaction(let interaction): packing.add(interaction, into: .interaction)
        case .sale(let sale): packing.add(sale, into: .sale)
        case .webhook(let hook): packing.add(hook, into: .webhook)
        default:
            flush()
            send(.row(row))
        }
        if packing.bytes.count >= Self.batchBytes { flush() }
    }

    func close() {
        for entry in matchKeys.sorted() {
            packing.begin(.matchKey)
            packing.add(utf8: matchKeys.key(of: entry))
            packing.addId(high: entry.high, low: entry.low)
            if packing.bytes.count >= Self.batchBytes { flush() }
        }
        matchKeys = SeedMatchKeys()
        flush()
        condition.withLock {
            closed = true
            condition.broadcast()
        }
    }

    private func flush() {
        guard !packing.bytes.isEmpty else { return }
        send(.packed(packing.bytes))
        packing = PackedRows(capacity: Self.batchBytes + 16_384)
    }

    private func send(_ item: Item) {
        condition.withLock {
            while items.count >= Self.itemsAhead && !abandoned { condition.wait() }
            if !abandoned { items.append(item) }
            condition.broadcast()
        }
    }

    /// Called on the database's thread: takes each item until the generator closes the pipe. If
    /// `body` throws, the generator is let go (its rows dropped) and the error comes out here.
    func drain(_ body: (Item) throws -> Void) throws {
        while true {
            let item: Item? = condition.withLock {
                while items.isEmpty && !closed { condition.wait() }
                if items.isEmpty { return nil }
                condition.broadcast()
                return items.removeFirst()
            }
            guard let item else { return }
            do {
                try body(item)
            } catch {
                condition.withLock {
                    abandoned = true
                    items = []
                    condition.broadcast()
                }
                throw error
            }
        }
    }
}

/// The tables bulk rows pour into, each with its insert statement prepared once.
enum BulkTable: UInt8, CaseIterable {
    case contact, matchKey, interaction, sale, webhook

    var sql: String {
        switch self {
        case .contact: ContactRecord.sql.insert
        case .matchKey: ContactRecord.matchKeySQL
        case .interaction: InteractionRecord.sql.insert
        case .sale: SaleRecord.sql.insert
        case .webhook: WebhookRecord.sql.insert
        }
    }
}

/// Rows packed into bytes: per row its table and column count, then per column a kind byte and
/// its value (text as a length and its UTF-8, numbers as 8 bytes).
struct PackedRows: ColumnSink {
    private(set) var bytes: [UInt8] = []
    private var countAt = 0

    /// Room for a whole batch at once: growing the buffer as it fills copied it again and again.
    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    enum Kind: UInt8 { case text, real, integer, null, blob }

    mutating func add(_ record: some StoredRecord, into table: BulkTable) {
        begin(table)
        record.bind(&self)
    }

    mutating func begin(_ table: BulkTable) {
        bytes.append(table.rawValue)
        countAt = bytes.count
        bytes.append(0)
    }

    mutating func add(_ text: String) {
        column(.text)
        var text = text
        text.withUTF8 { utf8 in
            appendWord(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Text already in bytes.
    mutating func add(utf8: ArraySlice<UInt8>) {
        column(.text)
        appendWord(UInt64(utf8.count))
        bytes += utf8
    }

    /// An id already packed, as `ContactOrder.Key` holds it.
    mutating func addId(high: UInt64, low: UInt32) {
        column(.blob)
        appendWord(12)
        withUnsafeBytes(of: high.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: low.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func add(_ number: Double) {
        column(.real)
        appendWord(number.bitPattern)
    }

    mutating func add(_ integer: Int) {
        column(.integer)
        appendWord(UInt64(bitPattern: Int64(integer)))
    }

    mutating func addNull() { column(.null) }

    mutating func addId(_ id: String) {
        let start = bytes.count
        column(.blob)
        appendWord(12)
        guard StoredId.append(id, to: &bytes) else {
            bytes.removeSubrange(start...)
            bytes[countAt] -= 1
            return add(id)
        }
    }

    // Lists and JSON are written straight into the buffer, their length filled in after.
    mutating func addStrings(_ strings: [String]) {
        column(.text)
        let lengthAt = reserveLength()
        ColumnCoding.append(strings, to: &bytes)
        fillLength(at: lengthAt)
    }

    mutating func addJSON(_ value: JSONValue) {
        column(.text)
        let lengthAt = reserveLength()
        if !JSONWriter.write(value, into: &bytes) {
            bytes.removeSubrange((lengthAt + 8)...)
            bytes += "null".utf8
        }
        fillLength(at: lengthAt)
    }

    private mutating func reserveLength() -> Int {
        appendWord(0)
        return bytes.count - 8
    }

    private mutating func fillLength(at offset: Int) {
        let length = UInt64(bytes.count - offset - 8).littleEndian
        withUnsafeBytes(of: length) { word in
            for index in 0..<8 { bytes[offset + index] = word[index] }
        }
    }

    private mutating func column(_ kind: Kind) {
        bytes[countAt] += 1
        bytes.append(kind.rawValue)
    }

    private mutating func appendWord(_ word: UInt64) {
        withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Binds and inserts every row, reading the bytes in place.
    /// The loop is SQLite's C API and this file only: GRDB is not optimised in a debug build.
    static func insert(_ bytes: [UInt8], statements: [Statement], _ db: Database) throws {
        let raws = statements.map(\.sqliteStatement)
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            func word() -> UInt64 {
                defer { offset += 8 }
                return UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            }
            while offset < buffer.count {
                guard let table = BulkTable(rawValue: buffer[offset]) else { throw StoreCorruption(what: "a packed row", value: "\(offset)") }
                let columns = Int(buffer[offset + 1])
                offset += 2
                let statement = raws[Int(table.rawValue)]
                var binder = ColumnBinder(raw: statement)
                do {
                    for _ in 0..<columns {
                        let kind = Kind(rawValue: buffer[offset])
                        offset += 1
                        switch kind {
                        case .text:
                            let length = Int(word())
                            binder.addStatic(UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + length)]))
                            offset += length
                        case .blob:
                            let length = Int(word())
                            binder.addBlobStatic(UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + length)]))
                            offset += length
                        case .real: binder.add(Double(bitPattern: word()))
                        case .integer: binder.add(Int(Int64(bitPattern: word())))
                        case .null, nil: binder.addNull()
                        }
                    }
                }
                let code = sqlite3_step(statement)
                sqlite3_reset(statement)
                guard code == SQLITE_DONE else {
                    throw DatabaseError(
                        resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                        sql: table.sql)
                }
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
    /// Seeds on a thread of its own while this one (the database's) inserts what it makes; returns
    /// each account's list order, ascending, as `ContactOrder` holds it.
    @discardableResult
    func seed(piped rows: StoreRowWriter) throws -> [String: [ContactOrder.Key]] {
        let pipe = SeedPipe()
        let seeder = self
        let generator = Thread {
            try? seeder.seed(into: pipe)
            pipe.close()
        }
        generator.start()
        let statements = try BulkTable.allCases.map { try rows.db.makeStatement(sql: $0.sql) }
        try pipe.drain { item in
            switch item {
            case .packed(let bytes): try PackedRows.insert(bytes, statements: statements, rows.db)
            case .row(let row): try rows.add(row)
            }
        }
        return pipe.orderKeys.mapValues { $0.sorted() }
    }
}
