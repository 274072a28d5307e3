import Foundation

/// Where and how to reach the API.
public struct VentiaConfiguration: Sendable {
    /// The real service's base, from the reference.
    public static let productionBaseURL = URL(string: "https://api.getventia.com/api/v1.0") ?? URL(fileURLWithPath: "/")  // the literal always parses

    /// 8 MiB: a page of 100 contacts is about 100 KB, so only a broken or hostile server gets near it.
    public static let defaultMaximumAnswerBytes = 8 << 20

    public var baseURL: URL
    public var apiKey: APIKey
    public var timeout: TimeInterval
    /// The largest answer read; past it the request fails with `answerTooLarge`.
    public var maximumAnswerBytes: Int

    public init(
        baseURL: URL = VentiaConfiguration.productionBaseURL, apiKey: APIKey, timeout: TimeInterval = 15,
        maximumAnswerBytes: Int = VentiaConfiguration.defaultMaximumAnswerBytes
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.timeout = timeout
        self.maximumAnswerBytes = maximumAnswerBytes
    }

    /// The host (and port) without scheme or path, for the status line.
    public var hostDescription: String {
        guard let host = baseURL.host else { return baseURL.absoluteString }
        return baseURL.port.map { "\(host):\($0)" } ?? host
    }
}

/// A request that has been handed to the transport; cancel it when its answer is no longer wanted.
public final class RequestHandle: Cancellable, @unchecked Sendable {
    private let lock = NSLock()
    private var inner: (any Cancellable)?
    private var isCancelledFlag = false

    init() {}

    func attach(_ cancellable: any Cancellable) {
        let cancelNow = lock.withLock { () -> Bool in
            inner = cancellable
            return isCancelledFlag
        }
        if cancelNow { cancellable.cancel() }
    }

    public var isCancelled: Bool { lock.withLock { isCancelledFlag } }

    public func cancel() {
        let target = lock.withLock { () -> (any Cancellable)? in
            isCancelledFlag = true
            return inner
        }
        target?.cancel()
    }
}

/// The Ventia API client: one method per endpoint (see `VentiaClient+Endpoints`), completions on a
/// queue the caller picks, every failure a `VentiaError`.
public final class VentiaClient: Sendable {
    public let configuration: VentiaConfiguration
    public let rateBudget: RateBudget
    /// Refuse locally, without a round trip, while the budget is known to be spent.
    public let enforcesBudget: Bool
    /// How failed GETs are tried again.
    public let retryPolicy: RetryPolicy
    /// Orders requests by lane within the budget (see `RequestLane`).
    public let scheduler: RequestScheduler
    let transport: any HTTPTransport
    private let inFlight: InFlightCounter

    /// `wake` schedules the scheduler's next look at the budget (tests pass one driven by their clock).
    public init(
        configuration: VentiaConfiguration, transport: any HTTPTransport = AsyncHTTPClientTransport.shared,
        rateBudget: RateBudget = RateBudget(), enforcesBudget: Bool = true, retryPolicy: RetryPolicy = .standard,
        wake: RequestScheduler.Wake? = nil
    ) {
        self.configuration = configuration
        self.retryPolicy = retryPolicy
        self.transport = transport
        self.rateBudget = rateBudget
        self.enforcesBudget = enforcesBudget
        self.inFlight = InFlightCounter()
        scheduler = wake.map { RequestScheduler(budget: rateBudget, wake: $0) } ?? RequestScheduler(budget: rateBudget)
    }

    /// Requests sent and not yet answered.
    public var requestsInFlight: Int { inFlight.value }

