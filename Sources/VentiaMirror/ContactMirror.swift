import Foundation
import GRDB
import VentiaAPI

/// Something the mirror could not do, in words for the status line.
public struct MirrorError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }

    init(_ doing: String, _ error: any Error) {
        description = "\(doing): \((error as? DatabaseError)?.message ?? "\(error)")"
    }
}

/// What opening a mirror file came to.
public enum MirrorOpening: Sendable {
    /// Ready; `notice` (said once) when a broken file was moved aside for a new one.
    case opened(ContactMirror, notice: String?)
    /// No mirror can be kept (a read-only or full cache folder): the app works online only.
    case unavailable(String)
}

/// One account's local copy in SQLite: the contacts as the list orders them (newest `updatedAt`
/// first), the timelines fetched, a full-text index over both, and small sync state. The screen
/// reads it at once; the network only ever writes to it.
public final class ContactMirror: Sendable {
    private let writer: any DatabaseWriter
    /// Nil for the throw-away mirror of demo mode and tests.
    public let file: URL?
    private let decoded = DecodedContacts()

    private init(writer: any DatabaseWriter, file: URL?) {
        self.writer = writer
        self.file = file
    }

    /// A mirror that lives in memory and ends with the process.
    public static func temporary() throws(MirrorError) -> ContactMirror {
        do {
            let queue = try DatabaseQueue()
            try MirrorSchema.migrator().migrate(queue)
            return ContactMirror(writer: queue, file: nil)
        } catch {
            throw MirrorError("cannot create the local copy in memory", error)
        }
    }

