import Foundation
import PostgresNIO
import VentiaAPI

/// One contact as the copy keeps it: the bytes of the list's answer, and what ordering and
/// freshness need.
struct CopiedContact: Sendable, Equatable {
    var id: String
    var updatedAt: Date
    var agent: String?
    var body: Data
    /// What a search finds it by, folded as ventia's mirror folds it.
    var words: String

    /// The contacts of one `GET /contact` answer, each as it came; nil when it is no such array.
    static func page(_ data: Data) -> [CopiedContact]? {
        guard let elements = RawJSONArray.elements(of: data) else { return nil }
        let decoder = VentiaJSON.decoder()
        var contacts: [CopiedContact] = []
        for element in elements {
            guard let contact = try? decoder.decode(Contact.self, from: element), let updatedAt = contact.updatedAt ?? contact.createdAt else { return nil }
            contacts.append(
                CopiedContact(id: contact.id, updatedAt: updatedAt, agent: contact.agent, body: element, words: ContactSearchText.words(for: contact)))
        }
        return contacts
    }
}

/// Where the copy stands: caught up when, the backfill's next page, and whether a write since the
/// last round may have left it behind.
struct CopyState: Sendable, Equatable {
    var caughtUpAt: Date?
    var backfill: BackfillState
    var staleSince: Date?
    /// Seconds since the last round caught up, by PostgreSQL's clock.
    var age: Double?
}

/// The team's copy of the account in PostgreSQL: contacts as upstream listed them, the sync's
/// state, and the change log the feed serves. Every replica reads and writes the same rows.
struct TeamCopy: Sendable {
    static let changesChannel = "ventia_gateway_changes"
    /// Changes kept for agents to resume from; an older cursor starts over with a delta walk.
    static let changesKept = 50_000

    let database: GatewayDatabase
    let accountID: Int64

    private init(database: GatewayDatabase, accountID: Int64) {
        self.database = database
        self.accountID = accountID
    }

    /// The account's copy, its state row made if it has none (once, at start: reads only read it).
    static func open(_ database: GatewayDatabase, accountID: Int64) async throws(GatewayDatabaseError) -> TeamCopy {
        try await database.run("find the team copy's state") { client in
            try await client.query("INSERT INTO gateway_copy_state (account_id) VALUES (\(accountID)) ON CONFLICT DO NOTHING", logger: database.logger)
        }
        return TeamCopy(database: database, accountID: accountID)
    }

    /// Keeps a page's contacts; returns the ids that were new or at another version. Those at
    /// another version (and, when `announcingNew`, the new ones: a round's, not the backfill's
    /// first sight of old contacts) are written to the change log by `agent`, waking every feed.
    func keep(_ contacts: [CopiedContact], by agent: String, announcingNew: Bool = true) async throws(GatewayDatabaseError) -> [String] {
        guard !contacts.isEmpty else { return [] }
        let accountID = self.accountID
        let ids = contacts.map(\.id)
        let times = contacts.map(\.updatedAt)
        let agents = contacts.map { $0.agent ?? "" }
        let bodies = contacts.map { String(decoding: $0.body, as: UTF8.self) }
        let words = contacts.map(\.words)
        return try await database.transaction("keep contacts in the team's copy") { connection in
            let rows = try await connection.query(
                """
                INSERT INTO gateway_copy_contacts (account_id, id, updated_at, agent, body, words)
                SELECT \(accountID), c.id, c.updated_at, NULLIF(c.agent, ''), c.body, c.words
                FROM unnest(\(ids)::text[], \(times)::timestamptz[], \(agents)::text[], \(bodies)::text[], \(words)::text[])
                    AS c(id, updated_at, agent, body, words)
                ON CONFLICT (account_id, id) DO UPDATE
                SET updated_at = EXCLUDED.updated_at, agent = EXCLUDED.agent, body = EXCLUDED.body, words = EXCLUDED.words
                WHERE gateway_copy_contacts.updated_at IS DISTINCT FROM EXCLUDED.updated_at OR gateway_copy_contacts.body IS DISTINCT FROM EXCLUDED.body
                RETURNING id, (xmax = 0)
                """, logger: database.logger)
            var changed: [String] = []
            var announced: [String] = []
            for try await (id, inserted) in rows.decode((String, Bool).self) {
                changed.append(id)
                if announcingNew || !inserted { announced.append(id) }
            }
            guard !announced.isEmpty else { return changed }
            try await connection.query(
                """
                INSERT INTO gateway_changes (account_id, kind, contact_id, by_agent, detail)
                SELECT \(accountID), 'contact', c.id, \(agent), '{"contact":' || c.body || '}'
                FROM gateway_copy_contacts c WHERE c.account_id = \(accountID) AND c.id = ANY(\(announced)::text[])
                ORDER BY c.updated_at, c.id
                """, logger: database.logger)
            try await connection.query("SELECT pg_notify(\(Self.changesChannel), \(String(accountID)))", logger: database.logger)
            return changed
        }
    }

