import Foundation
import Logging
import PostgresNIO

/// Hears one PostgreSQL `NOTIFY` channel on a connection of its own for as long as it lives,
/// and listens again a second after PostgreSQL comes back.
final class ChannelListener: Sendable {
    private let task: Task<Void, Never>

    init(_ channel: String, database: GatewayDatabase, onNotice: @escaping @Sendable (String) async -> Void) {
        let (logger, client) = (database.logger, database.client)
        task = Task.detached {
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        for try await notice in try await connection.listen(channel) { await onNotice(notice.payload) }
                    }
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("listening on \(channel): \(error); listening again in a second")
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    func stop() { task.cancel() }
}
