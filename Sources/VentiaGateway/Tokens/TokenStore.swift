import Foundation
import PostgresNIO

/// One row of `token list`: never the token.
public struct AgentTokenRecord: Sendable, Codable, Equatable {
    public var agent: String
    public var createdAt: Date
    public var lastUsedAt: Date?

    enum CodingKeys: String, CodingKey {
        case agent
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
    }
}

/// What `token create` and `token revoke` can refuse.
public enum TokenStoreError: Error, CustomStringConvertible, Sendable {
    case badAgentName(String)
    case agentHasToken(String)
    case noSuchAgent(String)
    case database(GatewayDatabaseError)

    public var description: String {
        switch self {
        case .badAgentName(let name):
            "\"\(name)\" cannot name an agent: use 1 to 64 letters, digits, '.', '_', '-' or '@'"
        case .agentHasToken(let name): "the agent \(name) already has a token; revoke it first (ventia-gateway token revoke \(name))"
        case .noSuchAgent(let name): "no agent \(name) has a live token (ventia-gateway token list shows them)"
        case .database(let error): error.description
        }
    }
}

/// Agents' tokens in PostgreSQL, by hash.
public struct TokenStore: Sendable {
    let database: GatewayDatabase

    public init(_ database: GatewayDatabase) { self.database = database }

    static func isValidAgentName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-@".contains($0)) }
    }

    /// A new token for `agent`, returned once; only its hash is stored.
    public func create(agent: String) async throws(TokenStoreError) -> String {
        guard Self.isValidAgentName(agent) else { throw .badAgentName(agent) }
        let token = AgentToken.make()
        let hash = AgentToken.sha256(token)
        let inserted: Bool
        do {
            inserted = try await database.transaction("create a token") { connection in
                let rows = try await connection.query(
                    "INSERT INTO gateway_tokens (agent, token_sha256) VALUES (\(agent), \(hash)) ON CONFLICT DO NOTHING RETURNING id",
                    logger: database.logger)
                var any = false
                for try await _ in rows { any = true }
                return any
            }
        } catch {
            throw .database(error)
        }
        guard inserted else { throw .agentHasToken(agent) }
        return token
    }

    public func list() async throws(TokenStoreError) -> [AgentTokenRecord] {
        do {
            return try await database.run("list tokens") { client in
                var records: [AgentTokenRecord] = []
                let rows = try await client.query(
                    "SELECT agent, created_at, last_used_at FROM gateway_tokens WHERE revoked_at IS NULL ORDER BY agent", logger: database.logger)
                for try await (agent, created, used) in rows.decode((String, Date, Date?).self) {
                    records.append(AgentTokenRecord(agent: agent, createdAt: created, lastUsedAt: used))
                }
                return records
            }
        } catch {
            throw .database(error)
        }
    }

    public func revoke(agent: String) async throws(TokenStoreError) {
        let revoked: Bool
        do {
            revoked = try await database.run("revoke a token") { client in
                var any = false
                let rows = try await client.query(
                    "UPDATE gateway_tokens SET revoked_at = clock_timestamp() WHERE agent = \(agent) AND revoked_at IS NULL RETURNING id",
                    logger: database.logger)
                for try await _ in rows { any = true }
                return any
            }
        } catch {
            throw .database(error)
        }
        guard revoked else { throw .noSuchAgent(agent) }
    }

    /// The agent a live token belongs to, or nil. Notes the use at most once a minute, so the
    /// common path is one indexed read.
    func agent(forToken token: String) async throws(GatewayDatabaseError) -> String? {
        let hash = AgentToken.sha256(token)
        let found: (String, Bool)? = try await database.run("check a token") { client in
            let rows = try await client.query(
                """
                SELECT agent, (last_used_at IS NULL OR last_used_at < clock_timestamp() - interval '60 seconds')
                FROM gateway_tokens WHERE token_sha256 = \(hash) AND revoked_at IS NULL
                """, logger: database.logger)
            for try await row in rows.decode((String, Bool).self) { return row }
            return nil
        }
        guard let (agent, stale) = found else { return nil }
        if stale {
            try await database.run("note a token's use") { client in
                try await client.query(
                    "UPDATE gateway_tokens SET last_used_at = clock_timestamp() WHERE token_sha256 = \(hash) AND revoked_at IS NULL",
                    logger: database.logger)
            }
        }
        return agent
    }
}