    /// Writes one change an agent's forwarded write made (a note, a transfer, …) to the log.
    func record(kind: String, contactId: String?, by agent: String, detail: String) async throws(GatewayDatabaseError) {
        let accountID = self.accountID
        try await database.transaction("write a change to the team's feed") { connection in
            try await connection.query(
                "INSERT INTO gateway_changes (account_id, kind, contact_id, by_agent, detail) VALUES (\(accountID), \(kind), \(contactId), \(agent), \(detail))",
                logger: database.logger)
            try await connection.query("SELECT pg_notify(\(Self.changesChannel), \(String(accountID)))", logger: database.logger)
        }
    }

    /// One page in the list's order (newest `updatedAt` first), as the upstream's answer reads.
    func page(_ index: Int, limit: Int) async throws(GatewayDatabaseError) -> Data {
        let (accountID, offset) = (self.accountID, index * limit)
        let bodies: [Data] = try await database.run("read a page of the team's copy") { client in
            let rows = try await client.query(
                """
                SELECT body FROM gateway_copy_contacts WHERE account_id = \(accountID)
                ORDER BY updated_at DESC, id DESC LIMIT \(limit) OFFSET \(offset)
                """, logger: database.logger)
            var bodies: [Data] = []
            for try await (body) in rows.decode(String.self) { bodies.append(Data(body.utf8)) }
            return bodies
        }
        return RawJSONArray.joined(bodies)
    }

    /// Contacts whose words start with what was typed (`ContactSearchText.prefixQuery`), newest
    /// first, at most `limit`, with how many matched (counted up to `countedMatches`).
    func search(_ typed: String, limit: Int) async throws(GatewayDatabaseError) -> (contacts: [Data], matched: Int) {
        guard let query = ContactSearchText.prefixQuery(typed) else { return ([], 0) }
        let accountID = self.accountID
        let counted = Self.countedMatches
        return try await database.run("search the team's copy") { client in
            var matched = 0
            for try await (count) in try await client.query(
                """
                SELECT count(*)::int FROM (SELECT 1 FROM gateway_copy_contacts
                WHERE account_id = \(accountID) AND to_tsvector('simple', words) @@ to_tsquery('simple', \(query)) LIMIT \(counted)) found
                """, logger: database.logger
            ).decode(Int.self) { matched = count }
            let rows = try await client.query(
                """
                SELECT body FROM gateway_copy_contacts
                WHERE account_id = \(accountID) AND to_tsvector('simple', words) @@ to_tsquery('simple', \(query))
                ORDER BY updated_at DESC, id DESC LIMIT \(limit)
                """, logger: database.logger)
            var bodies: [Data] = []
            for try await (body) in rows.decode(String.self) { bodies.append(Data(body.utf8)) }
            return (bodies, matched)
        }
    }

    /// Matches counted at most (as the mirror counts before it stops ranking).
    static let countedMatches = 2001

    func count() async throws(GatewayDatabaseError) -> Int {
        let accountID = self.accountID
        return try await database.run("count the team's copy") { client in
            for try await (count) in try await client.query(
                "SELECT count(*)::int FROM gateway_copy_contacts WHERE account_id = \(accountID)", logger: database.logger
            ).decode(Int.self) { return count }
            return 0
        }
    }

    func state() async throws(GatewayDatabaseError) -> CopyState {
        let accountID = self.accountID
        return try await database.run("read the team copy's state") { client in
            let rows = try await client.query(
                """
                SELECT caught_up_at, backfill_next, backfill_complete, stale_since,
                       EXTRACT(EPOCH FROM clock_timestamp() - caught_up_at)::float8
                FROM gateway_copy_state WHERE account_id = \(accountID)
                """, logger: database.logger)
            for try await (caughtUp, next, complete, stale, age) in rows.decode((Date?, Int, Bool, Date?, Double?).self) {
                return CopyState(caughtUpAt: caughtUp, backfill: BackfillState(nextPage: next, complete: complete), staleSince: stale, age: age)
            }
            return CopyState(caughtUpAt: nil, backfill: BackfillState(nextPage: 1, complete: false), staleSince: nil, age: nil)
        }
    }

    /// PostgreSQL's clock: what the copy's times are compared with.
    func now() async throws(GatewayDatabaseError) -> Date {
        try await database.run("read the database's clock") { client in
            for try await (now) in try await client.query("SELECT clock_timestamp()", logger: database.logger).decode(Date.self) { return now }
            return Date()
        }
    }

