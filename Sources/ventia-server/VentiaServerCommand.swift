import ArgumentParser
import Dispatch
import Foundation
import Logging
import VentiaServer

/// `ventia-server`: the local Ventia-compatible server, for demos, tests and integrators.
@main
struct VentiaServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ventia-server",
        abstract: "A local server that speaks the Ventia CRM public API, with seeded demo data.",
        discussion: """
            At start it prints one JSON line: the port, the base URL and the demo accounts' API keys.
            Stop it with Ctrl-C (or SIGTERM); with --data every change is committed to the SQLite file \
            before it is answered.
            """,
        version: "0.1.0")

    /// `swift run ventia-server -- --port 0` hands the `--` on; the options after it are still options.
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--" { arguments.removeFirst() }
        await main(arguments)
    }

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one.") var port = 8080
    @Option(help: "Seed of the generated demo data.") var seed: UInt64 = 1
    @Option(help: "Contacts in the main demo account.") var contacts = 500
    @Option(help: "Sales in the main demo account.") var sales = 200
    @Option(help: "Requests allowed per account in one window.") var rateLimit = 200
    @Option(help: "Length of the rate window in seconds.") var rateWindow = 60
    @Flag(help: "Do not send X-RateLimit-* headers (the real API documents none).") var noRateHeaders = false
    @Option(help: "Keep the store in this SQLite file (seeded once if missing); a JSON data file of earlier versions is imported.") var data: String?
    @Option(help: "Seconds a connection may wait without a complete request before it is closed.") var idleTimeout = 30.0
    @Option(help: "Connections served at once; more wait to be accepted.") var maxConnections = 256
    @Flag(help: "Log each request to standard error: method, path (key redacted), status, account, duration.") var verbose = false

    @Flag(help: "Test mode: let webhooks call back http:// URLs (a receiver on this machine); the API demands https://.")
    var allowHttpWebhooks = false
    @Flag(help: "Test mode: answer with exactly the fields of the reference's sample for each endpoint, and no X-RateLimit-* headers.")
    var referenceShapes = false
    @Option(help: "Every this many seconds, simulate an inbound WhatsApp message and its read status, delivered to the webhooks.")
    var simulateWhatsapp: Double?

    func validate() throws {
        if let simulateWhatsapp, simulateWhatsapp <= 0 { throw ValidationError("--simulate-whatsapp must be a positive number of seconds") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard contacts >= 0, sales >= 0 else { throw ValidationError("--contacts and --sales cannot be negative") }
        guard rateLimit > 0, rateWindow > 0 else { throw ValidationError("--rate-limit and --rate-window must be positive") }
        guard idleTimeout > 0, idleTimeout <= 86_400 else { throw ValidationError("--idle-timeout must be from 0 to 86400 seconds") }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be positive") }
    }

    func run() async throws {
        var logger = Logger(label: "ventia-server", factory: { label in StreamLogHandler.standardError(label: label) })
        logger.logLevel = verbose ? .info : .warning
        var configuration = ServerConfiguration(
            host: host, port: port, seed: seed, contactCount: contacts, saleCount: sales, rateLimit: rateLimit,
            rateWindow: TimeInterval(rateWindow), sendsRateHeaders: !noRateHeaders,
            dataFile: data.map { URL(fileURLWithPath: $0) }, idleTimeout: idleTimeout, maximumConnections: maxConnections, logger: logger)
        configuration.allowsPlainHTTPWebhooks = allowHttpWebhooks
        configuration.simulatedWhatsAppInterval = simulateWhatsapp
        configuration.answersInReferenceShapes = referenceShapes
        let server: VentiaLocalServer
        do {
            server = try await VentiaLocalServer.start(configuration)
        } catch {
            FileHandle.standardError.write(Data("ventia-server: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let announcement = StartAnnouncement(port: server.port, baseURL: server.baseURL.absoluteString, accounts: server.accounts)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(announcement) + Data("\n".utf8))
        await Self.waitForTerminationSignal()
        await server.stop()
    }

    /// Suspends until SIGINT or SIGTERM.
    static func waitForTerminationSignal() async {
        let watch = SignalWatch()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            watch.start(signals: [SIGINT, SIGTERM]) { continuation.resume() }
        }
    }
}

/// Keeps the signal sources alive and resumes its waiter once.
final class SignalWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var sources: [any DispatchSourceSignal] = []
    private var fired = false

    func start(signals: [Int32], onSignal: @escaping @Sendable () -> Void) {
        lock.withLock {
            for signalNumber in signals {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { [weak self] in
                    guard let self, self.lock.withLock({ () -> Bool in
                        defer { self.fired = true }
                        return !self.fired
                    }) else { return }
                    onSignal()
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}

struct StartAnnouncement: Encodable {
    var port: Int
    var baseURL: String
    var accounts: [DemoAccount]
}
