import Foundation
import GRDB
import VentiaAPI

/// The mirror's tables. Contacts keep the answer's JSON with the columns the list orders by; the
/// search table holds each contact's folded words (names, emails, phone digits, note text).
enum MirrorSchema {
    static let application = "ventia-mirror"

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("mirror-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value) WITHOUT ROWID;
                    INSERT INTO meta (key, value) VALUES ('application', '\(application)');
                    CREATE TABLE contact (
                        rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, updatedAt REAL NOT NULL, version INTEGER,
                        body BLOB NOT NULL, fetchedAt REAL NOT NULL);
                    CREATE INDEX contact_by_update ON contact (updatedAt DESC, id DESC);
                    CREATE VIRTUAL TABLE contact_search USING fts5(text, tokenize = "unicode61 remove_diacritics 2");
                    CREATE TABLE interaction (
                        contactId TEXT NOT NULL, id TEXT NOT NULL, createdAt REAL NOT NULL, type TEXT NOT NULL,
                        body BLOB NOT NULL, fetchedAt REAL NOT NULL, PRIMARY KEY (contactId, id)) WITHOUT ROWID;
                    CREATE INDEX interaction_by_time ON interaction (contactId, createdAt DESC);
                    """)
        }
        migrator.registerMigration("mirror-v2-outbox") { db in
            try db.execute(
                sql: """
                    CREATE TABLE outbox (
                        id TEXT PRIMARY KEY NOT NULL, position INTEGER NOT NULL, contactId TEXT NOT NULL, contactName TEXT NOT NULL,
                        kind TEXT NOT NULL, payload BLOB NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL, lastAttemptAt REAL,
                        failure TEXT, fieldErrors BLOB, createdAt REAL NOT NULL);
                    """)
        }
        migrator.registerMigration("mirror-v3-kept-answers") { db in
            try db.execute(sql: "CREATE TABLE keptAnswer (key TEXT PRIMARY KEY NOT NULL, body BLOB NOT NULL, fetchedAt REAL NOT NULL) WITHOUT ROWID")
        }
        migrator.registerMigration("mirror-v4-read-state") { db in
            try db.execute(sql: "CREATE TABLE contactRead (id TEXT PRIMARY KEY NOT NULL, openedAt REAL, unreadSince REAL) WITHOUT ROWID")
        }
        migrator.registerMigration("mirror-v5-view-columns") { db in
            // Saved views filter on these; kept beside the JSON so a count over 100,000 contacts is a scan of columns.
            try db.execute(
                sql: """
                    ALTER TABLE contact ADD COLUMN status TEXT;
                    ALTER TABLE contact ADD COLUMN agent TEXT;
                    ALTER TABLE contact ADD COLUMN origin TEXT;
                    ALTER TABLE contact ADD COLUMN reminder REAL;
                    ALTER TABLE contact ADD COLUMN lastInteraction REAL;
                    ALTER TABLE contact ADD COLUMN createdAt REAL;
                    """)
            // Rows kept before are filled by mirror-v7, which fills every column.
        }
        migrator.registerMigration("mirror-v6-view-index") { db in
            // Covers every column a view filters on, and the list order: a view's count reads this
            // index, not the rows (3–13 ms instead of 40 at 100,000 contacts).
            try db.execute(sql: "CREATE INDEX contact_view ON contact (status, agent, origin, reminder, lastInteraction, createdAt, updatedAt, id)")
        }
        migrator.registerMigration("mirror-v7-listing-columns") { db in
            // A listing reads these instead of decoding each contact's JSON (6.1 s to list 100,000 before).
            try db.execute(
                sql: """
                    ALTER TABLE contact ADD COLUMN firstName TEXT;
                    ALTER TABLE contact ADD COLUMN lastName TEXT;
                    ALTER TABLE contact ADD COLUMN phones TEXT;
                    ALTER TABLE contact ADD COLUMN emails TEXT;
                    ALTER TABLE contact ADD COLUMN agentName TEXT;
                    """)
            try fillColumns(db)
        }
        migrator.registerMigration("mirror-v8-reminder-index") { db in
            // The reminder watch asks for one agent's next reminder whenever contacts change.
            try db.execute(sql: "CREATE INDEX contact_reminder ON contact (agent, reminder)")
        }
        return migrator
    }

    /// Rows kept before a migration added columns: every column comes from their JSON again
    /// (dates as the answer wrote them). A row whose JSON does not decode keeps NULLs, and no
    /// listing shows it.
    private static func fillColumns(_ db: Database) throws {
        let decoder = VentiaJSON.decoder()
        let update = try db.makeStatement(
            sql: "UPDATE contact SET \(ContactColumns.names.map { "\($0) = ?" }.joined(separator: ", ")) WHERE rowid = ?")
        // A thousand rows at a time, read before they are written: a table is not changed under its own cursor.
        var after: Int64 = 0
        while true {
            let rows = try Row.fetchAll(db, sql: "SELECT rowid, body FROM contact WHERE rowid > ? ORDER BY rowid LIMIT 1000", arguments: [after])
            guard let last = rows.last else { return }
            after = last["rowid"]
            for row in rows {
                guard let contact = try? decoder.decode(Contact.self, from: row["body"] as Data) else { continue }
                try update.execute(arguments: ContactColumns.values(contact) + [row["rowid"] as Int64])
            }
        }
    }
}
