import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The production transport over AsyncHTTPClient. The answer streams in with back-pressure, so one
/// past its size cap stops being read there (the connection is closed); a cancel closes the
/// connection too. A request is written once: nothing here sends it again after a lost connection.
/// Connections are kept alive between requests, in one pool per proxy, made on first use.
public final class AsyncHTTPClientTransport: HTTPTransport {
    /// The process's transport: its connections are shared by every client made without one.
    public static let shared = AsyncHTTPClientTransport()

    private let proxies: ProxySettings
    private let tlsConfiguration: TLSConfiguration?
    private let pools = PoolsByProxy()

    /// `proxies`: read from the environment by default (`https_proxy`, `http_proxy`, `no_proxy`).
    /// `tlsConfiguration`: nil verifies certificates against the system's roots.
    public init(
        proxies: ProxySettings = ProxySettings(environment: ProcessInfo.processInfo.environment), tlsConfiguration: TLSConfiguration? = nil
    ) {
        self.proxies = proxies
        self.tlsConfiguration = tlsConfiguration
    }

    deinit { pools.shutDown() }

    /// The pool for `url`'s proxy (or none), made on its first request.
    private func client(for url: URL) -> HTTPClient {
        pools.client(for: proxies.proxy(for: url)) { [tlsConfiguration] proxy in Self.makeClient(proxy: proxy, tlsConfiguration: tlsConfiguration) }
    }

    public func send(_ request: HTTPRequest, completion: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> any Cancellable {
        let outgoing: HTTPClient.Request
        do {
            var headers = HTTPHeaders()
            for (name, value) in request.headers { headers.add(name: name, value: value) }
            outgoing = try HTTPClient.Request(
                url: request.url.absoluteString, method: NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue), headers: headers,
                body: request.body.map { .bytes($0) })
        } catch {
            completion(.failure(.failed(.badAddress)))
            return NoRequest()
        }
        let client = client(for: request.url)
        let collector = CappedAnswer(limit: request.maximumAnswerBytes)
        let task = client.execute(
            request: outgoing, delegate: collector, deadline: .now() + .nanoseconds(Int64(max(0, request.timeout) * 1_000_000_000)))
        task.futureResult.whenComplete { result in
            completion(result.mapError { Self.failure(from: $0) })
        }
        return RequestTask(task: task)
    }

    private static func makeClient(proxy: ProxyServer?, tlsConfiguration: TLSConfiguration?) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = tlsConfiguration
        // A redirect would send a write again elsewhere; the API does not redirect.
        configuration.redirectConfiguration = .disallow
        // One protocol whose lost answers are plain: HTTP/2 may re-issue streams a GOAWAY named unprocessed.
        configuration.httpVersion = .http1Only
        // A refused connection fails the request at once, instead of being retried until its deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 6
        configuration.timeout = .init(connect: .seconds(10))
        if let proxy {
            let authorization = proxy.username.map { HTTPClient.Authorization.basic(username: $0, password: proxy.password ?? "") }
            configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization)
        }
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    /// Keeps only the meaning of an error: its text may carry the URL, and the URL the key.
    static func failure(from error: any Error) -> TransportFailure {
        if let capped = error as? CappedAnswer.TooLarge { return .answerTooLarge(limit: capped.limit, status: capped.status) }
        if let client = error as? HTTPClientError {
            switch client {
            case .cancelled: return .cancelled
            case .deadlineExceeded, .readTimeout, .writeTimeout: return .timedOut
            case .connectTimeout, .getConnectionFromPoolTimeout: return .failed(.couldNotConnect)
            case .tlsHandshakeTimeout: return .failed(.secureConnectionFailed)
            case .remoteConnectionClosed: return .failed(.connectionLost)
            case .proxyAuthenticationRequired: return .failed(.proxyNeedsCredentials)
            case .invalidProxyResponse, .httpProxyHandshakeTimeout: return .failed(.proxyRefused)
            case .redirectLimitReached, .redirectCycleDetected: return .failed(.redirected)
            default: return .failed(.malformedAnswer)
            }
        }
        if let tls = error as? NIOSSLError {
            if case .handshakeFailed(let reason) = tls, "\(reason)".contains("CERTIFICATE_VERIFY_FAILED") {
                return .failed(.untrustedCertificate)
            }
            return .failed(.secureConnectionFailed)
        }
        if error is NIOSSLExtraError { return .failed(.untrustedCertificate) }
        if let connect = error as? NIOConnectionError {
            return .failed(connect.connectionErrors.isEmpty ? .hostNotFound : .couldNotConnect)
        }
        if error is SocketAddressError { return .failed(.hostNotFound) }
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED, EHOSTUNREACH: return .failed(.couldNotConnect)
            case ENETUNREACH, ENETDOWN: return .failed(.noNetwork)
            case ECONNRESET, EPIPE: return .failed(.connectionLost)
            default: return .failed(.other(code: io.errnoCode))
            }
        }
        if let channel = error as? ChannelError {
            switch channel {
            case .connectTimeout: return .failed(.couldNotConnect)
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed: return .failed(.connectionLost)
            default: return .failed(.other(code: nil))
            }
        }
        return .failed(.other(code: nil))
    }
}

/// The clients of one transport, one per proxy (nil: direct), made when first needed.
private final class PoolsByProxy: @unchecked Sendable {
    private let lock = NSLock()
    private var clients: [ProxyServer?: HTTPClient] = [:]

    func client(for proxy: ProxyServer?, make: (ProxyServer?) -> HTTPClient) -> HTTPClient {
        lock.withLock {
            if let existing = clients[proxy] { return existing }
            let made = make(proxy)
            clients[proxy] = made
            return made
        }
    }

    /// Without waiting: requests still running are cancelled.
    func shutDown() {
        for client in lock.withLock({ Array(clients.values) }) { client.shutdown { _ in } }
    }
}

/// Gathers an answer's head and body on the request's event loop, and stops the reading (failing
/// the request, which closes its connection) as soon as the body would pass `limit`.
private final class CappedAnswer: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = HTTPResponse

    struct TooLarge: Error {
        var limit: Int
        var status: Int
    }

    private let limit: Int
    // Touched only on the request's event loop, one call at a time.
    private var status = 0
    private var headers: [String: String] = [:]
    private var body: [UInt8] = []

    init(limit: Int) { self.limit = limit }

    func didReceiveHead(task: HTTPClient.Task<HTTPResponse>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        status = Int(head.status.code)
        for (name, value) in head.headers where headers[name.lowercased()] == nil { headers[name.lowercased()] = value }
        if let announced = head.headers.first(name: "content-length").flatMap(Int.init), announced > limit {
            return task.eventLoop.makeFailedFuture(TooLarge(limit: limit, status: status))
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<HTTPResponse>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        guard body.count + buffer.readableBytes <= limit else {
            return task.eventLoop.makeFailedFuture(TooLarge(limit: limit, status: status))
        }
        body.append(contentsOf: buffer.readableBytesView)
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<HTTPResponse>) throws -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: Data(body))
    }
}

private struct RequestTask: Cancellable {
    let task: HTTPClient.Task<HTTPResponse>
    func cancel() { task.cancel() }
}

private struct NoRequest: Cancellable {
    func cancel() {}
}