    /// Sends one call and decodes its answer as `Response`.
    /// `lane`: interactive requests go at once or are refused while the budget is spent; the others
    /// wait in the scheduler for room beyond their lane's reserve.
    @discardableResult
    public func send<Response: Decodable & Sendable>(
        _ endpoint: Endpoint, path parameters: [String] = [], query: [URLQueryItem] = [], body: (any Encodable & Sendable)? = nil,
        as response: Response.Type, lane: RequestLane = .interactive, on queue: DispatchQueue,
        completion: @escaping @Sendable (Result<Response, VentiaError>) -> Void
    ) -> RequestHandle {
        let handle = RequestHandle()
        let request: HTTPRequest
        do {
            request = try makeRequest(endpoint, parameters: parameters, query: query, body: body)
        } catch {
            queue.async { completion(.failure(error)) }
            return handle
        }
        let finish: @Sendable (Result<Response, VentiaError>) -> Void = { outcome in
            // A cancelled request's late answer is dropped, so stale results never reach the UI.
            queue.async { completion(handle.isCancelled ? .failure(.cancelled) : outcome) }
        }
        guard enforcesBudget else {
            attempt(1, request, as: Response.self, lane: lane, handle: handle, finish: finish)
            return handle
        }
        submit(1, request, as: Response.self, lane: lane, handle: handle, finish: finish)
        return handle
    }

    /// Hands attempt `number` to the scheduler; a queued one is withdrawn when its handle is cancelled.
    private func submit<Response: Decodable & Sendable>(
        _ number: Int, _ request: HTTPRequest, as response: Response.Type, lane: RequestLane, handle: RequestHandle,
        finish: @escaping @Sendable (Result<Response, VentiaError>) -> Void, lastError: VentiaError? = nil
    ) {
        let id = UUID()
        let admission = scheduler.submit(lane, id: id) { [self] in
            guard !handle.isCancelled else { return finish(.failure(.cancelled)) }
            attempt(number, request, as: Response.self, lane: lane, handle: handle, finish: finish)
        }
        switch admission {
        case .refused(let wait):
            if let lastError { return finish(.failure(.afterRetries(attempts: number - 1, last: lastError))) }
            finish(.failure(.rateLimited(retryAfter: wait)))
        case .queued:
            handle.attach(WithdrawQueued { [scheduler] in
                if scheduler.withdraw(id) { finish(.failure(.cancelled)) }
            })
        case .started: break
        }
    }

    /// Sends `request` once; a GET that meets a 5xx, a timeout or a lost connection is tried again
    /// after a growing, jittered pause, while the policy and the budget allow. Writes never are.
    private func attempt<Response: Decodable & Sendable>(
        _ number: Int, _ request: HTTPRequest, as response: Response.Type, lane: RequestLane, handle: RequestHandle,
        finish: @escaping @Sendable (Result<Response, VentiaError>) -> Void
    ) {
        var sent = request
        sent.headers[RequestLane.headerName] = lane.headerValue
        let sentAt = rateBudget.recordSend()
        inFlight.add(1)
        let task = transport.send(sent) { [self] result in
            inFlight.add(-1)
            let outcome: Result<Response, VentiaError>
            switch result {
            case .success(let answer):
                rateBudget.recordAnswer(sentAt: sentAt, status: answer.status, headers: answer.headers)
                outcome = Self.interpret(answer, as: Response.self, key: configuration.apiKey)
            case .failure(let failure):
                // A cut-off answer reached the server and counts; a request that got no answer does not.
                rateBudget.recordAnswer(sentAt: sentAt, status: failure.answeredStatus, headers: [:])
                outcome = .failure(Self.error(for: failure, key: configuration.apiKey))
            }
            guard case .failure(let error) = outcome, request.method == .get, error.isTransient, !handle.isCancelled else {
                finish(outcome)
                return
            }
            guard number < retryPolicy.attempts else {
                finish(.failure(number > 1 ? .afterRetries(attempts: number, last: error) : error))
                return
            }
            // A retry is a request like any other: it goes through the scheduler in its lane.
            retryPolicy.schedule(retryPolicy.delay(beforeAttempt: number + 1)) { [self] in
                guard !handle.isCancelled else { return finish(.failure(.cancelled)) }
                guard enforcesBudget else { return attempt(number + 1, request, as: Response.self, lane: lane, handle: handle, finish: finish) }
                submit(number + 1, request, as: Response.self, lane: lane, handle: handle, finish: finish, lastError: error)
            }
        }
        handle.attach(task)
    }

