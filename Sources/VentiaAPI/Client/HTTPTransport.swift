import Foundation

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
        couldNotConnect, hostNotFound, noNetwork, untrustedCertificate, secureConnectionFailed,
    ]
    public static let couldNotConnect = "could not connect to the server"
    public static let hostNotFound = "the server's host name could not be found"
    public static let noNetwork = "no network connection"
    /// The connection closed or reset after the request may have gone: an ambiguous failure.
    public static let connectionLost = "the connection was lost"
    public static let untrustedCertificate = "a secure connection could not be made: the server's certificate is not trusted"
    public static let secureConnectionFailed = "a secure connection could not be made"

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

/// Sends one request, exactly once: a transport never sends it again by itself (only the outbox
/// decides that). The client never talks to an HTTP library directly, so tests can put a faulty
/// transport in its place.
public protocol HTTPTransport: Sendable {
    @discardableResult
    func send(_ request: HTTPRequest, completion: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> any Cancellable
}
