import Foundation
import Logging
import PostgresNIO

/// The gateway's PostgreSQL: one pool per replica, run for as long as the replica runs. Every
/// piece of state the replicas share lives here and nowhere else.
public final class GatewayDatabase: Sendable {
    public let client: PostgresClient
    public let url: DatabaseURL
    let logger: Logger
    private let runTask: Task<Void, Never>
    private let started: StartFlag

    /// Opens the pool (connections are made on first use) and brings the schema to this version.
    public static func open(_ url: DatabaseURL, maximumConnections: Int = 8, logger: Logger) async throws(GatewayDatabaseError) -> GatewayDatabase {
        let database = GatewayDatabase(url: url, maximumConnections: maximumConnections, logger: logger)
        // PostgresNIO warns of a lease asked for before `run`; wait the moment it takes to start.
        while !database.started.isSet { try? await Task.sleep(for: .milliseconds(1)) }
        do {
            try await GatewaySchema.migrate(database)
        } catch {
            database.close()
            throw error
        }
        return database
    }

    private init(url: DatabaseURL, maximumConnections: Int, logger: Logger) {
        self.url = url
        self.logger = logger
        let client = PostgresClient(configuration: url.clientConfiguration(maximumConnections: maximumConnections), backgroundLogger: logger)
        self.client = client
        let started = StartFlag()
        runTask = Task.detached {
            started.set()
            await client.run()
        }
        self.started = started
    }

    /// Closes the pool; queries after this fail.
    public func close() { runTask.cancel() }

    /// Runs `body` in one transaction; a failure of PostgreSQL becomes a `GatewayDatabaseError`.
    func transaction<Result: Sendable>(_ what: String, _ body: (PostgresConnection) async throws -> sending Result) async throws(GatewayDatabaseError) -> Result {
        do {
            return try await client.withTransaction(logger: logger, body)
        } catch let error as GatewayDatabaseError {
            throw error
        } catch {
            throw GatewayDatabaseError(doing: what, error)
        }
    }

    /// Runs one statement outside a transaction.
    @discardableResult
    func run<Result: Sendable>(_ what: String, _ body: (PostgresClient) async throws -> sending Result) async throws(GatewayDatabaseError) -> Result {
        do {
            return try await body(client)
        } catch let error as GatewayDatabaseError {
            throw error
        } catch {
            throw GatewayDatabaseError(doing: what, error)
        }
    }
}

/// PostgreSQL could not do what was asked: unreachable, restarting, or refusing. Says what the
/// gateway was doing and PostgreSQL's own reason, never a password.
public struct GatewayDatabaseError: Error, CustomStringConvertible, Sendable {
    public var doing: String
    public var reason: String

    init(doing: String, reason: String) {
        self.doing = doing
        self.reason = reason
    }

    init(doing: String, _ error: any Error) {
        self.doing = doing
        var error = error
        if let transaction = error as? PostgresTransactionError {
            error = transaction.closureError ?? transaction.beginError ?? transaction.commitError ?? transaction.rollbackError ?? error
        }
        if let failure = error as? GatewayDatabaseError {
            reason = failure.reason
        } else if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] {
                reason = message
            } else {
                switch psql.code {
                case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
                    reason = "the database is not answering (\(psql.underlying.map { "\($0)" } ?? "connection closed"))"
                default:
                    reason = "\(psql.code)"
                }
            }
        } else {
            reason = "\(error)"
        }
    }

    public var description: String { "could not \(doing): \(reason)" }
}

/// Set once, read from another thread.
private final class StartFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
