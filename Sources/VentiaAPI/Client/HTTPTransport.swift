import Foundation

/// A request as a transport sends it: method, full URL, headers and body.
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

/// An answer as a transport received it: status, headers and body bytes.
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
    /// The connection failed, in one of the ways a person and the outbox tell apart.
    case failed(ConnectionFailure)

    /// The status of the answer the server began, when it began one.
    public var answeredStatus: Int? {
        if case .answerTooLarge(_, let status) = self { return status }
        return nil
    }
}

/// How a connection failed. Whether a write may be sent again depends on the kind, never on the
/// wording: `neverSent` says no connection was made, so the request cannot have reached the server.
public enum ConnectionFailure: Sendable, Equatable, CustomStringConvertible {
    case couldNotConnect
    case hostNotFound
    case noNetwork
    case untrustedCertificate
    case secureConnectionFailed
    /// Closed or reset after the request may have gone: ambiguous.
    case connectionLost
    case proxyNeedsCredentials
    case proxyRefused
    case redirected
    case malformedAnswer
    case badAddress
    /// An error of the system's (an errno) or of the HTTP library that has no kind of its own.
    case other(code: Int32?)

    public var neverSent: Bool {
        switch self {
        case .couldNotConnect, .hostNotFound, .noNetwork, .untrustedCertificate, .secureConnectionFailed, .proxyNeedsCredentials, .proxyRefused,
            .badAddress:
            true
        case .connectionLost, .redirected, .malformedAnswer, .other: false
        }
    }

    public var description: String {
        switch self {
        case .couldNotConnect: "could not connect to the server"
        case .hostNotFound: "the server's host name could not be found"
        case .noNetwork: "no network connection"
        case .untrustedCertificate: "a secure connection could not be made: the server's certificate is not trusted"
        case .secureConnectionFailed: "a secure connection could not be made"
        case .connectionLost: "the connection was lost"
        case .proxyNeedsCredentials: "the proxy asks for a user name and password"
        case .proxyRefused: "the proxy did not open a connection to the server"
        case .redirected: "the server redirected the request"
        case .malformedAnswer: "the server sent a malformed answer"
        case .badAddress: "the request's address cannot be used"
        case .other(let code): code.map { "the request failed (error \($0))" } ?? "the request failed"
        }
    }
}

/// Something that can be cancelled: an in-flight request.
public protocol Cancellable: Sendable {
    func cancel()
}

/// Sends one request, exactly once: a transport never sends it again by itself (only the outbox
/// decides that). The client never talks to an HTTP library directly, so tests can put a faulty
/// transport in its place.
public protocol HTTPTransport: Sendable {
    @discardableResult
    func send(_ request: HTTPRequest, completion: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> any Cancellable
}