    /// A round caught up (by PostgreSQL's clock), unless a write came after it started.
    func caughtUp(roundStarted: Date) async throws(GatewayDatabaseError) {
        let accountID = self.accountID
        try await database.run("note the team copy caught up") { client in
            try await client.query(
                """
                UPDATE gateway_copy_state SET caught_up_at = clock_timestamp(),
                    stale_since = CASE WHEN stale_since <= \(roundStarted) THEN NULL ELSE stale_since END
                WHERE account_id = \(accountID)
                """, logger: database.logger)
        }
    }

    func setBackfill(_ backfill: BackfillState) async throws(GatewayDatabaseError) {
        let accountID = self.accountID
        try await database.run("note the team copy's backfill") { client in
            try await client.query(
                "UPDATE gateway_copy_state SET backfill_next = \(backfill.nextPage), backfill_complete = \(backfill.complete) WHERE account_id = \(accountID)",
                logger: database.logger)
        }
    }

    /// Page `page` of the backfill is in (whoever fetched it): the next one is due, unless another
    /// replica or an agent's read got there first.
    func advanceBackfill(past page: Int, complete: Bool) async throws(GatewayDatabaseError) {
        let accountID = self.accountID
        try await database.run("note the team copy's backfill") { client in
            try await client.query(
                """
                UPDATE gateway_copy_state SET backfill_next = \(page + 1), backfill_complete = \(complete)
                WHERE account_id = \(accountID) AND backfill_next = \(page) AND NOT backfill_complete
                """, logger: database.logger)
        }
    }

    /// Keeps an answer by the request it answered (`key`): for a contact's, the version of the
    /// contact it was read at; else for `--fresh-seconds` from now.
    func keepAnswer(key: String, contact: (id: String, version: Date)?, body: Data) async throws(GatewayDatabaseError) {
        let (accountID, text) = (self.accountID, String(decoding: body, as: UTF8.self))
        let (id, version) = (contact?.id, contact?.version)
        try await database.run("keep an answer in the team's copy") { client in
            try await client.query(
                """
                INSERT INTO gateway_copy_answers (account_id, key, contact_id, contact_version, kept_at, body)
                VALUES (\(accountID), \(key), \(id), \(version), clock_timestamp(), \(text))
                ON CONFLICT (account_id, key) DO UPDATE
                SET contact_id = EXCLUDED.contact_id, contact_version = EXCLUDED.contact_version, kept_at = EXCLUDED.kept_at, body = EXCLUDED.body
                """, logger: database.logger)
        }
    }

    /// A kept answer still good: a contact's while the list shows the version it was read at,
    /// another kept within `freshSeconds`.
    func answer(key: String, freshSeconds: Double) async throws(GatewayDatabaseError) -> Data? {
        let accountID = self.accountID
        return try await database.run("read an answer from the team's copy") { client in
            let rows = try await client.query(
                """
                SELECT a.body FROM gateway_copy_answers a
                LEFT JOIN gateway_copy_contacts c ON c.account_id = a.account_id AND c.id = a.contact_id
                WHERE a.account_id = \(accountID) AND a.key = \(key)
                AND (CASE WHEN a.contact_id IS NULL THEN a.kept_at > clock_timestamp() - make_interval(secs => \(freshSeconds))
                     ELSE a.contact_version = c.updated_at END)
                """, logger: database.logger)
            for try await (body) in rows.decode(String.self) { return Data(body.utf8) }
            return nil
        }
    }

    /// The version the copy lists a contact at, nil when it does not hold it.
    func version(of id: String) async throws(GatewayDatabaseError) -> Date? {
        let accountID = self.accountID
        return try await database.run("read a contact's version in the team's copy") { client in
            for try await (version) in try await client.query(
                "SELECT updated_at FROM gateway_copy_contacts WHERE account_id = \(accountID) AND id = \(id)", logger: database.logger
            ).decode(Date.self) { return version }
            return nil
        }
    }

    /// Drops kept answers whose request starts with `prefix` (a write to users drops `GET /user…`).
    func forgetAnswers(startingWith prefix: String) async throws(GatewayDatabaseError) {
        let accountID = self.accountID
        try await database.run("drop answers from the team's copy") { client in
            try await client.query(
                "DELETE FROM gateway_copy_answers WHERE account_id = \(accountID) AND starts_with(key, \(prefix))", logger: database.logger)
        }
    }

    /// Claims the fetching of `page` for `seconds`: false when another replica (or request) has
    /// it, so the caller waits for the copy to hold it instead of fetching it again.
    func claim(page: Int, seconds: Double) async throws(GatewayDatabaseError) -> Bool {
        let accountID = self.accountID
        return try await database.run("claim a page of the copy") { client in
            let rows = try await client.query(
                """
                INSERT INTO gateway_copy_claims (account_id, page, until) VALUES (\(accountID), \(page), clock_timestamp() + make_interval(secs => \(seconds)))
                ON CONFLICT (account_id, page) DO UPDATE SET until = EXCLUDED.until WHERE gateway_copy_claims.until < clock_timestamp()
                RETURNING page
                """, logger: database.logger)
            for try await _ in rows.decode(Int.self) { return true }
            return false
        }
    }

