import Foundation
import Observation
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
        contacts: Int = 120, key: String = DemoKeys.primaryAccount[0], rateLimit: Int = 200, transport: any HTTPTransport = AsyncHTTPClientTransport.shared
    ) async throws -> DemoBed {
        let server = try await VentiaLocalServer.start(ServerConfiguration(port: 0, seed: 11, contactCount: contacts, saleCount: 60, rateLimit: rateLimit))
        let client = VentiaClient(configuration: VentiaConfiguration(baseURL: server.baseURL, apiKey: APIKey(key)), transport: transport, retryPolicy: .never)
        return DemoBed(server: server, session: AppSession(client: client, connection: ConnectionInfo(mode: .demo, host: "127.0.0.1:\(server.port)")))
    }

    func stop() async { await server.stop() }

    /// Stops the server, then reads until the client meets a refused connection: connections it
    /// kept alive are closed by then, so the next write finds no server rather than a stale socket.
    func stopAndLetTheClientNotice() async {
        await server.stop()
        for _ in 0..<10 {
            do {
                _ = try await session.client.send(.listGroups, as: [VentiaAPI.Group].self)
            } catch .transport(.couldNotConnect) {
                return
            } catch {
                continue
            }
        }
        Issue.record("the client never found the server gone")
    }
}

/// Waits (at most `seconds`) for a condition that completions on the main queue will make true:
/// it is checked again whenever a view-model property it read changes (Observation), and, for the
/// few things outside Observation (the shell's windows, the client's in-flight count), every 50 ms.
@MainActor
func eventually(_ what: String, seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation, _ condition: @escaping @MainActor () -> Bool) async {
    let deadline = ContinuousClock.now.advanced(by: .seconds(seconds))
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation)
            return
        }
        await nextChange(of: condition, notAfter: min(deadline, ContinuousClock.now.advanced(by: .milliseconds(50))))
    }
}

/// Suspends until a property `condition` reads changes, or until `limit`.
@MainActor
func nextChange(of condition: @MainActor () -> Bool, notAfter limit: ContinuousClock.Instant) async {
    let gate = WakeGate()
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        gate.hold(continuation)
        withObservationTracking { _ = condition() } onChange: { gate.open() }
        gate.timeout = Task {
            try? await Task.sleep(until: limit, clock: .continuous)
            gate.open()
        }
    }
    gate.timeout?.cancel()
}

/// Resumes one waiter once: the first of a change and a time-out wins.
final class WakeGate: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?
    var timeout: Task<Void, Never>? {
        get { lock.withLock { storedTimeout } }
        set { lock.withLock { storedTimeout = newValue } }
    }
    private var storedTimeout: Task<Void, Never>?

    func hold(_ continuation: CheckedContinuation<Void, Never>) { lock.withLock { self.continuation = continuation } }

    func open() {
        let waiting = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume()
    }
}

/// Turns a view-model completion into an awaited value; one that never comes is an issue and a
/// `.timedOut` after `seconds`, not a hung test.
@MainActor
func completion<T: Sendable>(
    within seconds: Int = 30, sourceLocation: SourceLocation = #_sourceLocation,
    _ start: (@escaping @MainActor @Sendable (Result<T, VentiaError>) -> Void) -> Void
) async -> Result<T, VentiaError> {
    // nil: the time ran out first.
    let outcome = OneShot<Result<T, VentiaError>?>()
    start { result in outcome.fulfil(.success(result)) }
    let timer = Task {
        try? await Task.sleep(for: .seconds(seconds))
        outcome.fulfil(.success(nil))
    }
    defer { timer.cancel() }
    guard let result = (try? await outcome.value()) ?? nil else {
        Issue.record("no completion within \(seconds) s", sourceLocation: sourceLocation)
        return .failure(.timedOut)
    }
    return result
}

/// Waits until `value` has stayed the same for `quiet`, within `bound`: how a test says that
/// nothing more happens, without a bare sleep.
@MainActor
func settled<Value: Equatable>(
    _ what: String, quiet: Duration = .milliseconds(300), within bound: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation,
    _ value: @MainActor () -> Value
) async {
    let deadline = ContinuousClock.now + bound
    var last = value()
    var since = ContinuousClock.now
    while ContinuousClock.now - since < quiet {
        guard ContinuousClock.now < deadline else {
            Issue.record("\(what) never settled", sourceLocation: sourceLocation)
            return
        }
        try? await Task.sleep(for: .milliseconds(20))
        let now = value()
        if now != last {
            last = now
            since = ContinuousClock.now
        }
    }
}

/// Passes requests to the real transport, except those `fault` answers itself: a failing load
/// against an otherwise working server.
final class FaultInjectingTransport: HTTPTransport, @unchecked Sendable {
    private let inner = AsyncHTTPClientTransport.shared
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

extension WriteValues {
    /// A form's values as the tests write them: by the API's field names.
    init(text: [String: String], choices: [String: Int] = [:]) {
        self.init(
            text: Dictionary(uniqueKeysWithValues: text.compactMap { name, value in FieldName(rawValue: name).map { ($0, value) } }),
            choices: Dictionary(uniqueKeysWithValues: choices.compactMap { name, value in FieldName(rawValue: name).map { ($0, value) } }))
    }
}
