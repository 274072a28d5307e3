import Foundation
import Logging
import PostgresNIO

/// Tells every replica which paths a forwarded write may have changed, through PostgreSQL's
/// `NOTIFY`, so a write through one replica drops the short cache of all of them and brings the
/// team copy's next round forward.
final class WriteNotices: Sendable {
    static let channel = "ventia_gateway_writes"

    private let database: GatewayDatabase
    private let listener: ChannelListener

    init(database: GatewayDatabase, onWrite: @escaping @Sendable (String) async -> Void) {
        self.database = database
        listener = ChannelListener(Self.channel, database: database, onNotice: onWrite)
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

    func stop() { listener.stop() }
}
