import Foundation
import Testing
import VentiaAPI
import VentiaServer
import VentiaViewModels

/// A demo server and a session over it, for view-model tests.
@MainActor
struct DemoBed {
    let server: VentiaLocalServer
    let session: AppSession

    static func start(contacts: Int = 120, key: String = DemoKeys.primaryAccount[0], rateLimit: Int = 200) async throws -> DemoBed {
        let server = try await VentiaLocalServer.start(ServerConfiguration(port: 0, seed: 11, contactCount: contacts, saleCount: 60, rateLimit: rateLimit))
        let client = VentiaClient(configuration: VentiaConfiguration(baseURL: server.baseURL, apiKey: APIKey(key)))
        return DemoBed(server: server, session: AppSession(client: client, connection: ConnectionInfo(mode: .demo, host: "127.0.0.1:\(server.port)")))
    }

    func stop() async { await server.stop() }
}

/// Waits (at most `seconds`) for a condition that completions on the main queue will make true.
@MainActor
func eventually(_ what: String, seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () -> Bool) async {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline {
            Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation)
            return
        }
        try? await Task.sleep(for: .milliseconds(5))
    }
}

/// Turns a view-model completion into an awaited value.
@MainActor
func completion<T: Sendable>(_ start: (@escaping @MainActor @Sendable (Result<T, VentiaError>) -> Void) -> Void) async -> Result<T, VentiaError> {
    await withCheckedContinuation { continuation in
        start { result in continuation.resume(returning: result) }
    }
}
