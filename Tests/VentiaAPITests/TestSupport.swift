import Foundation
import Logging
import Testing
import VentiaAPI
@testable import VentiaServer

/// A local server on a free loopback port, with clients for its demo keys.
struct LiveServer {
    let server: VentiaLocalServer
    let clock: any VentiaClock

    static func start(
        contacts: Int = 60, sales: Int = 40, rateLimit: Int = 200, rateHeaders: Bool = true, clock: any VentiaClock = SystemClock(),
        dataFile: URL? = nil, idleTimeout: TimeInterval = 30, maximumConnections: Int = 256
    ) async throws -> LiveServer {
        let configuration = ServerConfiguration(
            port: 0, seed: 7, contactCount: contacts, saleCount: sales, rateLimit: rateLimit, sendsRateHeaders: rateHeaders,
            dataFile: dataFile, clock: clock, idleTimeout: idleTimeout, maximumConnections: maximumConnections)
        return LiveServer(server: try await VentiaLocalServer.start(configuration), clock: clock)
    }

    func client(key: String = DemoKeys.primaryAccount[0], enforcesBudget: Bool = false, budget: RateBudget? = nil) -> VentiaClient {
        VentiaClient(
            configuration: VentiaConfiguration(baseURL: server.baseURL, apiKey: APIKey(key)),
            rateBudget: budget ?? RateBudget(clock: clock), enforcesBudget: enforcesBudget)
    }

    func stop() async { await server.stop() }
}

let testQueue = DispatchQueue(label: "ventia.tests")

/// Awaits one completion-handler call.
func call<T: Sendable>(_ start: (@escaping @Sendable (Result<T, VentiaError>) -> Void) -> RequestHandle) async -> Result<T, VentiaError> {
    await withCheckedContinuation { continuation in
        _ = start { continuation.resume(returning: $0) }
    }
}

/// Awaits one call and fails the test on error.
func value<T: Sendable>(
    _ start: (@escaping @Sendable (Result<T, VentiaError>) -> Void) -> RequestHandle, sourceLocation: SourceLocation = #_sourceLocation
) async throws -> T {
    let result = await call(start)
    switch result {
    case .success(let value): return value
    case .failure(let error):
        Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
        throw error
    }
}

/// The error of a call expected to fail.
func failure<T: Sendable>(
    _ start: (@escaping @Sendable (Result<T, VentiaError>) -> Void) -> RequestHandle, sourceLocation: SourceLocation = #_sourceLocation
) async -> VentiaError? {
    let result = await call(start)
    if case .failure(let error) = result { return error }
    Issue.record("expected a failure, got \(result)", sourceLocation: sourceLocation)
    return nil
}

func fixture(_ name: String) throws -> Data {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
        throw FixtureMissing(name: name)
    }
    return try Data(contentsOf: url)
}

struct FixtureMissing: Error { var name: String }

/// A transport that answers from a closure: for server faults no real server would give.
struct CannedTransport: HTTPTransport {
    let answer: @Sendable (HTTPRequest) -> Result<HTTPResponse, TransportFailure>

    func send(_ request: HTTPRequest, completion: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> any Cancellable {
        let result = answer(request)
        DispatchQueue.global().async { completion(result) }
        return NoCancel()
    }

    struct NoCancel: Cancellable { func cancel() {} }
}

/// Sends a raw request through the service, without HTTP: for the server's own rules. A body goes
/// as `application/json` unless another `contentType` is named (nil: none).
func raw(
    _ service: VentiaAPIService, _ method: String, _ target: String, key: String? = DemoKeys.primaryAccount[0], json: String? = nil,
    contentType: String? = "application/json", headers: [(name: String, value: String)] = []
)
    -> (status: Int, body: JSONValue, headers: [String: String])
{
    var path = VentiaAPIService.basePath + target
    if let key { path += (path.contains("?") ? "&" : "?") + "api-key=" + key }
    var fields = headers
    if json != nil, let contentType { fields.append((name: "Content-Type", value: contentType)) }
    let response = service.handle(ServerRequest(method: method, target: path, headerFields: fields, body: Data((json ?? "").utf8)))
    let body = (try? JSONDecoder().decode(JSONValue.self, from: response.body)) ?? .null
    return (response.status, body, response.headers)
}

/// A service on its own store, no network.
func makeService(
    contacts: Int = 40, rateLimit: Int = 200, clock: any VentiaClock = ManualClock(), dataFile: URL? = nil,
    logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
) throws -> VentiaAPIService {
    try VentiaLocalServer.makeService(
        ServerConfiguration(seed: 3, contactCount: contacts, saleCount: 30, rateLimit: rateLimit, dataFile: dataFile, clock: clock, logger: logger)).0
}

/// A value shared with callbacks in tests.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}

extension StoreDatabase {
    /// Looks at the whole store as one value (for finding ids and checking effects).
    func inspect<T>(_ body: (StoreState) throws -> T) throws -> T { try body(snapshot()) }
}
