import Foundation
import Logging
import VentiaAPI

/// How to run one gateway replica. Every replica of a team is given the same upstream, limit and
/// database; nothing else is shared between them.
public struct GatewayConfiguration: Sendable {
    public var host: String
    /// 0 binds a free port.
    public var port: Int
    /// The real API's base, e.g. `https://api.getventia.com/api/v1.0`.
    public var upstream: URL
    /// The account's real key; held in memory only, never written to the database or a log.
    public var upstreamKey: APIKey
    public var database: DatabaseURL
    /// The account's name in the ledger: replicas of one team use the same one.
    public var account: String = "default"
    /// Upstream requests allowed in any rolling window of `window` seconds (the API's 200 a minute).
    public var limit: Int = 200
    /// Requests of each window left for keys used outside the gateway.
    public var reserve: Int = 10
    public var window: Int = 60
    /// Seconds a request may wait in the gateway's queue before it is answered 429.
    public var maximumWait: Double = 10
    /// Seconds an upstream answer to a GET is served again without asking (0: never).
    public var cacheSeconds: Double = 5
    /// Seconds an upstream request may take before the agent gets 504.
    public var upstreamTimeout: Double = 30
    /// Largest upstream answer read; a larger one is cut off and answered 502.
    public var maximumAnswerBytes: Int = 8 << 20
    /// Largest request body an agent may send (the API's own 1 MB).
    public var maximumBodyBytes: Int = 1 << 20
    /// How long a request waits for PostgreSQL before it is answered 503.
    public var databaseDeadline: Duration = .seconds(3)
    /// Connections to PostgreSQL this replica keeps at most.
    public var databaseConnections: Int = 16
    /// Seconds between the team copy's sync rounds; nil keeps no copy (every read is forwarded).
    public var syncSeconds: Double? = 10
    /// Seconds after its last round the copy still answers reads itself.
    public var freshSeconds: Double = 15
    /// Shifts the ledger's clock (PostgreSQL's) by this many seconds; tests move time with it.
    public var ledgerTimeShift = LedgerTimeShift()
    public var logger: Logger

    public init(
        host: String = "127.0.0.1", port: Int = 8080, upstream: URL, upstreamKey: APIKey, database: DatabaseURL,
        logger: Logger = Logger(label: "ventia-gateway", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.host = host
        self.port = port
        self.upstream = upstream
        self.upstreamKey = upstreamKey
        self.database = database
        self.logger = logger
    }

    /// The upstream requests each lane may have in the window. A team's background sync may take
    /// half of it and its writes (a bulk transfer) all but a sixth, so that however the minute
    /// began, people at their screens still find room.
    public static func threshold(for lane: RequestLane, limit: Int) -> Int {
        switch lane {
        case .interactive: limit
        case .outbox: limit - max(1, limit / 6)
        case .background: limit / 2
        }
    }
}

/// Seconds added to PostgreSQL's clock in the ledger: 0 in service, moved forward by tests so a
/// window passes without sleeping it out.
public final class LedgerTimeShift: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Double = 0

    public init() {}

    public var value: Double { lock.withLock { seconds } }

    public func advance(by delta: Double) { lock.withLock { seconds += delta } }
}