    /// Opens the account's mirror file, creating it (mode 0600) when missing. A file that is not a
    /// mirror this version can read is moved aside, never deleted, and a new one takes its place.
    public static func open(_ location: MirrorLocation, now: Date = Date()) -> MirrorOpening {
        let file = location.file
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            if !manager.fileExists(atPath: file.path) {
                guard manager.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    return .unavailable("cannot create \(file.path)")
                }
            } else {
                try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
            }
        } catch {
            return .unavailable("cannot write to \(file.deletingLastPathComponent().path): \(Self.reason(error))")
        }
        switch attach(file) {
        case .success(let mirror): return .opened(mirror, notice: nil)
        case .failure(.unusable(let reason)):
            let aside = file.deletingLastPathComponent().appendingPathComponent(
                file.lastPathComponent + ".broken-" + Self.stamp(now))
            do {
                for suffix in ["-wal", "-shm"] { try? manager.removeItem(atPath: file.path + suffix) }
                try manager.moveItem(at: file, to: aside)
                guard manager.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    return .unavailable("cannot create \(file.path)")
                }
            } catch {
                return .unavailable("the local copy \(file.path) is unreadable (\(reason)) and could not be moved aside: \(Self.reason(error))")
            }
            switch attach(file) {
            case .success(let mirror):
                return .opened(mirror, notice: "The local copy could not be read (\(reason)); it was moved to \(aside.lastPathComponent) and a new one is being built")
            case .failure(.unusable(let reason)), .failure(.unavailable(let reason)): return .unavailable(reason)
            }
        case .failure(.unavailable(let reason)): return .unavailable(reason)
        }
    }

    private enum AttachFailure: Error {
        /// The file is not a mirror this version can use: move it aside.
        case unusable(String)
        /// The file may be fine but cannot be used here (permissions, a full disk).
        case unavailable(String)
    }

    private static func attach(_ file: URL) -> Result<ContactMirror, AttachFailure> {
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(2)
            let migrator = MirrorSchema.migrator()
            // A first look read-only: opening a pool turns the file to WAL, which would change a file
            // that is about to be moved aside.
            var probing = configuration
            probing.readonly = true
            let verdict: String? = try DatabaseQueue(path: file.path, configuration: probing).read { db in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if tables.isEmpty { return nil }
                guard tables.contains("meta"),
                    try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'application'") == MirrorSchema.application
                else { return "it is not a ventia mirror" }
                if try migrator.hasBeenSuperseded(db) { return "a newer ventia wrote it" }
                return nil
            }
            if let verdict { return .failure(.unusable(verdict)) }
            let pool = try DatabasePool(path: file.path, configuration: configuration)
            try migrator.migrate(pool)
            return .success(ContactMirror(writer: pool, file: file))
        } catch let error as DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT, .SQLITE_FORMAT: return .failure(.unusable(error.message ?? "damaged"))
            default: return .failure(.unavailable("cannot open \(file.path): \(error.message ?? "\(error)")"))
            }
        } catch {
            return .failure(.unavailable("cannot open \(file.path): \(error)"))
        }
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }

    private static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }

    // MARK: Contacts

    public func contactCount() throws(MirrorError) -> Int {
        try read("count the local contacts") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM contact") ?? 0 }
    }

    /// Contacts in list order (newest `updatedAt` first, then id), `limit` from `offset`.
    public func contacts(offset: Int, limit: Int) throws(MirrorError) -> [Contact] {
        try read("read the local contacts") { db in
            try decodeContacts(
                db, sql: "SELECT rowid, updatedAt, body FROM contact ORDER BY updatedAt DESC, id DESC LIMIT ? OFFSET ?", arguments: [limit, offset])
        }
    }

    public func contact(id: String) throws(MirrorError) -> Contact? {
        try read("read a local contact") { db in
            try decodeContacts(db, sql: "SELECT rowid, updatedAt, body FROM contact WHERE id = ?", arguments: [id]).first
        }
    }

    /// Keeps `contacts` as fetched at `date`; returns how many it already held at that same version
    /// (same `updatedAt` and `__v`), which is how a refresh knows it has caught up.
    @discardableResult
    public func save(_ contacts: [Contact], fetchedAt date: Date) throws(MirrorError) -> Int {
        contacts.count - (try saveReportingChanges(contacts, fetchedAt: date).count)
    }

    /// Keeps `contacts` as `save` does; returns those it did not hold at that same version.
    public func saveReportingChanges(_ contacts: [Contact], fetchedAt date: Date) throws(MirrorError) -> [Contact] {
        try write("keep contacts locally") { db in
            var changed: [Contact] = []
            // Keys sorted: `contacts list --json` writes these bytes as they are, the same each time.
            let encoder = VentiaJSON.encoder()
            for contact in contacts {
                let updatedAt = contact.updatedAt?.timeIntervalSince1970 ?? 0
                let row = try Row.fetchOne(db, sql: "SELECT rowid, updatedAt, version FROM contact WHERE id = ?", arguments: [contact.id])
                if !(row.map { $0["updatedAt"] as Double == updatedAt && $0["version"] as Int? == contact.version } ?? false) { changed.append(contact) }
                let body = try encoder.encode(contact)
                try db.execute(sql: Self.upsert, arguments: [contact.id, updatedAt, contact.version, body, date.timeIntervalSince1970] + ContactColumns.values(contact))
                // An update keeps the row's rowid; a new row's is the one just inserted.
                let rowid: Int64 = row?["rowid"] ?? db.lastInsertedRowID
                decoded.forget(rowid: rowid)
                let notes = try String.fetchAll(
                    db, sql: "SELECT json_extract(body, '$.content.body') FROM interaction WHERE contactId = ? AND type = 'note'",
                    arguments: [contact.id])
                try Self.index(db, rowid: rowid, text: ContactSearchText.text(for: contact, notes: notes))
            }
            return changed
        }
    }

    private static let upsert: String = {
        let columns = ["id", "updatedAt", "version", "body", "fetchedAt"] + ContactColumns.names
        return """
            INSERT INTO contact (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
            ON CONFLICT (id) DO UPDATE SET \(columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
            """
    }()

    private static func index(_ db: Database, rowid: Int64, text: String) throws {
        try db.execute(sql: "DELETE FROM contact_search WHERE rowid = ?", arguments: [rowid])
        try db.execute(sql: "INSERT INTO contact_search (rowid, text) VALUES (?, ?)", arguments: [rowid, text])
    }

    /// Matches counted before ranking: ranking more (`m` matches a third of 100,000 contacts)
    /// took 30–60 ms, so broader searches list their newest matches instead.
    public static let rankedMatches = 2000

    /// The contacts whose words start with what was typed (see `ContactSearchText.query`): at most
    /// `limit`, best match first, or newest first when more than `rankedMatches` match.
    public func search(_ typed: String, limit: Int) throws(MirrorError) -> ContactSearch {
        guard let query = ContactSearchText.query(typed) else { return ContactSearch(contacts: [], matched: 0) }
        return try read("search the local contacts") { db in
            do {
                let matched = try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM (SELECT rowid FROM contact_search WHERE contact_search MATCH ? LIMIT ?)",
                    arguments: [query, Self.rankedMatches + 1]) ?? 0
                let sql = matched > Self.rankedMatches
                    // `+rowid`: walk the list's index newest first, keeping matches, and stop at `limit`.
                    ? "SELECT rowid, updatedAt, body FROM contact WHERE +rowid IN (SELECT rowid FROM contact_search WHERE contact_search MATCH ?) ORDER BY updatedAt DESC, id DESC LIMIT ?"
                    : """
                        SELECT contact.rowid, contact.updatedAt, contact.body FROM contact_search JOIN contact ON contact.rowid = contact_search.rowid
                        WHERE contact_search MATCH ? ORDER BY rank, contact.updatedAt DESC LIMIT ?
                        """
                return ContactSearch(contacts: try decodeContacts(db, sql: sql, arguments: [query, limit]), matched: matched)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
                return ContactSearch(contacts: [], matched: 0)  // text FTS5 cannot parse finds nothing rather than failing
            }
        }
    }

    /// Rows of `rowid, updatedAt, body`, decoded, each at most once while it stays the same:
    /// decoding the answer's JSON was most of a search keystroke, and typing narrows a search
    /// over the same contacts again and again.
    func decodeContacts(_ db: Database, sql: String, arguments: StatementArguments) throws -> [Contact] {
        let decoder = VentiaJSON.decoder()
        var contacts: [Contact] = []
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            let rowid: Int64 = row[0]
            let updatedAt: Double = row[1]
            if let known = decoded.contact(rowid: rowid, updatedAt: updatedAt) {
                contacts.append(known)
            } else if let contact = try? decoder.decode(Contact.self, from: row[2] as Data) {
                decoded.keep(contact, rowid: rowid, updatedAt: updatedAt)
                contacts.append(contact)
            }
        }
        return contacts
    }

    // MARK: Timelines

    /// The timeline kept for a contact, newest first.
    public func timeline(of contactId: String) throws(MirrorError) -> [Interaction] {
        try read("read a local timeline") { db in
            let decoder = VentiaJSON.decoder()
            return try Data.fetchAll(
                db, sql: "SELECT body FROM interaction WHERE contactId = ? ORDER BY createdAt DESC, id DESC", arguments: [contactId]
            ).compactMap { try? decoder.decode(Interaction.self, from: $0) }
        }
    }

    /// Keeps timeline entries of a contact; its notes become searchable.
    public func save(timeline: [Interaction], of contactId: String, fetchedAt date: Date) throws(MirrorError) {
        try write("keep a timeline locally") { db in
            let encoder = VentiaJSON.encoder(sortedKeys: false)
            for interaction in timeline {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO interaction (contactId, id, createdAt, type, body, fetchedAt) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [
                        contactId, interaction.id, interaction.createdAt?.timeIntervalSince1970 ?? 0, interaction.type,
                        try encoder.encode(interaction), date.timeIntervalSince1970,
                    ])
            }
            guard let row = try Row.fetchOne(db, sql: "SELECT rowid, body FROM contact WHERE id = ?", arguments: [contactId]),
                let contact = try? VentiaJSON.decoder().decode(Contact.self, from: row["body"] as Data)
            else { return }
            let notes = try String.fetchAll(
                db, sql: "SELECT json_extract(body, '$.content.body') FROM interaction WHERE contactId = ? AND type = 'note'",
                arguments: [contactId])
            try Self.index(db, rowid: row["rowid"], text: ContactSearchText.text(for: contact, notes: notes))
        }
    }

    // MARK: Sync state

    /// When the contact list last caught up with the server.
    public func caughtUpAt() throws(MirrorError) -> Date? {
        try meta("caughtUpAt").map { Date(timeIntervalSince1970: $0) }
    }

    public func setCaughtUp(at date: Date) throws(MirrorError) { try setMeta("caughtUpAt", date.timeIntervalSince1970) }

    /// The limit learned from a 429 that came without rate headers, kept for the account.
    public func learnedLimit() throws(MirrorError) -> Int? { try meta("learnedLimit").map { Int($0) } }

    public func setLearnedLimit(_ limit: Int?) throws(MirrorError) { try setMeta("learnedLimit", limit.map(Double.init)) }

    /// Where the backfill of older pages stands, so that it resumes after a restart.
    public func backfill() throws(MirrorError) -> BackfillState {
        BackfillState(nextPage: Int(try meta("backfillNextPage") ?? 0), complete: try meta("backfillComplete") == 1)
    }

    public func setBackfill(_ state: BackfillState) throws(MirrorError) {
        try setMeta("backfillNextPage", Double(state.nextPage))
        try setMeta("backfillComplete", state.complete ? 1 : 0)
    }

    func meta(_ key: String) throws(MirrorError) -> Double? {
        try read("read the local sync state") { db in try Double.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }

    func setMeta(_ key: String, _ value: Double?) throws(MirrorError) {
        try write("keep the sync state") { db in
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [key, value])
        }
    }

    /// Stops the file from growing past what it holds now, as a full disk would (for tests).
    func simulateFullDisk() throws {
        try writer.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
    }

    // MARK: Access

    func read<T>(_ doing: String, _ body: (Database) throws -> T) throws(MirrorError) -> T {
        do { return try writer.read(body) } catch { throw MirrorError("cannot \(doing)", error) }
    }

    func write<T>(_ doing: String, _ body: (Database) throws -> T) throws(MirrorError) -> T {
        do { return try writer.write(body) } catch { throw MirrorError("cannot \(doing)", error) }
    }
}

