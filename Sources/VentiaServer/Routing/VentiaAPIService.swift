import Foundation
import Logging
import VentiaAPI

/// The local Ventia: turns one request into one response. Knows nothing of HTTP servers, so tests
/// and the Hummingbird host share it.
public final class VentiaAPIService: Sendable {
    public static let basePath = "/api/v1.0"
    /// The largest request body accepted.
    public static let maximumBodyBytes = 1 << 20

    let store: StoreDatabase
    let limiter: RateLimiter
    let clock: any VentiaClock
    let sendsRateHeaders: Bool
    let logger: Logger
    /// Sends events to webhooks (a WhatsApp message sent, or simulated).
    let webhooks: WebhookDelivery
    /// Test mode: a webhook may call back an `http://` URL (a receiver on this machine).
    let allowsPlainHTTPWebhooks: Bool
    /// Test mode: answers carry only the fields of the reference's samples (see `ReferenceShape`).
    let answersInReferenceShapes: Bool

    init(
        store: StoreDatabase, limiter: RateLimiter, clock: any VentiaClock, sendsRateHeaders: Bool, logger: Logger,
        webhooks: WebhookDelivery? = nil, allowsPlainHTTPWebhooks: Bool = false, answersInReferenceShapes: Bool = false
    ) {
        self.store = store
        self.limiter = limiter
        self.clock = clock
        self.sendsRateHeaders = sendsRateHeaders
        self.logger = logger
        self.webhooks = webhooks ?? WebhookDelivery(logger: logger)
        self.allowsPlainHTTPWebhooks = allowsPlainHTTPWebhooks
        self.answersInReferenceShapes = answersInReferenceShapes
    }

    /// What a handler gets: the caller's account, the time, the path parameters and the request.
    struct Call {
        var account: AccountRecord
        var now: Date
        var parameters: [String]
        var request: ServerRequest

        func body() throws(APIFailure) -> RequestBody { try RequestBody(request) }
    }

    /// Answers one request, and logs it (at `info`, the level `--verbose` shows).
    public func handle(_ request: ServerRequest) -> ServerResponse {
        handle(request, caller: nil)
    }

    /// Where the OpenAPI document is served, to anyone: it needs no key.
    public static let documentPath = basePath + "/openapi.yaml"