    func release(page: Int) async throws(GatewayDatabaseError) {
        let accountID = self.accountID
        try await database.run("release a page of the copy") { client in
            try await client.query("DELETE FROM gateway_copy_claims WHERE account_id = \(accountID) AND page = \(page)", logger: database.logger)
        }
    }

    /// A write went upstream: the copy may be behind until the next round has read it back.
    func markStale() async throws(GatewayDatabaseError) {
        let accountID = self.accountID
        try await database.run("mark the team copy behind") { client in
            try await client.query(
                "UPDATE gateway_copy_state SET stale_since = COALESCE(stale_since, clock_timestamp()) WHERE account_id = \(accountID)",
                logger: database.logger)
        }
    }

    /// Takes (or keeps) the sync's lease for `seconds`: one replica syncs at a time, another takes
    /// over when the holder stops renewing. The time PostgreSQL's, as for the ledger.
    func lease(holder: String, seconds: Double) async throws(GatewayDatabaseError) -> Bool {
        let accountID = self.accountID
        return try await database.run("take the sync's lease") { client in
            let rows = try await client.query(
                """
                UPDATE gateway_copy_state SET lease_holder = \(holder), lease_until = clock_timestamp() + make_interval(secs => \(seconds))
                WHERE account_id = \(accountID) AND (lease_holder = \(holder) OR lease_until IS NULL OR lease_until < clock_timestamp())
                RETURNING account_id
                """, logger: database.logger)
            for try await _ in rows.decode(Int64.self) { return true }
            return false
        }
    }

    /// Changes after `cursor`, oldest first, at most `limit`; `reset` when the cursor is older
    /// than the log keeps (the agent walks its delta instead).
    func changes(after cursor: Int64, limit: Int) async throws(GatewayDatabaseError) -> (changes: [LoggedChange], latest: Int64, reset: Bool) {
        let accountID = self.accountID
        return try await database.run("read the team's changes") { client in
            var oldest: Int64?
            var latest: Int64 = 0
            for try await (low, high) in try await client.query(
                "SELECT min(seq), COALESCE(max(seq), 0) FROM gateway_changes WHERE account_id = \(accountID)", logger: database.logger
            ).decode((Int64?, Int64).self) {
                oldest = low
                latest = high
            }
            if cursor > 0, let oldest, cursor < oldest - 1 { return ([], latest, true) }
            let rows = try await client.query(
                """
                SELECT seq, at, kind, contact_id, by_agent, detail FROM gateway_changes
                WHERE account_id = \(accountID) AND seq > \(cursor) ORDER BY seq LIMIT \(limit)
                """, logger: database.logger)
            var changes: [LoggedChange] = []
            for try await (seq, at, kind, contact, agent, detail) in rows.decode((Int64, Date, String, String?, String, String).self) {
                changes.append(LoggedChange(seq: seq, at: at, kind: kind, contactId: contact, by: agent, detail: detail))
            }
            return (changes, max(latest, changes.last?.seq ?? 0), false)
        }
    }

    /// Drops changes beyond the newest `changesKept`.
    func trimChanges() async throws(GatewayDatabaseError) {
        let accountID = self.accountID
        try await database.run("trim the team's change log") { client in
            try await client.query(
                """
                DELETE FROM gateway_changes WHERE account_id = \(accountID)
                AND seq <= (SELECT max(seq) FROM gateway_changes WHERE account_id = \(accountID)) - \(Self.changesKept)
                """, logger: database.logger)
        }
    }
}

/// One entry of the team's change feed.
struct LoggedChange: Sendable, Equatable {
    var seq: Int64
    var at: Date
    /// `contact` (its list answer in `detail`), `note`, `transfer`, `archive`, `reminder`, `whatsapp`.
    var kind: String
    var contactId: String?
    /// The agent whose write it was, or `sync` for what the gateway's own sync found.
    var by: String
    /// A JSON object: the change's particulars.
    var detail: String

    /// `{"seq":…,"at":…,"kind":…,"contactId":…,"by":…,"detail":{…}}`, the detail as written.
    var json: String {
        let at = Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(self.at)
        let contact = contactId.map { "\"" + LoggedChange.escaped($0) + "\"" } ?? "null"
        return "{\"seq\":\(seq),\"at\":\"\(at)\",\"kind\":\"\(LoggedChange.escaped(kind))\",\"contactId\":\(contact),\"by\":\"\(LoggedChange.escaped(by))\",\"detail\":\(detail)}"
    }

    static func escaped(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