extension ContactMirror {
    /// The contact was opened: what came in before now is read.
    public func markOpened(_ id: String, at date: Date) throws(MirrorError) {
        try write("keep what was read") { db in
            try db.execute(
                sql: "INSERT INTO contactRead (id, openedAt, unreadSince) VALUES (?, ?, NULL) ON CONFLICT (id) DO UPDATE SET openedAt = excluded.openedAt, unreadSince = NULL",
                arguments: [id, date.timeIntervalSince1970])
        }
    }

    /// An inbound message arrived at `date`: unread unless the contact was opened after it.
    @discardableResult
    public func markInbound(_ id: String, at date: Date) throws(MirrorError) -> Bool {
        try write("keep what is unread") { db in
            let opened = try Double.fetchOne(db, sql: "SELECT openedAt FROM contactRead WHERE id = ?", arguments: [id])
            guard opened.map({ $0 < date.timeIntervalSince1970 }) ?? true else { return false }
            try db.execute(
                sql: "INSERT INTO contactRead (id, openedAt, unreadSince) VALUES (?, NULL, ?) ON CONFLICT (id) DO UPDATE SET unreadSince = coalesce(unreadSince, excluded.unreadSince)",
                arguments: [id, date.timeIntervalSince1970])
            return true
        }
    }

