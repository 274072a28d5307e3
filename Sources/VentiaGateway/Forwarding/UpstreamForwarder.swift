import Foundation
import VentiaAPI

/// Sends one request to the real API with the account's key, through the same AsyncHTTPClient
/// transport the client uses: the answer is read with back-pressure and cut off past the cap, a
/// cancel closes the connection, and nothing is ever sent twice.
struct UpstreamForwarder: Sendable {
    let base: URL
    let key: APIKey
    let transport: any HTTPTransport
    let timeout: Double
    let maximumAnswerBytes: Int

    /// The upstream's headers an agent sees; the rest (its own rate headers among them) are the gateway's.
    static let passedHeaders = ["Content-Type", "Retry-After"]

    enum Outcome: Sendable {
        case answered(HTTPResponse, elapsed: Duration)
        case failed(TransportFailure)
    }

    func send(_ request: GatewayRequest) async -> Outcome {
        guard let url = request.upstreamURL(base: base, key: key), let method = HTTPMethod(rawValue: request.method) else {
            return .failed(.failed(.badAddress))
        }
        var headers = ["Accept": "application/json"]
        if let contentType = request.contentType { headers["Content-Type"] = contentType }
        let outgoing = HTTPRequest(method: method, url: url, headers: headers, body: request.body, timeout: timeout, maximumAnswerBytes: maximumAnswerBytes)
        let started = ContinuousClock.now
        switch await exchange(outgoing) {
        case .success(let answer): return .answered(answer, elapsed: ContinuousClock.now - started)
        case .failure(let failure): return .failed(failure)
        }
    }

    /// One request through the transport, cancelled with the task that awaits it.
    private func exchange(_ request: HTTPRequest) async -> Result<HTTPResponse, TransportFailure> {
        let box = CancelBox()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPResponse, TransportFailure>, Never>) in
                box.set(transport.send(request) { continuation.resume(returning: $0) })
            }
        } onCancel: {
            box.cancel()
        }
    }

    /// Reachable: any HTTP answer to a request without a key (a 401, which costs no budget).
    func probe() async -> Bool {
        var text = base.absoluteString
        if text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text + "/user") else { return false }
        if case .success = await exchange(HTTPRequest(method: .get, url: url, timeout: min(timeout, 5), maximumAnswerBytes: 64 << 10)) { return true }
        return false
    }

    /// What an agent is told when the upstream gave no usable answer.
    func failureAnswer(_ failure: TransportFailure) -> GatewayAnswer {
        switch failure {
        case .timedOut:
            return .failure(504, "The Ventia API did not answer within \(String(format: "%g", timeout)) seconds; the request may have been carried out there")
        case .answerTooLarge(let limit, let status):
            return .failure(502, "The Ventia API's answer (status \(status)) was larger than \(limit >> 20) MB; the gateway cut it off")
        case .cancelled:
            return .failure(502, "The request to the Ventia API was cancelled")
        case .failed(let failure):
            let sent = failure.neverSent ? "nothing was sent" : "the request may have been carried out there"
            return .failure(502, "The gateway could not reach the Ventia API (\(failure)); \(sent)")
        }
    }
}

/// Holds an in-flight request so a cancel that comes first, or later, still reaches it.
final class CancelBox: @unchecked Sendable {
    private let lock = NSLock()
    private var request: (any Cancellable)?
    private var cancelled = false

    func set(_ request: any Cancellable) {
        let cancelNow = lock.withLock { () -> Bool in
            self.request = request
            return cancelled
        }
        if cancelNow { request.cancel() }
    }

    func cancel() {
        let request = lock.withLock { () -> (any Cancellable)? in
            cancelled = true
            return self.request
        }
        request?.cancel()
    }
}