    /// The OpenAPI document of the API as this server serves it (`Sources/VentiaServer/OpenAPI/openapi.yaml`).
    public static let openAPIDocument: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"), let data = try? Data(contentsOf: url) else {
            return Data("openapi: 3.1.0\ninfo: {title: missing, version: '0'}\npaths: {}\n".utf8)
        }
        return data
    }()

    /// The document, for a GET of its path; nil for any other request.
    func documentAnswer(_ request: ServerRequest) -> ServerResponse? {
        guard request.path == Self.documentPath, request.method == "GET" || request.method == "HEAD" else { return nil }
        return ServerResponse(status: 200, headers: ["Content-Type": "application/yaml; charset=utf-8"], body: Self.openAPIDocument)
    }

    /// The same, for a caller already found by `admitHead` (so the key is not looked up twice).
    func handle(_ request: ServerRequest, caller: AccountRecord?) -> ServerResponse {
        let started = DispatchTime.now()
        let (response, account) = documentAnswer(request).map { ($0, nil) } ?? answer(request, caller: caller)
        logAnswered(request, response, account: account, started: started)
        return response
    }

    /// Checks what can be checked from the head alone, before a body is read: the credentials. The
    /// caller's account, or the refusal to send (already logged).
    func admitHead(_ head: ServerRequest) -> Result<AccountRecord?, ServerResponseRefusal> {
        if documentAnswer(head) != nil { return .success(nil) }
        let started = DispatchTime.now()
        do throws(APIFailure) {
            return .success(try authenticate(head))
        } catch {
            let response = ServerResponse.failure(error)
            logAnswered(head, response, account: nil, started: started)
            return .failure(ServerResponseRefusal(response: response))
        }
    }

    /// Answers a refusal decided outside the router (a body too large), logged like any answer.
    func refuse(_ request: ServerRequest, _ failure: APIFailure, account: AccountRecord?) -> ServerResponse {
        let response = ServerResponse.failure(failure)
        logAnswered(request, response, account: account, started: DispatchTime.now())
        return response
    }

    func logAnswered(_ request: ServerRequest, _ response: ServerResponse, account: AccountRecord?, started: DispatchTime) {
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000
        logger.info(
            "\(request.method) \(request.redactedTarget) \(response.status) account=\(account?.name ?? "-") \(String(format: "%.1f", milliseconds))ms")
    }

    private func answer(_ request: ServerRequest, caller known: AccountRecord?) -> (ServerResponse, AccountRecord?) {
        var rateHeaders: [String: String] = [:]
        var caller = known
        do throws(APIFailure) {
            let account: AccountRecord
            if let known { account = known } else { account = try authenticate(request) }
            caller = account
            let decision = limiter.admit(account: account.id)
            if sendsRateHeaders {
                rateHeaders = [
                    "X-RateLimit-Limit": String(limiter.limit),
                    "X-RateLimit-Remaining": String(decision.remaining),
                    "X-RateLimit-Reset": String(decision.resetAt),
                ]
            }
            guard decision.allowed else {
                var failure = APIFailure(
                    status: 429,
                    message: "Too many requests: this account may make \(limiter.limit) requests per \(Int(limiter.window)) seconds. Retry in \(decision.retryAfter)s.")
                failure.headers = rateHeaders.merging(["Retry-After": String(decision.retryAfter)]) { _, new in new }
                throw failure
            }
            let (endpoint, parameters) = try route(request)
            let call = Call(account: account, now: clock.now(), parameters: parameters, request: request)
            switch try dispatch(endpoint, call) {
            case .value(let answer) where answersInReferenceShapes:
                return (.json(ReferenceShape.answer(of: endpoint).cut(answer), headers: rateHeaders), account)
            case .encoded(let bytes) where answersInReferenceShapes:
                let answer = (try? VentiaJSON.decode(JSONValue.self, from: Data(bytes))) ?? .array([])
                return (.json(ReferenceShape.answer(of: endpoint).cut(answer), headers: rateHeaders), account)
            case .value(let answer): return (.json(answer, headers: rateHeaders), account)
            case .encoded(let bytes): return (.json(encoded: bytes, headers: rateHeaders), account)
            }
        } catch {
            var failure = error
            failure.headers.merge(rateHeaders) { current, _ in current }
            if failure.status >= 500 { logger.error("\(request.method) \(request.path): \(failure.message)") }
            return (.failure(failure), caller)
        }
    }

    /// One key per request (`PresentedKey`), then the account it belongs to.
    func authenticate(_ request: ServerRequest) throws(APIFailure) -> AccountRecord {
        let presented = PresentedKey.single(
            queryKey: request.query["api-key"], headerKey: request.headers["x-api-key"],
            repeated: request.repeatedQueryNames.contains("api-key") || request.repeatedHeaderNames.contains("x-api-key"))
        let key: String
        switch presented {
        case .success(let given): key = given
        case .failure(let refusal): throw .unauthorized(refusal.description)
        }
        guard let account = store.catalog.account(forKey: key) else { throw .unauthorized(PresentedKey.Refusal.unknown.description) }
        return account
    }

    /// Each endpoint with its path split into segments, once rather than on every request.
    private static let routes = Endpoint.allCases.map { ($0, $0.segments) }

    /// Finds the endpoint for the path: an unknown path is 404, a known one with another method 405.
    func route(_ request: ServerRequest) throws(APIFailure) -> (Endpoint, [String]) {
        var path = request.path
        guard path == Self.basePath || path.hasPrefix(Self.basePath + "/") else {
            throw .notFound("No such endpoint: \(request.method) \(ErrorExcerpt.make(from: path, key: nil, limit: 80))")
        }
        path.removeFirst(Self.basePath.count)
        // One trailing slash names the same resource (as Express's default routing does); an empty
        // segment anywhere else (`//`) names none.
        if path.hasSuffix("/") { path.removeLast() }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { part in
            part.contains("%") ? (String(part).removingPercentEncoding ?? String(part)) : String(part)
        }
        if path.isEmpty || parts.contains("") {
            throw .notFound("No such endpoint: \(request.method) \(ErrorExcerpt.make(from: request.path, key: nil, limit: 80))")
        }
        var allowed: [String] = []
        for (endpoint, segments) in Self.routes {
            guard segments.count == parts.count else { continue }
            var parameters: [String] = []
            var matches = true
            for (segment, part) in zip(segments, parts) {
                switch segment {
                case .literal(let text): if text != part { matches = false }
                case .parameter: parameters.append(part)
                }
                if !matches { break }
            }
            guard matches else { continue }
            if endpoint.method.rawValue == request.method { return (endpoint, parameters) }
            allowed.append(endpoint.method.rawValue)
        }
        if !allowed.isEmpty {
            var failure = APIFailure(status: 405, message: "\(request.method) is not allowed here; use \(allowed.joined(separator: ", "))")
            failure.headers["Allow"] = allowed.joined(separator: ", ")
            throw failure
        }
        throw .notFound("No such endpoint: \(request.method) \(ErrorExcerpt.make(from: request.path, key: nil, limit: 80))")
    }

    /// A handler's answer: a value to encode, or text already written (the contact list's).
    enum Answer {
        case value(JSONValue)
        case encoded([UInt8])
    }

    func dispatch(_ endpoint: Endpoint, _ call: Call) throws(APIFailure) -> Answer {
        if endpoint == .listContacts { return try listContacts(call) }
        return .value(try dispatchValue(endpoint, call))
    }

    private func dispatchValue(_ endpoint: Endpoint, _ call: Call) throws(APIFailure) -> JSONValue {
        switch endpoint {
        case .listContacts: return .null
        case .getContact: return try getContact(call)
        case .createContact: return try createContact(call)
        case .replaceContact: return try replaceContact(call)
        case .listInteractions: return try listInteractions(call, onlyNotes: false)
        case .listNotes: return try listInteractions(call, onlyNotes: true)
        case .createNote: return try createNote(call)
        case .archiveContact: return try archiveContact(call)
        case .transferContact: return try transferContact(call)
        case .createReminder: return try createReminder(call)
        case .createLead: return try createLead(call)
        case .createLeadEntry: return try createLeadEntry(call)
        case .listUsers: return try listUsers(call)
        case .createUser: return try createUser(call)
        case .getUser: return try getUser(call)
        case .updateUser: return try updateUser(call)
        case .replaceUser: return try replaceUser(call)
        case .listGroups: return try listGroups(call)
        case .listSales: return try listSales(call)
        case .createSale: return try createSale(call)
        case .getSale: return try getSale(call)
        case .updateSale: return try updateSale(call)
        case .upsertSale: return try upsertSale(call)
        case .sendWhatsAppMessage: return try sendWhatsAppMessage(call)
        case .listWebhooks: return try listWebhooks(call)
        case .createWebhook: return try createWebhook(call)
        case .getWebhook: return try getWebhook(call)
        case .updateWebhook: return try updateWebhook(call)
        }
    }
}

