import Foundation
import Logging
import VentiaAPI

/// How to run the local server.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 binds a free port.
    public var port: Int
    public var seed: UInt64
    public var contactCount: Int
    public var saleCount: Int
    public var rateLimit: Int
    public var rateWindow: TimeInterval
    public var sendsRateHeaders: Bool
    /// Load the store from here at start and save it on every change.
    public var dataFile: URL?
    public var clock: any VentiaClock
    /// Seconds a connection may sit without a complete request (or between requests) before it is closed.
    public var idleTimeout: TimeInterval
    /// Connections served at once; further ones wait in the listen backlog.
    public var maximumConnections: Int
    /// Where the server logs; quiet by default so it never writes over a terminal UI.
    public var logger: Logger
    /// Test mode: webhooks may call back `http://` URLs (the contract demands `https://`).
    public var allowsPlainHTTPWebhooks = false
    /// Every this many seconds, an inbound WhatsApp message (and its read status) is simulated
    /// and delivered to the webhooks; nil never.
    public var simulatedWhatsAppInterval: TimeInterval?
    /// Test mode: every successful answer carries exactly the fields of the reference's sample for
    /// its endpoint, no more (and no rate headers, which the reference does not document either).
    public var answersInReferenceShapes = false
    /// Pauses before each retry of a webhook delivery.
    public var webhookRetryPauses: [TimeInterval] = [1, 2, 4, 8, 16]

    public init(
        host: String = "127.0.0.1", port: Int = 0, seed: UInt64 = 1, contactCount: Int = 500, saleCount: Int = 200, rateLimit: Int = 200,
        rateWindow: TimeInterval = 60, sendsRateHeaders: Bool = true, dataFile: URL? = nil, clock: any VentiaClock = SystemClock(),
        idleTimeout: TimeInterval = 30, maximumConnections: Int = 256,
        logger: Logger = Logger(label: "ventia-server", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.host = host
        self.port = port
        self.seed = seed
        self.contactCount = contactCount
        self.saleCount = saleCount
        self.rateLimit = rateLimit
        self.rateWindow = rateWindow
        self.sendsRateHeaders = sendsRateHeaders
        self.dataFile = dataFile
        self.clock = clock
        self.idleTimeout = idleTimeout
        self.maximumConnections = maximumConnections
        self.logger = logger
    }
}

/// An account's demo keys, as printed at start.
public struct DemoAccount: Sendable, Equatable, Codable {
    public var account: String
    public var keys: [String]
}
