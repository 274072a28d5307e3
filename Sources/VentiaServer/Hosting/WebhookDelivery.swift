import Foundation
import Logging
import VentiaAPI

/// One event for the account's webhooks: what happened (`topic`) and the records it concerns, as
/// the API shows them.
struct WebhookEvent: Sendable {
    var topic: String
    var body: JSONValue
    /// The hooks that get it: active ones of the account subscribed to `topic`.
    var hooks: [WebhookRecord]
}

/// POSTs events to webhook callback URLs, outside any lock or transaction: each hook gets its own
/// attempts, retried with growing pauses after a failure (no answer, or a status other than 2xx),
/// every attempt logged. What the real service does is not in the contract; this is the shape
/// written into docs/server.md and the OpenAPI document.
final class WebhookDelivery: Sendable {
    /// Pauses before each retry; the attempts are one more than these.
    let pauses: [TimeInterval]
    private let logger: Logger
    private let transport: any HTTPTransport

    init(logger: Logger, pauses: [TimeInterval] = [1, 2, 4, 8, 16], transport: any HTTPTransport = AsyncHTTPClientTransport.shared) {
        self.logger = logger
        self.pauses = pauses
        self.transport = transport
    }

    func deliver(_ event: WebhookEvent) {
        for hook in event.hooks {
            var body = event.body
            if case .object(var fields) = body {
                fields["webhook"] = ["id": .string(hook.id), "name": .string(hook.name)]
                body = .object(fields)
            }
            guard let url = URL(string: hook.callbackUrl), let data = try? JSONEncoder().encode(body) else {
                logger.warning("webhook \(hook.name) (\(hook.id)): \(event.topic) not sent: its URL cannot be used")
                continue
            }
            attempt(1, data, to: url, hook: hook, topic: event.topic)
        }
    }

    private func attempt(_ number: Int, _ data: Data, to url: URL, hook: WebhookRecord, topic: String) {
        let headers = ["Content-Type": "application/json", "X-Ventia-Topic": topic, "X-Ventia-Attempt": String(number)]
        // A receiver's answer is not read, only its status: 64 KB of it is plenty.
        let request = HTTPRequest(method: .post, url: url, headers: headers, body: data, timeout: 10, maximumAnswerBytes: 64 << 10)
        transport.send(request) { [self] result in
            let status: Int? = switch result {
            case .success(let answer): answer.status
            case .failure(let failure): failure.answeredStatus
            }
            let outcome: String = switch result {
            case .success(let answer): "HTTP \(answer.status)"
            case .failure(.answerTooLarge(_, let status)): "HTTP \(status) (its answer cut off)"
            case .failure(.timedOut): "no answer (timed out)"
            case .failure(.cancelled): "no answer (cancelled)"
            case .failure(.failed(let reason)): "no answer (\(reason))"
            }
            if let status, (200..<300).contains(status) {
                logger.info("webhook \(hook.name) (\(hook.id)): \(topic) delivered on attempt \(number): \(outcome)")
                return
            }
            guard number <= pauses.count else {
                logger.warning("webhook \(hook.name) (\(hook.id)): \(topic) given up after \(number) attempts: \(outcome)")
                return
            }
            let pause = pauses[number - 1]
            logger.info("webhook \(hook.name) (\(hook.id)): \(topic) attempt \(number) failed: \(outcome); again in \(pause) s")
            DispatchQueue.global().asyncAfter(deadline: .now() + pause) { [self] in
                attempt(number + 1, data, to: url, hook: hook, topic: topic)
            }
        }
    }
}