    /// The same call, awaited.
    public func send<Response: Decodable & Sendable>(
        _ endpoint: Endpoint, path parameters: [String] = [], query: [URLQueryItem] = [], body: (any Encodable & Sendable)? = nil,
        as response: Response.Type
    ) async throws(VentiaError) -> Response {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Response, VentiaError>, Never>) in
            send(endpoint, path: parameters, query: query, body: body, as: response, on: .global()) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    func makeRequest(_ endpoint: Endpoint, parameters: [String], query: [URLQueryItem], body: (any Encodable & Sendable)?) throws(VentiaError)
        -> HTTPRequest
    {
        let base = configuration.baseURL.absoluteString.hasSuffix("/")
            ? String(configuration.baseURL.absoluteString.dropLast()) : configuration.baseURL.absoluteString
        guard var components = URLComponents(string: base + endpoint.path(parameters)) else {
            throw .invalidRequest(reason: "the base URL \(configuration.hostDescription) is not usable")
        }
        components.queryItems = query + [URLQueryItem(name: "api-key", value: configuration.apiKey.secret)]
        guard let url = components.url else {
            throw .invalidRequest(reason: "the base URL \(configuration.hostDescription) is not usable")
        }
        var headers = ["Accept": "application/json", "X-API-KEY": configuration.apiKey.secret]
        var data: Data?
        if let body {
            do {
                data = try VentiaJSON.encoder().encode(body)
            } catch {
                throw .invalidRequest(reason: "the request body could not be encoded")
            }
            headers["Content-Type"] = "application/json"
        }
        return HTTPRequest(
            method: endpoint.method, url: url, headers: headers, body: data, timeout: configuration.timeout,
            maximumAnswerBytes: configuration.maximumAnswerBytes)
    }

    static func error(for failure: TransportFailure, key: APIKey) -> VentiaError {
        switch failure {
        case .timedOut: return .timedOut
        case .cancelled: return .cancelled
        case .answerTooLarge(let limit, _): return .answerTooLarge(limit: limit)
        case .failed(let failure): return .transport(failure)
        }
    }

    /// Maps an HTTP answer to the decoded value or the error a person can act on.
    static func interpret<Response: Decodable>(_ answer: HTTPResponse, as type: Response.Type, key: APIKey) -> Result<Response, VentiaError> {
        if (200..<300).contains(answer.status) {
            do throws(VentiaError) {
                return .success(try VentiaJSON.decode(type, from: answer.body))
            } catch {
                if answer.body.isEmpty { return .failure(.decoding(path: "(top level)", reason: "the answer was empty")) }
                return .failure(error)
            }
        }
        let errorBody = try? VentiaJSON.decoder().decode(ErrorBody.self, from: answer.body)
        let message = errorBody?.message.map { ErrorExcerpt.make(from: $0, key: key, limit: 200) } ?? ""
        switch answer.status {
        case 400:
            let fields = (errorBody?.errors ?? []).map {
                FieldError(field: ErrorExcerpt.make(from: $0.field, key: key, limit: 60), message: ErrorExcerpt.make(from: $0.message, key: key))
            }
            if errorBody == nil { return .failure(.validation(message: ErrorExcerpt.make(from: answer.body, key: key), fieldErrors: [])) }
            return .failure(.validation(message: message, fieldErrors: fields))
        case 401: return .failure(.unauthorized(message: message))
        case 403: return .failure(.forbidden(message: message))
        case 404: return .failure(.notFound(message: message))
        case 409: return .failure(.conflict(message: message))
        case 429:
            let retryAfter = answer.header("retry-after").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            return .failure(.rateLimited(retryAfter: retryAfter))
        default:
            let excerpt = errorBody?.message != nil ? message : ErrorExcerpt.make(from: answer.body, key: key)
            return .failure(.server(status: answer.status, excerpt: excerpt))
        }
    }
}

/// `{"success": false, "message", "errors": [{"field", "message"}]}`, read leniently.
struct ErrorBody: Decodable {
    var message: String?
    var errors: [FieldError]?

    enum CodingKeys: String, CodingKey { case message, error, errors }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        message = (try? c.decodeIfPresent(String.self, forKey: .message)) ?? (try? c.decodeIfPresent(String.self, forKey: .error))
        errors = try? c.decodeIfPresent([FieldError].self, forKey: .errors)
    }
}

/// Cancels a request still waiting in the scheduler.
struct WithdrawQueued: Cancellable {
    let withdraw: @Sendable () -> Void
    func cancel() { withdraw() }
}

final class InFlightCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add(_ delta: Int) { lock.withLock { count += delta } }
}
