import Foundation
import GRDB
import GRDBSQLite

/// The current row of a statement, read straight off SQLite: what a record's `init(row:)` reads.
/// GRDB's `Row` boxes each value on the way; a contact page reads two thousand of them.
struct StoredColumns {
    let statement: SQLiteStatement

    private func isNull(_ index: Int) -> Bool { sqlite3_column_type(statement, Int32(index)) == SQLITE_NULL }

    subscript(_ index: Int) -> String {
        guard let text = sqlite3_column_text(statement, Int32(index)) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, Int32(index)))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    subscript(_ index: Int) -> String? {
        isNull(index) ? nil : self[index] as String
    }

    subscript(_ index: Int) -> Int { Int(sqlite3_column_int64(statement, Int32(index))) }
    subscript(_ index: Int) -> Bool { sqlite3_column_int64(statement, Int32(index)) != 0 }
    subscript(_ index: Int) -> Double { sqlite3_column_double(statement, Int32(index)) }
    subscript(_ index: Int) -> Double? { isNull(index) ? nil : self[index] as Double }

    /// An id: 12 stored bytes as 24 hex digits, or text as it is.
    func id(_ index: Int) -> String? {
        switch sqlite3_column_type(statement, Int32(index)) {
        case SQLITE_NULL: return nil
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, Int32(index)))
            guard let bytes = sqlite3_column_blob(statement, Int32(index)) else { return "" }
            return StoredId.text(UnsafeRawBufferPointer(start: bytes, count: count))
        default: return self[index] as String
        }
    }

    /// An id's 12 bytes when it is stored packed; valid until the statement moves on.
    func packedId(_ index: Int) -> UnsafeRawBufferPointer? {
        guard sqlite3_column_type(statement, Int32(index)) == SQLITE_BLOB, let bytes = sqlite3_column_blob(statement, Int32(index)) else {
            return nil
        }
        return UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, Int32(index))))
    }

    /// An id that must be there; a missing one reads as empty (and is found nowhere).
    func idOrEmpty(_ index: Int) -> String { id(index) ?? "" }

    /// Runs a statement and hands each row to `body` until it returns false.
    static func each(
        _ statement: Statement, arguments: StatementArguments, in db: Database, _ body: (StoredColumns) throws -> Bool
    ) throws {
        try statement.setArguments(arguments)
        let raw = statement.sqliteStatement
        defer { sqlite3_reset(raw) }
        while true {
            let code = sqlite3_step(raw)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
            }
            guard try body(StoredColumns(statement: raw)) else { return }
        }
    }

    static func all<R: StoredRecord>(_ type: R.Type, _ statement: Statement, arguments: StatementArguments = [], in db: Database) throws -> [R] {
        var records: [R] = []
        try each(statement, arguments: arguments, in: db) { row in
            records.append(try R(row: row))
            return true
        }
        return records
    }
}
