import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals
import VentiaAPI

/// One gateway replica: opens the database (migrating it), finds the account's ledger, and serves
/// agents on Hummingbird until stopped. `stop` stops accepting, finishes what is in flight, then
/// closes the database.
public final class TeamGateway: Sendable {
    public let port: Int
    public let host: String
    public let service: GatewayService
    private let database: GatewayDatabase
    private let serviceGroup: ServiceGroup
    private let runTask: Task<Void, Never>

    public var baseURL: URL { URL(string: "http://\(host):\(port)\(GatewayRequest.basePath)") ?? URL(fileURLWithPath: "/") }

    /// Starts serving and returns once the port is bound. `shutdownSignals`: the signals that stop
    /// it gracefully (the executable passes SIGTERM and SIGINT; tests call `stop`).
    public static func start(
        _ configuration: GatewayConfiguration, transport: any HTTPTransport = AsyncHTTPClientTransport.shared,
        shutdownSignals: [UnixSignal] = []
    ) async throws -> TeamGateway {
        let database = try await GatewayDatabase.open(
            configuration.database, maximumConnections: configuration.databaseConnections, deadline: configuration.databaseDeadline, logger: configuration.logger)
        let ledger: BudgetLedger
        let copy: TeamCopy
        do {
            ledger = try await BudgetLedger.open(
                database, account: configuration.account, limit: configuration.limit, reserve: configuration.reserve, window: configuration.window,
                shift: configuration.ledgerTimeShift)
            copy = try await TeamCopy.open(database, accountID: ledger.accountID)
        } catch {
            database.close()
            throw error
        }
        let service = GatewayService(configuration: configuration, database: database, ledger: ledger, copy: copy, transport: transport)
        service.startCopy()
        let bound = OneShot<Int>()
        let maximumBody = configuration.maximumBodyBytes
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            await Self.respond(to: request, with: service, maximumBody: maximumBody)
        }
        let application = Application(
            responder: responder,
            server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: .seconds(60))),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in bound.fulfil(.success(channel.localAddress?.port ?? configuration.port)) },
            logger: configuration.logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [application, CopyShutdown(service: service)], gracefulShutdownSignals: shutdownSignals, logger: configuration.logger))
        let task = Task.detached {
            do {
                try await group.run()
                bound.fulfil(.failure(GatewayStartError(reason: "the gateway stopped before it was ready")))
            } catch {
                bound.fulfil(.failure(GatewayStartError(reason: "could not listen on \(configuration.host):\(configuration.port): \(error)")))
            }
        }
        let port: Int
        do {
            port = try await bound.value()
        } catch {
            service.stopCopy()
            database.close()
            throw error
        }
        return TeamGateway(port: port, host: configuration.host, service: service, database: database, serviceGroup: group, runTask: task)
    }

    private init(port: Int, host: String, service: GatewayService, database: GatewayDatabase, serviceGroup: ServiceGroup, runTask: Task<Void, Never>) {
        self.port = port
        self.host = host
        self.service = service
        self.database = database
        self.serviceGroup = serviceGroup
        self.runTask = runTask
    }

    /// Suspends until the gateway has stopped (by a signal, or `stop`), then closes the database.
    public func waitUntilStopped() async {
        await runTask.value
        service.stopCopy()
        service.notices.stop()
        database.close()
    }

    /// Stops accepting, finishes what is in flight, closes the database.
    public func stop() async {
        await serviceGroup.triggerGracefulShutdown()
        await waitUntilStopped()
    }

    static func respond(to request: Request, with service: GatewayService, maximumBody: Int) async -> Response {
        let path = request.uri.path
        switch (request.method, path) {
        case (.get, "/healthz"): return response(.text(200, "{\"success\":true,\"status\":\"up\"}", contentType: "application/json"))
        case (.get, "/readyz"): return response(await service.readiness())
        case (.get, "/metrics"): return response(.text(200, service.metrics.text(), contentType: "text/plain; version=0.0.4"))
        default: break
        }
        let fields = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
        guard var gatewayRequest = GatewayRequest(method: request.method.rawValue, target: request.uri.description, headerFields: fields) else {
            return response(.failure(404, "Not found: the API is served under \(GatewayRequest.basePath)"))
        }
        if request.method != .get {
            do {
                var buffer = try await request.body.collect(upTo: maximumBody)
                gatewayRequest.body = buffer.readData(length: buffer.readableBytes)
            } catch {
                var refused = response(.failure(413, "The request body is larger than \(maximumBody) bytes"))
                refused.headers[.connection] = "close"
                return refused
            }
        }
        let started = ContinuousClock.now
        var answer = await service.answer(gatewayRequest)
        // The whole time inside the gateway, beside the parts the service named (budget, upstream).
        let inside = String(format: "gateway;dur=%.2f", (ContinuousClock.now - started).seconds * 1000)
        answer.headers["Server-Timing"] = answer.headers["Server-Timing"].map { $0 + ", " + inside } ?? inside
        return response(answer)
    }

    static func response(_ answer: GatewayAnswer) -> Response {
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        if let stream = answer.stream {
            return Response(status: HTTPResponse.Status(code: answer.status), headers: fields, body: ResponseBody { writer in
                try await stream { text in try await writer.write(ByteBuffer(string: text)) }
                try await writer.finish(nil)
            })
        }
        return Response(status: HTTPResponse.Status(code: answer.status), headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}

/// Ends the copy's sync, long polls and event streams when the replica is asked to stop (it is
/// shut down before the server, which then waits only for ordinary requests).
struct CopyShutdown: Service {
    let service: GatewayService

    func run() async throws {
        try? await gracefulShutdown()
        service.stopCopy()
    }
}

public struct GatewayStartError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
