import Foundation
import PostgresNIO
import VentiaAPI

/// The team's rolling window in PostgreSQL. A request reserves its slot before it is forwarded,
/// in one transaction under the account's advisory lock, with PostgreSQL's clock as the only
/// clock: replicas never count first and insert later (the race that lets bursts through), and
/// need not agree on time. A reservation is never taken back: a request that dies still used its
/// slot upstream, and the window frees it.
public struct BudgetLedger: Sendable {
    /// What a reservation attempt found.
    public struct Decision: Sendable, Equatable {
        public var reserved: Bool
        /// Slots in use in the window, this one included when reserved.
        public var used: Int
        /// The limit in force: the configured one, or a lower one learned from upstream refusals.
        public var limit: Int
        /// Seconds until a slot frees (or the upstream's own wait ends).
        public var retryAfter: Double
    }

    let database: GatewayDatabase
    let accountID: Int64
    let limit: Int
    let reserve: Int
    let window: Int
    let shift: LedgerTimeShift

    /// Seconds beyond the window a reservation is still counted: the time from the reservation to
    /// the request's arrival upstream, so the upstream's own window never sees one too many.
    static let guardSeconds = 1.0

    /// Finds or creates the account's row.
    public static func open(_ database: GatewayDatabase, account: String, limit: Int, reserve: Int, window: Int, shift: LedgerTimeShift)
        async throws(GatewayDatabaseError) -> BudgetLedger
    {
        let id: Int64 = try await database.run("find the account's ledger") { client in
            let rows = try await client.query(
                """
                INSERT INTO gateway_accounts (name) VALUES (\(account))
                ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id
                """, logger: database.logger)
            for try await (id) in rows.decode(Int64.self) { return id }
            throw GatewayDatabaseError(doing: "find the account's ledger", reason: "no row came back")
        }
        return BudgetLedger(database: database, accountID: id, limit: limit, reserve: reserve, window: window, shift: shift)
    }

    /// Deletes an account's row and reservations (the ledger benchmark's, when it is done).
    public static func forget(account: String, in database: GatewayDatabase) async throws(GatewayDatabaseError) {
        try await database.transaction("delete the account \(account)") { connection in
            try await connection.query(
                "DELETE FROM gateway_reservations WHERE account_id = (SELECT id FROM gateway_accounts WHERE name = \(account))", logger: database.logger)
            try await connection.query("DELETE FROM gateway_accounts WHERE name = \(account)", logger: database.logger)
        }
    }

    /// The limit agents may spend: the configured (or learned) limit less the reserve kept for
    /// keys used outside the gateway.
    func spendable(_ limit: Int) -> Int { max(1, limit - reserve) }

    /// Reserves one slot for `lane` if the window has room beyond the lane's threshold.
    public func reserve(lane: RequestLane, agent: String) async throws(GatewayDatabaseError) -> Decision {
        let shiftSeconds = shift.value
        let counted = Double(window) + Self.guardSeconds
        let (accountID, configured) = (self.accountID, self.limit)
        return try await database.transaction("reserve a request in the team's budget") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(accountID))", logger: database.logger)
            // The clock is read after the lock is held: a reservation is stamped when it is made.
            let state = try await connection.query(
                """
                WITH clock AS (SELECT clock_timestamp() + make_interval(secs => \(shiftSeconds)) AS now),
                purged AS (
                    DELETE FROM gateway_reservations
                    WHERE account_id = \(accountID) AND at <= (SELECT now FROM clock) - make_interval(secs => \(counted * 2))
                )
                SELECT
                    (SELECT count(*) FROM gateway_reservations
                     WHERE account_id = \(accountID) AND at > (SELECT now FROM clock) - make_interval(secs => \(counted)))::int,
                    COALESCE(EXTRACT(EPOCH FROM (
                        (SELECT min(at) FROM gateway_reservations
                         WHERE account_id = \(accountID) AND at > (SELECT now FROM clock) - make_interval(secs => \(counted)))
                        + make_interval(secs => \(counted)) - (SELECT now FROM clock)))::float8, 0),
                    COALESCE(EXTRACT(EPOCH FROM (a.blocked_until - (SELECT now FROM clock)))::float8, 0),
                    CASE WHEN a.last_refusal_at > (SELECT now FROM clock) - interval '1 hour' THEN a.learned_limit END
                FROM gateway_accounts a WHERE a.id = \(accountID)
                """, logger: database.logger)
            var found: (Int, Double, Double, Int?)?
            for try await row in state.decode((Int, Double, Double, Int?).self) { found = row }
            guard let (used, oldestFreesIn, blockedFor, learned) = found else {
                throw GatewayDatabaseError(doing: "reserve a request", reason: "the account's row is missing")
            }
            let limit = min(configured, learned ?? configured)
            let threshold = GatewayConfiguration.threshold(for: lane, limit: spendable(limit))
            if blockedFor > 0 {
                return Decision(reserved: false, used: used, limit: limit, retryAfter: blockedFor)
            }
            guard used < threshold else {
                return Decision(reserved: false, used: used, limit: limit, retryAfter: max(0.05, oldestFreesIn))
            }
            try await connection.query(
                """
                INSERT INTO gateway_reservations (account_id, at, lane, agent)
                VALUES (\(accountID), clock_timestamp() + make_interval(secs => \(shiftSeconds)), \(lane.headerValue), \(agent))
                """, logger: database.logger)
            return Decision(reserved: true, used: used + 1, limit: limit, retryAfter: used == 0 ? counted : max(0, oldestFreesIn))
        }
    }

    /// The upstream answered 429: someone outside the gateway spent the window. Nothing is sent
    /// until its `Retry-After` has passed, and a second refusal within ten minutes lowers the
    /// limit by a tenth (for an hour after the last refusal).
    public func learnRefusal(retryAfter: Double) async throws(GatewayDatabaseError) {
        let shiftSeconds = shift.value
        let (accountID, configured) = (self.accountID, self.limit)
        let wait = max(1, retryAfter)
        try await database.run("note the upstream's refusal") { client in
            try await client.query(
                """
                WITH clock AS (SELECT clock_timestamp() + make_interval(secs => \(shiftSeconds)) AS now)
                UPDATE gateway_accounts SET
                    blocked_until = GREATEST(COALESCE(blocked_until, (SELECT now FROM clock)), (SELECT now FROM clock) + make_interval(secs => \(wait))),
                    learned_limit = CASE
                        WHEN last_refusal_at > (SELECT now FROM clock) - interval '10 minutes'
                        THEN GREATEST(\(max(1, configured / 10)), (COALESCE(learned_limit, \(configured)) * 9) / 10)
                        WHEN last_refusal_at > (SELECT now FROM clock) - interval '1 hour' THEN learned_limit
                        ELSE NULL END,
                    last_refusal_at = (SELECT now FROM clock)
                WHERE id = \(accountID)
                """, logger: database.logger)
        }
    }
}
