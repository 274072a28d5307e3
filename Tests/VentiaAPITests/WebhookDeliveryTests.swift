import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Testing
import VentiaAPI
@testable import VentiaServer

/// The local server calls its webhooks: a receiver on this machine (test mode allows `http://`)
/// gets each event, after a retry when it first answers 500, and an inactive hook gets nothing.
@Suite(.serialized) struct WebhookDeliveryTests {
    /// Records what reaches `/a` and `/b`; `/a` answers 500 to its first `failFirst` calls.
    final class Receiver: @unchecked Sendable {
        private let lock = NSLock()
        private var received: [(path: String, topic: String, attempt: String, body: JSONValue)] = []
        private var failuresLeft: Int
        private var task: Task<Void, any Error>?
        private var group: ServiceGroup?
        private(set) var port = 0

        init(failFirst: Int) { failuresLeft = failFirst }

        var calls: [(path: String, topic: String, attempt: String, body: JSONValue)] { lock.withLock { received } }

        func start() async throws {
            let router = Router()
            router.post("/:hook") { [self] request, context -> HTTPResponse.Status in
                let body = try await request.body.collect(upTo: 1 << 20)
                let json = (try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body))) ?? .null
                let path = "/" + (context.parameters.get("hook") ?? "")
                return lock.withLock {
                    received.append((path, request.headers[.init("X-Ventia-Topic")!] ?? "", request.headers[.init("X-Ventia-Attempt")!] ?? "", json))
                    if path == "/a" && failuresLeft > 0 {
                        failuresLeft -= 1
                        return .internalServerError
                    }
                    return .ok
                }
            }
            let bound = AsyncStream<Int>.makeStream()
            let app = Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in bound.continuation.yield(channel.localAddress?.port ?? 0) },
                logger: Logger(label: "receiver", factory: { _ in SwiftLogNoOpLogHandler() }))
            // No signal handlers: this runs inside the test process.
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [], logger: Logger(label: "receiver", factory: { _ in SwiftLogNoOpLogHandler() })))
            self.group = group
            task = Task { try await group.run() }
            for await port in bound.stream {
                self.port = port
                break
            }
        }

        func stop() {
            guard let group else { return }
            Task { await group.triggerGracefulShutdown() }
        }
    }

    func server() async throws -> VentiaLocalServer {
        var configuration = ServerConfiguration(port: 0, seed: 3, contactCount: 20, saleCount: 5)
        configuration.allowsPlainHTTPWebhooks = true
        configuration.webhookRetryPauses = [0.05, 0.1, 0.2]
        return try await VentiaLocalServer.start(configuration)
    }

    func hooks(_ server: VentiaLocalServer, _ receiver: Receiver) -> [String] {
        let service = server.service
        // The seeded hooks would call the network: they are switched off first.
        let seeded = raw(service, "GET", "/webhook").body["result"]?.arrayValue ?? []
        for hook in seeded {
            #expect(raw(service, "PATCH", "/webhook/\(hook["_id"]?.stringValue ?? "")", json: #"{"active":false}"#).status == 200)
        }
        let base = "http://127.0.0.1:\(receiver.port)"
        let active = raw(service, "POST", "/webhook", json: #"{"active":true,"name":"A","callbackUrl":"\#(base)/a","topics":["interactions.official_whatsapp","interactions.official_whatsapp_statuses"]}"#)
        let inactive = raw(service, "POST", "/webhook", json: #"{"active":false,"name":"B","callbackUrl":"\#(base)/b","topics":["interactions.official_whatsapp"]}"#)
        #expect(active.status == 200 && inactive.status == 200)
        return [active.body["id"]?.stringValue ?? "", inactive.body["id"]?.stringValue ?? ""]
    }

    @Test func aSentMessageIsDeliveredRetriedAfterA500AndNeverToAnInactiveHook() async throws {
        let receiver = Receiver(failFirst: 1)
        try await receiver.start()
        defer { receiver.stop() }
        let server = try await server()
        defer { Task { await server.stop() } }
        _ = hooks(server, receiver)
        let contacts = raw(server.service, "GET", "/contact?limit=20").body.arrayValue ?? []
        let contact = try #require(contacts.first { !($0["channels"]?.arrayValue ?? []).isEmpty })
        let channel = try #require(contact["channels"]?.arrayValue?.first?.stringValue)
        let contactId = try #require(contact["_id"]?.stringValue)
        let sent = raw(server.service, "POST", "/whatsapp/\(channel)/\(contactId)/message", json: #"{"message":{"type":"template","template":{"name":"saludo","language":{"code":"es"}}}}"#)
        #expect(sent.status == 200)

        let deadline = Date().addingTimeInterval(10)
        while receiver.calls.count < 2 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(300))
        let calls = receiver.calls
        #expect(calls.map(\.path) == ["/a", "/a"], "the 500 was retried once; the inactive hook got nothing")
        #expect(calls.map(\.attempt) == ["1", "2"])
        let event = try #require(calls.last?.body)
        #expect(event["topic"]?.stringValue == "interactions.official_whatsapp")
        #expect(event["contact"]?["_id"]?.stringValue == contactId)
        #expect(event["interaction"]?["type"]?.stringValue == "official_whatsapp")
        #expect(event["interaction"]?["content"]?["direction"]?.stringValue == "outbound")
        #expect(event["account"]?["name"]?.stringValue == "Inmobiliaria Rambla")
        #expect(event["webhook"]?["name"]?.stringValue == "A")
    }

    @Test func aSimulatedInboundMessageAndItsStatusReachTheHooksOfEachTopic() async throws {
        let receiver = Receiver(failFirst: 0)
        try await receiver.start()
        defer { receiver.stop() }
        let server = try await server()
        defer { Task { await server.stop() } }
        _ = hooks(server, receiver)
        server.service.simulateInboundWhatsApp()
        let deadline = Date().addingTimeInterval(10)
        while receiver.calls.count < 2 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let topics = receiver.calls.map(\.topic).sorted()
        #expect(topics == ["interactions.official_whatsapp", "interactions.official_whatsapp_statuses"])
        let status = try #require(receiver.calls.first { $0.topic.hasSuffix("statuses") }?.body["status"])
        #expect(status["status"]?.stringValue == "read")
        let message = try #require(receiver.calls.first { $0.topic == "interactions.official_whatsapp" }?.body)
        #expect(message["interaction"]?["content"]?["direction"]?.stringValue == "inbound")
        // It is in the timeline as the API shows it.
        let contactId = try #require(message["contact"]?["_id"]?.stringValue)
        let timeline = raw(server.service, "GET", "/contact/\(contactId)/interactions").body.arrayValue ?? []
        #expect(timeline.first?["_id"] == message["interaction"]?["_id"])
    }

    @Test func plainHTTPIsRefusedOutsideTestMode() throws {
        let service = try makeService()
        let refused = raw(service, "POST", "/webhook", json: #"{"active":true,"name":"L","callbackUrl":"http://127.0.0.1:9/x","topics":[]}"#)
        #expect(refused.status == 400)
        #expect(refused.body["errors"]?.arrayValue?.first?["field"]?.stringValue == "callbackUrl")
    }
}
