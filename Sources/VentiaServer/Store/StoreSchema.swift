import GRDB

/// The tables of the server's store, one migration per change of shape. Indexes follow the API's
/// list orders, so a page is an index range, never a sort of the store.
enum StoreSchema {
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: accounts, contacts, timelines, users, sales, webhooks, lead entries") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE TABLE account (
                        position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, keys TEXT NOT NULL,
                        groupId TEXT NOT NULL, saleStatuses TEXT NOT NULL, channelIds TEXT NOT NULL, leadFormCodes TEXT NOT NULL);
                    CREATE TABLE accountGroup (
                        id TEXT PRIMARY KEY NOT NULL, accountId TEXT NOT NULL, body TEXT NOT NULL);
                    CREATE TABLE user (
                        id TEXT PRIMARY KEY NOT NULL, accountId TEXT NOT NULL, groupId TEXT NOT NULL, name TEXT NOT NULL,
                        lastname TEXT NOT NULL, email TEXT NOT NULL, emailKey TEXT NOT NULL, sortName TEXT NOT NULL,
                        passwordDigest TEXT NOT NULL, phoneWork TEXT, roles TEXT NOT NULL, active INTEGER NOT NULL, firstLoginAt REAL);
                    CREATE INDEX user_by_name ON user (accountId, sortName, id);
                    CREATE INDEX user_by_email ON user (emailKey);
                    CREATE TABLE contact (
                        id TEXT PRIMARY KEY NOT NULL, accountId TEXT NOT NULL, firstName TEXT NOT NULL, lastName TEXT NOT NULL,
                        origin TEXT NOT NULL, phones TEXT NOT NULL, emails TEXT NOT NULL, detail TEXT NOT NULL, agent TEXT,
                        firstAgent TEXT, agentAssigned REAL, archivingReason TEXT NOT NULL, status TEXT NOT NULL,
                        attention TEXT NOT NULL, reminder REAL, channels TEXT NOT NULL, visits INTEGER NOT NULL,
                        createdAt REAL NOT NULL, updatedAt REAL NOT NULL, lastInteraction REAL NOT NULL, version INTEGER NOT NULL)
                        WITHOUT ROWID;
                    CREATE TABLE contactKey (key TEXT NOT NULL, contactId TEXT NOT NULL, PRIMARY KEY (key, contactId)) WITHOUT ROWID;
                    CREATE TABLE interaction (
                        contactId TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, agent TEXT, type TEXT NOT NULL,
                        content TEXT NOT NULL, via TEXT NOT NULL, createdAt REAL NOT NULL, PRIMARY KEY (contactId, seq)) WITHOUT ROWID;
                    CREATE TABLE sale (
                        id TEXT PRIMARY KEY NOT NULL, accountId TEXT NOT NULL, ticketId TEXT NOT NULL, ticketSaleId TEXT,
                        date REAL, dateSale REAL, name TEXT, phone TEXT NOT NULL, govId TEXT, type TEXT, product TEXT,
                        status TEXT NOT NULL, lock INTEGER NOT NULL, user TEXT NOT NULL, importation TEXT NOT NULL,
                        value REAL NOT NULL, createdAt REAL NOT NULL, updatedAt REAL NOT NULL, version INTEGER NOT NULL,
                        listedAt REAL NOT NULL);
                    CREATE INDEX sale_by_date ON sale (accountId, listedAt DESC, id DESC);
                    CREATE TABLE webhook (
                        id TEXT PRIMARY KEY NOT NULL, accountId TEXT NOT NULL, name TEXT NOT NULL, callbackUrl TEXT NOT NULL,
                        topics TEXT NOT NULL, active INTEGER NOT NULL, createdAt REAL NOT NULL);
                    CREATE INDEX webhook_by_creation ON webhook (accountId, createdAt, id);
                    CREATE TABLE leadEntry (
                        seq INTEGER PRIMARY KEY, id TEXT NOT NULL, accountId TEXT NOT NULL, formCode TEXT NOT NULL, firstName TEXT,
                        lastName TEXT NOT NULL, phones TEXT NOT NULL, emails TEXT NOT NULL, detail TEXT NOT NULL, actionId TEXT,
                        additionalData TEXT NOT NULL, createdAt REAL NOT NULL);
                    """)
            for index in bulkIndexes { try db.execute(sql: index.create) }
        }
        migrator.registerMigration("v2: a sale's remove_from_goal") { db in
            try db.execute(sql: "ALTER TABLE sale ADD COLUMN removeFromGoal INTEGER NOT NULL DEFAULT 0")
        }
        return migrator
    }

    /// Indexes whose entries arrive in random order while seeding: dropped for the bulk insert and
    /// built afterwards from sorted data, which is several times faster than growing them row by row.
    static let bulkIndexes: [(name: String, create: String)] = [
        ("contact_by_update", "CREATE INDEX contact_by_update ON contact (accountId, updatedAt DESC, id DESC)"),
    ]
}
