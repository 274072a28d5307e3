import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import ServiceLifecycle
import VentiaAPI

/// The local Ventia on Hummingbird: start it in-process on a loopback port, use it, stop it.
public final class VentiaLocalServer: Sendable {
    public let port: Int
    public let host: String
    public let accounts: [DemoAccount]
    public let service: VentiaAPIService
    private let serviceGroup: ServiceGroup
    private let runTask: Task<Void, Never>
    private let store: StoreDatabase
    private let connections: OpenConnectionCount
    /// The timer of `--simulate-whatsapp`, stopped with the server.
    private let simulator: SimulatorTimer?

    /// Connections open right now (each one a socket the server holds).
    public var openConnections: Int { connections.value }

    /// The base URL clients use: `http://127.0.0.1:PORT/api/v1.0`.
    public var baseURL: URL {
        URL(string: "http://\(host):\(port)\(VentiaAPIService.basePath)") ?? URL(fileURLWithPath: "/")
    }

    /// Builds the store (seeded, or loaded from the data file) without serving it.
    public static func makeService(_ configuration: ServerConfiguration) throws -> (VentiaAPIService, [DemoAccount]) {
        let store = try StoreDatabase.open(configuration)
        let limiter = RateLimiter(limit: max(1, configuration.rateLimit), window: max(1, configuration.rateWindow), clock: configuration.clock)
        let service = VentiaAPIService(
            store: store, limiter: limiter, clock: configuration.clock,
            sendsRateHeaders: configuration.sendsRateHeaders && !configuration.answersInReferenceShapes, logger: configuration.logger,
            webhooks: WebhookDelivery(logger: configuration.logger, pauses: configuration.webhookRetryPauses),
            allowsPlainHTTPWebhooks: configuration.allowsPlainHTTPWebhooks, answersInReferenceShapes: configuration.answersInReferenceShapes)
        let accounts = store.catalog.accounts.map { DemoAccount(account: $0.name, keys: $0.keys) }
        return (service, accounts)
    }

    /// Starts serving and returns once the port is bound.
    public static func start(_ configuration: ServerConfiguration) async throws -> VentiaLocalServer {
        let (service, accounts) = try makeService(configuration)
        let boundPort = OneShot<Int>()
        let connections = OpenConnectionCount()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            await Self.respond(to: request, with: service)
        }
        let application = Application(
            responder: responder,
            server: .http1(
                configuration: HTTP1Channel.Configuration(
                    additionalChannelHandlers: [CloseAfterRefusalHandler()],
                    idleTimeout: .nanoseconds(Int64(configuration.idleTimeout * 1_000_000_000)))),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil,
                availableConnectionsDelegate: ConnectionGauge(maximum: max(1, configuration.maximumConnections), count: connections)),
            onServerRunning: { channel in boundPort.fulfil(.success(channel.localAddress?.port ?? configuration.port)) },
            logger: configuration.logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [application], gracefulShutdownSignals: [], logger: configuration.logger))
        let task = Task.detached {
            do {
                try await group.run()
                boundPort.fulfil(.failure(ServerStartError(reason: "the server stopped before it was ready")))
            } catch {
                boundPort.fulfil(.failure(ServerStartError(reason: "could not listen on \(configuration.host):\(configuration.port): \(error)")))
            }
        }
        let port = try await boundPort.value()
        let simulator = configuration.simulatedWhatsAppInterval.flatMap { interval in
            interval > 0 ? SimulatorTimer(every: interval) { service.simulateInboundWhatsApp() } : nil
        }
        return VentiaLocalServer(
            port: port, host: configuration.host, accounts: accounts, service: service, serviceGroup: group, runTask: task,
            store: service.store, connections: connections, simulator: simulator)
    }

    private init(
        port: Int, host: String, accounts: [DemoAccount], service: VentiaAPIService, serviceGroup: ServiceGroup, runTask: Task<Void, Never>,
        store: StoreDatabase, connections: OpenConnectionCount, simulator: SimulatorTimer?
    ) {
        self.simulator = simulator
        self.connections = connections
        self.port = port
        self.host = host
        self.accounts = accounts
        self.service = service
        self.serviceGroup = serviceGroup
        self.runTask = runTask
        self.store = store
    }

    /// Stops accepting and finishes what is in flight; every acknowledged write is already committed.
    public func stop() async {
        simulator?.cancel()
        await serviceGroup.triggerGracefulShutdown()
        await runTask.value
    }

    /// The key is checked from the head alone, so a caller without one never gets a body read; a
    /// refused body closes the connection (see `CloseAfterRefusalHandler`) instead of waiting on it.
    static func respond(to request: Request, with service: VentiaAPIService) async -> Response {
        let fields = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
        let head = ServerRequest(method: request.method.rawValue, target: request.uri.description, headerFields: fields)
        let caller: AccountRecord?
        switch service.admitHead(head) {
        case .success(let account): caller = account
        case .failure(let refusal): return hummingbirdResponse(refusal.response, closing: head.declaresBody)
        }
        let limit = VentiaAPIService.maximumBodyBytes
        let tooLarge = APIFailure(status: 413, message: "The request body is larger than \(limit) bytes")
        if let length = head.declaredLength, length > limit {
            return hummingbirdResponse(service.refuse(head, tooLarge, account: caller), closing: true)
        }
        var full = head
        // Nothing to wait for when the head announces no body (a GET, mostly).
        if !head.declaresBody { return hummingbirdResponse(service.handle(full, caller: caller), closing: false) }
        do {
            var buffer = try await request.body.collect(upTo: limit)
            full.body = buffer.readData(length: buffer.readableBytes) ?? Data()
        } catch {
            return hummingbirdResponse(service.refuse(head, tooLarge, account: caller), closing: true)
        }
        return hummingbirdResponse(service.handle(full, caller: caller), closing: false)
    }

    static func hummingbirdResponse(_ response: ServerResponse, closing: Bool) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        if closing { fields[.connection] = "close" }
        return Response(
            status: HTTPTypes.HTTPResponse.Status(code: response.status), headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body)))
    }
}

public struct ServerStartError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { "ventia-server: \(reason)" }
}

/// A repeating timer on a global queue, cancelled once (the simulator's).
final class SimulatorTimer: @unchecked Sendable {
    private let timer: any DispatchSourceTimer

    init(every interval: TimeInterval, _ work: @escaping @Sendable () -> Void) {
        timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler(handler: work)
        timer.resume()
    }

    func cancel() { timer.cancel() }
}
