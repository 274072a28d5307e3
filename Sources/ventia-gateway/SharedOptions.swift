import ArgumentParser
import Foundation
import Logging
import VentiaGateway

/// The database every command uses, from DATABASE_URL.
enum DatabaseEnvironment {
    static func url() throws -> DatabaseURL {
        guard let text = ProcessInfo.processInfo.environment["DATABASE_URL"], !text.isEmpty else {
            throw fail(.configuration, "DATABASE_URL is not set: give the PostgreSQL database as postgres://user:password@host:port/database")
        }
        do {
            return try DatabaseURL(text)
        } catch {
            throw fail(.configuration, error.description)
        }
    }

    /// Opens (and migrates) the database, or ends the command with a clear message.
    static func open(logger: Logger) async throws -> GatewayDatabase {
        let url = try url()
        do {
            return try await GatewayDatabase.open(url, maximumConnections: 2, logger: logger)
        } catch {
            throw fail(.unreachable, "\(url): \(error)")
        }
    }

    static var quietLogger: Logger { Logger(label: "ventia-gateway", factory: { _ in SwiftLogNoOpLogHandler() }) }
}
