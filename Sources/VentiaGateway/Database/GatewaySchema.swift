import Foundation
import PostgresNIO

/// The gateway's tables, in numbered migrations applied once each at start, in order, under a
/// lock so that replicas starting together do not race. A database written by a newer gateway is
/// refused: an older one would misread it.
enum GatewaySchema {
    /// Each entry brings the schema from its index to its index + 1. Append; never edit one.
    static let migrations: [[PostgresQuery]] = [
        [
            """
            CREATE TABLE gateway_accounts (
                id bigserial PRIMARY KEY,
                name text NOT NULL UNIQUE,
                blocked_until timestamptz,
                learned_limit integer,
                last_refusal_at timestamptz
            )
            """,
            """
            CREATE TABLE gateway_reservations (
                account_id bigint NOT NULL REFERENCES gateway_accounts(id),
                at timestamptz NOT NULL,
                lane text NOT NULL,
                agent text NOT NULL
            )
            """,
            "CREATE INDEX gateway_reservations_by_time ON gateway_reservations (account_id, at)",
            """
            CREATE TABLE gateway_tokens (
                id bigserial PRIMARY KEY,
                agent text NOT NULL,
                token_sha256 text NOT NULL UNIQUE,
                created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                last_used_at timestamptz,
                revoked_at timestamptz
            )
            """,
            "CREATE UNIQUE INDEX gateway_tokens_live_agent ON gateway_tokens (agent) WHERE revoked_at IS NULL",
            """
            CREATE TABLE gateway_audit (
                id bigserial PRIMARY KEY,
                at timestamptz NOT NULL DEFAULT clock_timestamp(),
                agent text NOT NULL,
                method text NOT NULL,
                endpoint text NOT NULL,
                target_id text,
                status integer NOT NULL
            )
            """,
            "CREATE INDEX gateway_audit_by_time ON gateway_audit (at)",
        ],
        // 2: the team's copy of the account, and the change feed.
        [
            """
            CREATE TABLE gateway_copy_contacts (
                account_id bigint NOT NULL REFERENCES gateway_accounts(id),
                id text COLLATE "C" NOT NULL,
                updated_at timestamptz NOT NULL,
                agent text,
                body text NOT NULL,
                PRIMARY KEY (account_id, id)
            )
            """,
            "CREATE INDEX gateway_copy_contacts_in_list_order ON gateway_copy_contacts (account_id, updated_at DESC, id DESC)",
            """
            CREATE TABLE gateway_copy_state (
                account_id bigint PRIMARY KEY REFERENCES gateway_accounts(id),
                caught_up_at timestamptz,
                backfill_next integer NOT NULL DEFAULT 1,
                backfill_complete boolean NOT NULL DEFAULT false,
                stale_since timestamptz,
                lease_holder text,
                lease_until timestamptz
            )
            """,
            """
            CREATE TABLE gateway_changes (
                seq bigserial PRIMARY KEY,
                account_id bigint NOT NULL REFERENCES gateway_accounts(id),
                at timestamptz NOT NULL DEFAULT clock_timestamp(),
                kind text NOT NULL,
                contact_id text,
                by_agent text NOT NULL,
                detail text NOT NULL
            )
            """,
            "CREATE INDEX gateway_changes_by_account ON gateway_changes (account_id, seq)",
        ],
        // 3: search over the copy. The copy starts over (it is upstream's, read again) so that
        // every contact has its words.
        [
            "DELETE FROM gateway_copy_contacts",
            "DELETE FROM gateway_copy_state",
            "ALTER TABLE gateway_copy_contacts ADD COLUMN words text NOT NULL DEFAULT ''",
            "CREATE INDEX gateway_copy_contacts_words ON gateway_copy_contacts USING gin (to_tsvector('simple', words))",
        ],
        // 4: which replica is fetching which page for the copy, so another waits for it.
        [
            """
            CREATE TABLE gateway_copy_claims (
                account_id bigint NOT NULL REFERENCES gateway_accounts(id),
                page integer NOT NULL,
                until timestamptz NOT NULL,
                PRIMARY KEY (account_id, page)
            )
            """
        ],
        // 5: a contact's own answer (`GET /contact/{id}`, shaped unlike the list's), as an agent read it.
        [
            """
            CREATE TABLE gateway_copy_details (
                account_id bigint NOT NULL REFERENCES gateway_accounts(id),
                id text COLLATE "C" NOT NULL,
                updated_at timestamptz NOT NULL,
                body text NOT NULL,
                PRIMARY KEY (account_id, id)
            )
            """
        ],
        // 6: any answer the copy can vouch for, by the request it answered: a contact's own and its
        // timelines (while the contact is at the version they were read at), users and groups
        // (for --fresh-seconds).
        [
            "DROP TABLE gateway_copy_details",
            """
            CREATE TABLE gateway_copy_answers (
                account_id bigint NOT NULL REFERENCES gateway_accounts(id),
                key text COLLATE "C" NOT NULL,
                contact_id text,
                contact_version timestamptz,
                kept_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                body text NOT NULL,
                PRIMARY KEY (account_id, key)
            )
            """,
        ],
    ]

    static var version: Int { migrations.count }

    /// Any number: the advisory lock replicas take while migrating.
    private static let migrationLock: Int64 = 0x7665_6E74_6961

    static func migrate(_ database: GatewayDatabase) async throws(GatewayDatabaseError) {
        try await database.transaction("prepare the gateway's tables", within: database.deadline * 10) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: database.logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS gateway_schema (version integer NOT NULL)", logger: database.logger)
            var found: Int?
            for try await (version) in try await connection.query("SELECT version FROM gateway_schema", logger: database.logger).decode(Int.self) {
                found = version
            }
            let current = found ?? 0
            if found == nil { try await connection.query("INSERT INTO gateway_schema (version) VALUES (0)", logger: database.logger) }
            guard current <= version else {
                throw GatewayDatabaseError(
                    doing: "use the database \(database.url)",
                    reason: "its tables are at version \(current), written by a newer ventia-gateway; this one knows up to version \(version). Run the newer gateway, or point DATABASE_URL at another database")
            }
            for index in current..<version {
                for statement in migrations[index] { try await connection.query(statement, logger: database.logger) }
                try await connection.query("UPDATE gateway_schema SET version = \(index + 1)", logger: database.logger)
            }
        }
    }
}
