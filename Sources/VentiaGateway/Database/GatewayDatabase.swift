import Foundation
import Logging
import PostgresNIO
import VentiaAPI

/// The gateway's PostgreSQL: one pool per replica, run for as long as the replica runs. Every
/// piece of state the replicas share lives here and nowhere else.
public final class GatewayDatabase: Sendable {
    public let client: PostgresClient
    public let url: DatabaseURL
    let deadline: Duration
    let logger: Logger
    private let runTask: Task<Void, Never>
    private let started: StartFlag

    /// Opens the pool (connections are made on first use) and brings the schema to this version.
    /// `deadline`: how long one piece of work may take on a request's path, waiting for a
    /// connection included (while PostgreSQL restarts, the pool would otherwise hold requests
    /// until it is back). Preparing the tables at start may take ten times as long.
    public static func open(_ url: DatabaseURL, maximumConnections: Int = 8, deadline: Duration = .seconds(3), logger: Logger)
        async throws(GatewayDatabaseError) -> GatewayDatabase
    {
        let database = GatewayDatabase(url: url, maximumConnections: maximumConnections, deadline: deadline, logger: logger)
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

    private init(url: DatabaseURL, maximumConnections: Int, deadline: Duration, logger: Logger) {
        self.deadline = deadline
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
    func transaction<Result: Sendable>(
        _ what: String, within limit: Duration? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws(GatewayDatabaseError) -> Result {
        let (client, logger) = (self.client, self.logger)
        return try await run(what, within: limit) { _ in try await client.withTransaction(logger: logger) { try await body($0) } }
    }

    /// Runs work outside a transaction, within `deadline` (or `limit`).
    @discardableResult
    func run<Result: Sendable>(_ what: String, within limit: Duration? = nil, _ body: @escaping @Sendable (PostgresClient) async throws -> Result)
        async throws(GatewayDatabaseError) -> Result
    {
        let client = self.client
        let deadline = limit ?? self.deadline
        do {
            // A race, not a task group: a group would wait for work that ignores its cancel.
            let race = OneShot<Result>()
            let work = Task {
                do {
                    race.fulfil(.success(try await body(client)))
                } catch {
                    race.fulfil(.failure(error))
                }
            }
            let timer = Task {
                try? await Task.sleep(for: deadline)
                race.fulfil(.failure(GatewayDatabaseError(doing: what, reason: "the database did not answer within \(deadline.components.seconds) seconds")))
            }
            defer {
                work.cancel()
                timer.cancel()
            }
            return try await race.value()
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
