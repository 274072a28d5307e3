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

    static func start(
        contacts: Int = 120, key: String = DemoKeys.primaryAccount[0], rateLimit: Int = 200, transport: any HTTPTransport = URLSessionTransport()
    ) async throws -> DemoBed {
        let server = try await VentiaLocalServer.start(ServerConfiguration(port: 0, seed: 11, contactCount: contacts, saleCount: 60, rateLimit: rateLimit))
        let client = VentiaClient(configuration: VentiaConfiguration(baseURL: server.baseURL, apiKey: APIKey(key)), transport: transport, retryPolicy: .never)
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

/// Passes requests to the real transport, except those `fault` answers itself: a failing load
/// against an otherwise working server.
final class FaultInjectingTransport: HTTPTransport, @unchecked Sendable {
    private let inner = URLSessionTransport()
    private let lock = NSLock()
    private var fault: (@Sendable (HTTPRequest) -> HTTPResponse?)?

    /// From now on, requests `fault` answers get that answer; nil passes everything through again.
    func inject(_ fault: (@Sendable (HTTPRequest) -> HTTPResponse?)?) { lock.withLock { self.fault = fault } }

    func send(_ request: HTTPRequest, completion: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> any Cancellable {
        if let answer = lock.withLock({ fault?(request) }) {
            DispatchQueue.global().async { completion(.success(answer)) }
            return Answered()
        }
        return inner.send(request, completion: completion)
    }

    struct Answered: Cancellable { func cancel() {} }

    /// A 503 with an HTML body, for requests whose path ends with `suffix`.
    static func unavailable(pathSuffix suffix: String) -> @Sendable (HTTPRequest) -> HTTPResponse? {
        { request in request.url.path.hasSuffix(suffix) ? HTTPResponse(status: 503, body: Data("<h1>Service Unavailable</h1>".utf8)) : nil }
    }
}