// MARK: Shared request checks

extension VentiaAPIService.Call {
    /// A path id that must be a 24-hex ObjectId.
    func objectId(at index: Int, field: String) throws(APIFailure) -> String {
        let value = index < parameters.count ? parameters[index] : ""
        guard ObjectIdFormat.isValid(value) else {
            throw .invalidField(field, "must be a 24-character hexadecimal id")
        }
        return value
    }

    /// 0-based page and 1..100 limit (default 100) for CRM and People lists.
    func crmPage() throws(APIFailure) -> (page: Int, limit: Int) {
        (try integer("page", default: 0, range: 0...1_000_000), try integer("limit", default: 100, range: 1...100))
    }

    /// 1-based page and 1..100 limit (default 50) for sales.
    func salesPage() throws(APIFailure) -> (page: Int, limit: Int) {
        (try integer("page", default: 1, range: 1...1_000_000), try integer("limit", default: 50, range: 1...100))
    }

    private func integer(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws(APIFailure) -> Int {
        guard !request.repeatedQueryNames.contains(name) else { throw .invalidField(name, "must be given once") }
        guard let text = request.query[name] else { return defaultValue }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw .invalidField(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        guard range.contains(value) else {
            throw .invalidField(name, "must be from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}

enum ObjectIdFormat {
    static func isValid(_ text: String) -> Bool {
        text.utf8.count == 24 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// A new 24-hex id: its creation second, then a counter, like a MongoDB ObjectId.
    static func make(at date: Date, counter: UInt64) -> String {
        StoredId.text(seconds: UInt32(truncatingIfNeeded: Int64(date.timeIntervalSince1970)), counter: counter)
    }
}

extension Array {
    /// The items of one page, empty past the end.
    func page(_ index: Int, size: Int) -> ArraySlice<Element> {
        let start = index.multipliedReportingOverflow(by: size)
        guard !start.overflow, start.partialValue < count else { return [] }
        return self[start.partialValue..<Swift.min(count, start.partialValue + size)]
    }
}
