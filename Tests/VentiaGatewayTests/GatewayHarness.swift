import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import PostgresTesting
import VentiaAPI
import VentiaGateway
import VentiaServer

/// What the gateway tests start: a database of their own on the run's PostgreSQL, an upstream
/// (the local server, whose every answer is counted), gateway replicas, agents' tokens.
enum GatewayHarness {
    static let upstreamKey = APIKey("DEMO0A1-VENTIA0-LOCAL00-KEY0001")

    /// A new database on the run's throwaway cluster (started, and the database made, on a thread
    /// of their own: the tasks' few threads must not wait on initdb).
    static func database() async throws -> DatabaseURL {
        try DatabaseURL(try await offThread { try ThrowawayPostgres.shared().makeDatabase("gateway") })
    }

    /// One SQL statement on a test's database, off the tasks' threads; what it printed.
    @discardableResult
    static func psql(_ sql: String, in url: DatabaseURL) async throws -> String {
        try await offThread { try ThrowawayPostgres.shared().psql(sql, database: url.database ?? "") }
    }

    static func open(_ url: DatabaseURL) async throws -> GatewayDatabase {
        try await GatewayDatabase.open(url, maximumConnections: 4, deadline: busyMachineDeadline, logger: quiet)
    }

    /// The whole suite loads a 2-core machine: PostgreSQL is given longer than in service, but for
    /// the test that means to see the deadline pass.
    static let busyMachineDeadline: Duration = .seconds(20)

    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The local server as the upstream, with `limit` requests a minute; `log` sees each answer.
    static func upstream(limit: Int = 200, contacts: Int = 60, log: UpstreamLog) async throws -> VentiaLocalServer {
        let configuration = ServerConfiguration(
            port: 0, contactCount: contacts, saleCount: 10, rateLimit: limit, rateWindow: 60,
            logger: Logger(label: "upstream", factory: { _ in log.handler() }).withLevel(.info))
        return try await VentiaLocalServer.start(configuration)
    }

    /// `syncSeconds`: nil keeps no team copy, so that a test counts only its own requests upstream.
    static func configuration(
        _ database: DatabaseURL, upstream: URL, limit: Int = 200, reserve: Int = 0, maxWait: Double = 5, cacheSeconds: Double = 5,
        syncSeconds: Double? = nil
    ) -> GatewayConfiguration {
        var configuration = GatewayConfiguration(host: "127.0.0.1", port: 0, upstream: upstream, upstreamKey: upstreamKey, database: database)
        configuration.limit = limit
        configuration.reserve = reserve
        configuration.maximumWait = maxWait
        configuration.cacheSeconds = cacheSeconds
        configuration.databaseConnections = 4
        configuration.databaseDeadline = busyMachineDeadline
        configuration.syncSeconds = syncSeconds
        return configuration
    }

    static func token(_ agent: String, in database: DatabaseURL) async throws -> String {
        let opened = try await open(database)
        defer { opened.close() }
        return try await TokenStore(opened).create(agent: agent)
    }

    /// The tests' HTTP client: many connections to one host, so concurrent requests really are.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 128
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    struct Answer: Sendable {
        var status: Int
        var headers: [String: String]
        var body: String

        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    static func get(_ base: URL, _ path: String, token: String?, lane: String? = nil, headers: [(String, String)] = []) async throws -> Answer {
        try await send("GET", base, path, token: token, lane: lane, headers: headers)
    }

    /// One request to a gateway; `token` as the `api-key` parameter.
    static func send(
        _ method: String, _ base: URL, _ path: String, token: String?, lane: String? = nil, headers: [(String, String)] = [], body: String? = nil
    ) async throws -> Answer {
        var target = base.absoluteString + path
        if let token { target += (path.contains("?") ? "&" : "?") + "api-key=" + token }
        var request = HTTPClientRequest(url: target)
        request.method = .init(rawValue: method)
        if let lane { request.headers.add(name: "Ventia-Lane", value: lane) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: .seconds(60))
        let collected = try await response.body.collect(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        return Answer(status: Int(response.status.code), headers: headers, body: String(buffer: collected))
    }
}

/// Every answer the upstream gave, from its request log: the method, the path and the status.
final class UpstreamLog: @unchecked Sendable {
    struct Entry: Equatable {
        var method: String
        var path: String
        var status: Int
    }

    private let lock = NSLock()
    private var entries: [Entry] = []

    var all: [Entry] { lock.withLock { entries } }
    var count: Int { lock.withLock { entries.count } }
    var refusals: Int { lock.withLock { entries.filter { $0.status == 429 }.count } }

    func note(_ message: String) {
        let parts = message.split(separator: " ")
        guard parts.count >= 3, let status = Int(parts[2]) else { return }
        let path = String(parts[1].split(separator: "?").first ?? "")
        lock.withLock { entries.append(Entry(method: String(parts[0]), path: path, status: status)) }
    }

    func handler() -> some LogHandler { Handler(log: self) }

    private struct Handler: LogHandler {
        let log: UpstreamLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            if event.level == .info { log.note(event.message.description) }
        }
    }
}

extension Logger {
    func withLevel(_ level: Logger.Level) -> Logger {
        var copy = self
        copy.logLevel = level
        return copy
    }
}

/// The usual set for a test: a database of its own, the local server upstream (its answers
/// counted in `log`), and one gateway replica in front of it.
struct GatewayTeam {
    let url: DatabaseURL
    let log: UpstreamLog
    let upstream: VentiaLocalServer
    let gateway: TeamGateway

    static func start(
        upstreamLimit: Int = 200, contacts: Int = 60, limit: Int = 200, reserve: Int = 0, maxWait: Double = 5, cacheSeconds: Double = 5,
        syncSeconds: Double? = nil
    ) async throws -> GatewayTeam {
        let url = try await GatewayHarness.database()
        let log = UpstreamLog()
        let upstream = try await GatewayHarness.upstream(limit: upstreamLimit, contacts: contacts, log: log)
        let gateway = try await TeamGateway.start(
            GatewayHarness.configuration(
                url, upstream: upstream.baseURL, limit: limit, reserve: reserve, maxWait: maxWait, cacheSeconds: cacheSeconds, syncSeconds: syncSeconds))
        return GatewayTeam(url: url, log: log, upstream: upstream, gateway: gateway)
    }

    func stop() async {
        await gateway.stop()
        await upstream.stop()
    }
}
