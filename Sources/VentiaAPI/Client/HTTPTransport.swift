import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    public var url: URL
    public var headers: [String: String]
    public var body: Data?
    public var timeout: TimeInterval
    /// An answer larger than this is cut off and fails with `answerTooLarge`.
    public var maximumAnswerBytes: Int

    public init(
        method: HTTPMethod, url: URL, headers: [String: String] = [:], body: Data? = nil, timeout: TimeInterval = 15,
        maximumAnswerBytes: Int = VentiaConfiguration.defaultMaximumAnswerBytes
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maximumAnswerBytes = maximumAnswerBytes
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Why a request got no HTTP answer.
public enum TransportFailure: Error, Sendable, Equatable {
    case timedOut
    case cancelled
    /// The answer (of this `status`) grew past the request's `maximumAnswerBytes`; reading stopped there.
    case answerTooLarge(limit: Int, status: Int)
    /// A plain reason without the URL (which holds the key).
    case failed(String)

    /// Reasons given when no connection was made: the request cannot have reached the server.
    public static let neverSentReasons: Set<String> = [
        couldNotConnect, "the server's host name could not be found", "no network connection", "a secure connection could not be made",
    ]
    public static let couldNotConnect = "could not connect to the server"

    /// The status of the answer the server began, when it began one.
    public var answeredStatus: Int? {
        if case .answerTooLarge(_, let status) = self { return status }
        return nil
    }
}

/// Something that can be cancelled: an in-flight request.
public protocol Cancellable: Sendable {
    func cancel()
}

/// Sends one request. The client never talks to URLSession directly, so tests can put a faulty
/// transport in its place.
public protocol HTTPTransport: Sendable {
    @discardableResult
    func send(_ request: HTTPRequest, completion: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> any Cancellable
}

/// The production transport over URLSession. Answers are gathered as they arrive, so one past its
/// size cap is cut off there instead of filling memory.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession
    private let answers: AnswerCollector

    public init() {
        let configuration = Self.keepingNothing()
        configuration.httpMaximumConnectionsPerHost = 4
        answers = AnswerCollector()
        session = URLSession(configuration: configuration, delegate: answers, delegateQueue: nil)
    }

    /// A configuration that stores nothing anywhere. Not `.ephemeral`: on Linux each of those makes
    /// a URLCache, and each URLCache a folder in ~/.cache. Without a cache, cookies or credentials
    /// stored, `.default` keeps nothing either.
    public static func keepingNothing() -> URLSessionConfiguration {
        placeSharedStoresAside()
        let configuration = URLSessionConfiguration.default
        configuration.urlCache = nil
        configuration.httpShouldSetCookies = false
        configuration.httpCookieStorage = nil
        configuration.urlCredentialStorage = nil
        return configuration
    }

    public func send(_ request: HTTPRequest, completion: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> any Cancellable {
        var urlRequest = URLRequest(url: request.url, timeoutInterval: request.timeout)
        urlRequest.httpMethod = request.method.rawValue
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body
        let once = CompletionOnce(completion)
        let task = session.dataTask(with: urlRequest)
        answers.expect(task, limit: request.maximumAnswerBytes, once: once)
        task.resume()
        // FoundationNetworking on Linux lets a server that accepts and never answers hold a request
        // forever, whatever its timeoutInterval: this deadline is ours.
        DispatchQueue.global().asyncAfter(deadline: .now() + request.timeout) { [weak task] in
            if once.finish(.failure(.timedOut)) { task?.cancel() }
        }
        return DataTaskHandle(task: task)
    }

    /// FoundationNetworking makes `~/.cache/org.swift.foundation.URLCache/<program>` and
    /// `~/.local/share/<program>` for its shared cache and cookie store the first time any session
    /// configuration is made, although ventia uses neither. Made once with both homes pointed at a
    /// scratch folder that is then removed, they leave nothing outside ventia's own folders.
    public static func placeSharedStoresAside() { _ = sharedStoresPlacedAside }

    private static let sharedStoresPlacedAside: Void = {
        let names = ["XDG_CACHE_HOME", "XDG_DATA_HOME"]
        let saved = names.map { name in getenv(name).map { String(cString: $0) } }
        var template = Array((NSTemporaryDirectory() + "/ventia-foundation-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) else { return }
        let scratch = String(cString: made)
        for name in names { setenv(name, scratch, 1) }
        _ = URLSessionConfiguration.default
        for (name, value) in zip(names, saved) {
            if let value { setenv(name, value, 1) } else { unsetenv(name) }
        }
        try? FileManager.default.removeItem(atPath: scratch)
    }()

    /// Keeps only the URLError code's meaning: its userInfo carries the URL, and the URL the key.
    static func failure(from error: any Error) -> TransportFailure {
        guard let urlError = error as? URLError else { return .failed("the request failed") }
        switch urlError.code {
        case .timedOut: return .timedOut
        case .cancelled: return .cancelled
        case .cannotConnectToHost: return .failed(TransportFailure.couldNotConnect)
        case .cannotFindHost, .dnsLookupFailed: return .failed("the server's host name could not be found")
        case .notConnectedToInternet: return .failed("no network connection")
        case .networkConnectionLost: return .failed("the connection was lost")
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            return .failed("a secure connection could not be made")
        case .badServerResponse: return .failed("the server sent a malformed answer")
        default: return .failed("the request failed (code \(urlError.code.rawValue))")
        }
    }
}

/// Gathers each task's answer as it arrives and cuts off one that grows past its limit.
private final class AnswerCollector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private struct Pending {
        var limit: Int
        var once: CompletionOnce
        var data = Data()
    }

    private let lock = NSLock()
    private var pending: [Int: Pending] = [:]

    func expect(_ task: URLSessionTask, limit: Int, once: CompletionOnce) {
        lock.withLock { pending[task.taskIdentifier] = Pending(limit: limit, once: once) }
    }

    private func take(_ task: URLSessionTask) -> Pending? {
        lock.withLock { pending.removeValue(forKey: task.taskIdentifier) }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let limit = lock.withLock { pending[dataTask.taskIdentifier]?.limit } ?? Int.max
        if response.expectedContentLength > Int64(limit), let refused = take(dataTask) {
            // Not the `.cancel` disposition: after it the transfer runs on to its end, unstoppable.
            completionHandler(.allow)
            Self.stop(dataTask)
            refused.once.finish(.failure(.answerTooLarge(limit: limit, status: Self.status(of: response))))
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let overflow = lock.withLock { () -> Pending? in
            guard var entry = pending[dataTask.taskIdentifier] else {
                // Already answered (cut off, or past its deadline) and still arriving: the cancel
                // has not landed yet, so ask again.
                Self.stop(dataTask)
                return nil
            }
            guard entry.data.count + data.count <= entry.limit else {
                pending[dataTask.taskIdentifier] = nil
                return entry
            }
            entry.data.append(data)
            pending[dataTask.taskIdentifier] = entry
            return nil
        }
        if let overflow {
            Self.stop(dataTask)
            overflow.once.finish(.failure(.answerTooLarge(limit: overflow.limit, status: dataTask.response.map(Self.status(of:)) ?? 0)))
        }
    }

    /// Cancels from outside the delegate callback: FoundationNetworking ignores a cancel made
    /// inside one and goes on downloading.
    static func stop(_ task: URLSessionTask) {
        DispatchQueue.global().async { task.cancel() }
    }

    static func status(of response: URLResponse) -> Int { (response as? HTTPURLResponse)?.statusCode ?? 0 }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let entry = take(task) else { return }
        if let error {
            entry.once.finish(.failure(URLSessionTransport.failure(from: error)))
            return
        }
        guard let http = task.response as? HTTPURLResponse else {
            entry.once.finish(.failure(.failed("the answer was not HTTP")))
            return
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name] = value }
        }
        entry.once.finish(.success(HTTPResponse(status: http.statusCode, headers: headers, body: entry.data)))
    }
}

/// Hands a request's result on once: the answer or the deadline, whichever comes first.
private final class CompletionOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var completion: (@Sendable (Result<HTTPResponse, TransportFailure>) -> Void)?

    init(_ completion: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) { self.completion = completion }

    @discardableResult
    func finish(_ result: Result<HTTPResponse, TransportFailure>) -> Bool {
        lock.lock()
        let pending = completion
        completion = nil
        lock.unlock()
        pending?(result)
        return pending != nil
    }
}

private final class DataTaskHandle: Cancellable, @unchecked Sendable {
    let task: URLSessionDataTask
    init(task: URLSessionDataTask) { self.task = task }
    func cancel() { task.cancel() }
}
