import Foundation
import Logging
import PostgresNIO

/// Tells every replica which paths a forwarded write may have changed, through PostgreSQL's
/// `NOTIFY`, so a write through one replica drops the short cache of all of them. Each replica
/// listens on one connection of its own, and listens again after PostgreSQL comes back.
final class WriteNotices: Sendable {
    static let channel = "ventia_gateway_writes"

    private let database: GatewayDatabase
    private let listener: Task<Void, Never>

    init(database: GatewayDatabase, coalescer: ReadCoalescer) {
        self.database = database
        let logger = database.logger
        let client = database.client
        listener = Task.detached {
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        for try await notice in try await connection.listen(Self.channel) {
                            await coalescer.written(notice.payload)
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("write notices: \(error); listening again in a second")
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Announces a write to `path` to every replica (this one included).
    func announce(_ path: String) async {
        do {
            try await database.run("announce a write to the replicas") { [database] client in
                try await client.query("SELECT pg_notify(\(Self.channel), \(path))", logger: database.logger)
            }
        } catch {
            database.logger.warning("\(error): other replicas keep their cached reads of \(path) for up to their cache time")
        }
    }

    func stop() { listener.cancel() }
}