    /// The contacts with an inbound message not read yet.
    public func unreadContacts() throws(MirrorError) -> Set<String> {
        try read("read what is unread") { db in Set(try String.fetchAll(db, sql: "SELECT id FROM contactRead WHERE unreadSince IS NOT NULL")) }
    }
}

/// Contacts already decoded, by rowid and the `updatedAt` they were decoded at (a save with a
/// new version misses and decodes again); dropped whole when it grows past `capacity`.
final class DecodedContacts: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Int64: (updatedAt: Double, contact: Contact)] = [:]
    private let capacity = 20_000

    func contact(rowid: Int64, updatedAt: Double) -> Contact? {
        lock.withLock { entries[rowid].flatMap { $0.updatedAt == updatedAt ? $0.contact : nil } }
    }

    func forget(rowid: Int64) {
        _ = lock.withLock { entries.removeValue(forKey: rowid) }
    }

    func keep(_ contact: Contact, rowid: Int64, updatedAt: Double) {
        lock.withLock {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[rowid] = (updatedAt, contact)
        }
    }
}

/// What a search found: the contacts to show, and how many matched (counted up to one more than
/// `ContactMirror.rankedMatches`).
public struct ContactSearch: Sendable, Equatable {
    public var contacts: [Contact]
    public var matched: Int
    /// Too many matched to rank: `contacts` are the newest of them.
    public var isBroad: Bool { matched > ContactMirror.rankedMatches }
}

extension ContactMirror {
    /// An answer kept as the server sent it (the users, the groups, a sales page), by a key that
    /// names the request (`users`, `sales?page=2&limit=50`).
    public func keep(answer: Data, as key: String, fetchedAt date: Date) throws(MirrorError) {
        try write("keep an answer locally") { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO keptAnswer (key, body, fetchedAt) VALUES (?, ?, ?)", arguments: [key, answer, date.timeIntervalSince1970])
        }
    }

    /// The answer kept under `key`, decoded as `type`, with when it was fetched; nil when none is
    /// kept or it no longer decodes.
    public func kept<T: Decodable>(_ type: T.Type, as key: String) throws(MirrorError) -> (value: T, fetchedAt: Date)? {
        let row = try read("read a kept answer") { db in
            try Row.fetchOne(db, sql: "SELECT body, fetchedAt FROM keptAnswer WHERE key = ?", arguments: [key])
        }
        guard let row, let value = try? VentiaJSON.decoder().decode(type, from: row["body"] as Data) else { return nil }
        return (value, Date(timeIntervalSince1970: row["fetchedAt"]))
    }
}
