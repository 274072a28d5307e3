import Foundation
import GRDB
import Logging
import VentiaAPI

/// The `--data` file: a SQLite database this server wrote (opened as it is), none yet (created and
/// seeded once), or a JSON data file of the format before SQLite (imported once, the original kept
/// beside it). Anything else is refused and left untouched.
enum DataFile {
    static let sqliteHeader = Array("SQLite format 3\u{0}".utf8)

    static func open(_ file: URL, seeder: StoreSeeder, logger: Logger) throws -> DatabasePool {
        let folder = file.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw DataFileError(path: file.path, reason: "the folder \(folder.path) does not exist")
        }
        let head = try firstBytes(of: file, count: 100)
        switch head {
        case nil, []?:
            return try create(file) { writer in try seeder.seed(piped: writer) }
        case let bytes? where bytes.starts(with: sqliteHeader):
            try checkLength(of: file, header: bytes)
            return try openExisting(file, seeder: seeder)
        case let bytes? where bytes.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == UInt8(ascii: "{"):
            return try importJSON(file, seeder: seeder, logger: logger)
        default:
            throw DataFileError(path: file.path, reason: "it is neither a ventia-server database nor a JSON data file")
        }
    }

    static func configuration() -> Configuration {
        var configuration = Configuration()
        // A commit is on disk before its answer goes out, power cut included.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        configuration.busyMode = .timeout(1)
        return configuration
    }

    private static func create(_ file: URL, fill: (StoreRowWriter) throws -> Void) throws -> DatabasePool {
        do {
            let pool = try DatabasePool(path: file.path, configuration: configuration())
            try StoreDatabase.prepare(pool, fill: fill)
            return pool
        } catch let error as DatabaseError {
            throw DataFileError(path: file.path, reason: "it could not be created (\(error.message ?? error.description))")
        }
    }

    private static func openExisting(_ file: URL, seeder: StoreSeeder) throws -> DatabasePool {
        let migrator = StoreSchema.migrator()
        do {
            // A first look through a read-only connection: nothing may write to a file before it
            // is known to be ours and whole enough to read its schema and small tables.
            var lookOnly = Configuration()
            lookOnly.readonly = true
            let look = try DatabaseQueue(path: file.path, configuration: lookOnly)
            try look.read { db in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                if !tables.isEmpty, !tables.contains("grdb_migrations") {
                    throw DataFileError(path: file.path, reason: "it is a SQLite database of another program (tables: \(tables.prefix(5).joined(separator: ", ")))")
                }
                if try migrator.hasBeenSuperseded(db) {
                    let unknown = try migrator.appliedIdentifiers(db).subtracting(try migrator.appliedMigrations(db)).sorted()
                    throw DataFileError(
                        path: file.path,
                        reason: "it was written by a newer ventia-server (schema \(unknown.joined(separator: ", "))); run that version, or start with another file")
                }
                if tables.contains("account") {
                    _ = try StoreCatalog.load(db)
                    _ = try StoreCounters.load(db)
                }
            }
            try look.close()
        } catch let error as DatabaseError {
            throw damaged(file, error)
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: file.path, configuration: configuration())
            // A file whose seeding never committed (the process died first) is seeded now.
            try StoreDatabase.prepare(pool) { writer in try seeder.seed(piped: writer) }
        } catch let error as DatabaseError {
            throw damaged(file, error)
        }
        return pool
    }

    private static func damaged(_ file: URL, _ error: DatabaseError) -> DataFileError {
        let says = error.message ?? error.description
        switch error.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return DataFileError(path: file.path, reason: "it is damaged (SQLite says: \(says))")
        default: return DataFileError(path: file.path, reason: "SQLite cannot open it (\(says))")
        }
    }

    /// A file cut short opens without complaint and fails later, so its length is checked against
    /// the page count in its header. (With WAL, the header can lag behind, never run ahead.)
    private static func checkLength(of file: URL, header: [UInt8]) throws {
        guard header.count >= 32 else { throw DataFileError(path: file.path, reason: "it is cut short (\(header.count) bytes)") }
        let rawPageSize = Int(header[16]) << 8 | Int(header[17])
        let pageSize = rawPageSize == 1 ? 65536 : rawPageSize
        let pages = header[28..<32].reduce(0) { $0 << 8 | Int($1) }
        let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        if pageSize > 0, pages > 0, size < pages * pageSize {
            throw DataFileError(path: file.path, reason: "it is cut short: \(size) bytes where its header counts \(pages * pageSize)")
        }
    }

    /// Imports a JSON data file into a new database beside it, then puts the database in its place
    /// and keeps the JSON as `FILE.json-backup`.
    private static func importJSON(_ file: URL, seeder: StoreSeeder, logger: Logger) throws -> DatabasePool {
        let state: StoreState
        do {
            state = try VentiaJSON.decoder().decode(StoreState.self, from: Data(contentsOf: file))
        } catch let error as DecodingError {
            throw DataFileError(path: file.path, reason: VentiaJSON.describe(error))
        }
        let backup = URL(fileURLWithPath: file.path + ".json-backup")
        guard !FileManager.default.fileExists(atPath: backup.path) else {
            throw DataFileError(path: file.path, reason: "it is a JSON data file, and \(backup.path) is in the way of its import")
        }
        let staging = URL(fileURLWithPath: file.path + ".importing")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: staging.path + suffix) }
        do {
            let pool = try create(staging) { writer in try writer.insert(state) }
            try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            try pool.close()
        }
        try FileManager.default.moveItem(at: file, to: backup)
        try FileManager.default.moveItem(at: staging, to: file)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: staging.path + suffix) }
        logger.notice("imported the JSON data file \(file.path) into SQLite; the original is kept as \(backup.path)")
        return try openExisting(file, seeder: seeder)
    }

    private static func firstBytes(of file: URL, count: Int) throws -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        guard let handle = FileHandle(forReadingAtPath: file.path) else {
            throw DataFileError(path: file.path, reason: "it cannot be read (permission denied?)")
        }
        defer { try? handle.close() }
        return Array(try handle.read(upToCount: count) ?? Data())
    }
}

struct DataFileError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot use the data file \(path): \(reason)" }
}
