import Foundation
import PostgresNIO

/// One write forwarded: who, when, what, to which record, and how the upstream answered. Never a
/// body: a body may hold a password.
public struct AuditRecord: Sendable, Codable, Equatable {
    public var at: Date
    public var agent: String
    public var method: String
    /// The API's path template (`/contact/{idcontact}/note`), or the path when it is not in the table.
    public var endpoint: String
    public var targetID: String?
    public var status: Int

    enum CodingKeys: String, CodingKey {
        case at, agent, method, endpoint
        case targetID = "target_id"
        case status
    }
}

/// The audit trail in PostgreSQL: the only place a supervisor can see who did what, since the
/// API's keys belong to the whole account.
public struct AuditLog: Sendable {
    let database: GatewayDatabase

    public init(_ database: GatewayDatabase) { self.database = database }

    func record(agent: String, method: String, endpoint: String, targetID: String?, status: Int) async throws(GatewayDatabaseError) {
        try await database.run("write the audit trail") { client in
            try await client.query(
                """
                INSERT INTO gateway_audit (agent, method, endpoint, target_id, status)
                VALUES (\(agent), \(method), \(endpoint), \(targetID), \(status))
                """, logger: database.logger)
        }
    }

    /// Oldest first.
    public func records(agent: String? = nil, since: Date? = nil, limit: Int = 100_000) async throws(GatewayDatabaseError) -> [AuditRecord] {
        try await database.run("read the audit trail") { client in
            let rows = try await client.query(
                """
                SELECT at, agent, method, endpoint, target_id, status FROM gateway_audit
                WHERE (\(agent)::text IS NULL OR agent = \(agent)) AND (\(since)::timestamptz IS NULL OR at >= \(since))
                ORDER BY at, id LIMIT \(limit)
                """, logger: database.logger)
            var records: [AuditRecord] = []
            for try await (at, agent, method, endpoint, target, status) in rows.decode((Date, String, String, String, String?, Int).self) {
                records.append(AuditRecord(at: at, agent: agent, method: method, endpoint: endpoint, targetID: target, status: status))
            }
            return records
        }
    }

    /// The record a write is about: the path's last parameter (the contact of a note, the user of
    /// a PATCH), else the id in the answer of a create.
    static func target(parameters: [String], answer: Data) -> String? {
        if let last = parameters.last { return last }
        guard let object = try? JSONSerialization.jsonObject(with: answer) as? [String: Any] else { return nil }
        return (object["_id"] as? String) ?? (object["id"] as? String)
    }
}
