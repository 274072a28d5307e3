import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import VentiaAPI
import VentiaCommandLine
import VentiaGateway

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve agents: forward their requests to the Ventia API within the team's budget.",
        discussion: """
            The account's real key comes from VENTIA_UPSTREAM_KEY or --upstream-key-file (a file only its owner \
            can read); it is never taken from a flag and never written to the database. At start the gateway \
            prints one JSON line with its port and base URL. SIGTERM or Ctrl-C stops accepting, finishes what is \
            in flight, then exits.
            """)

    @Option(help: "The Ventia API's base URL, e.g. https://api.getventia.com/api/v1.0.") var upstream: String
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one.") var port = 8080
    @Option(help: "A file holding the account's real key, readable by its owner only (mode 0600).") var upstreamKeyFile: String?
    @Option(help: "The account's name in the ledger; every replica of the team uses the same.") var account = "default"
    @Option(help: "Upstream requests allowed in any --window seconds, for the whole account.") var limit = 200
    @Option(help: "Length of the account's rate window in seconds (the Ventia API's is 60).") var window = 60
    @Option(help: "Requests of each window left for keys used outside the gateway.") var reserve = 10
    @Option(help: "Seconds a request may wait for the budget before it is answered 429 (less than ventia's 15 s request timeout).") var maxWait = 10.0
    @Option(help: "Seconds an upstream answer to a GET is served again without asking; 0 turns the cache off.") var cacheSeconds = 5.0
    @Option(help: "Seconds an upstream request may take before the agent gets 504.") var upstreamTimeout = 30.0
    @Option(help: "Largest upstream answer read, in MB; a larger one is cut off and answered 502.") var maxAnswerMb = 8
    @Option(help: "Seconds a request waits for PostgreSQL before it is answered 503.") var databaseWait = 3.0
    @Option(help: "Seconds between the team copy's sync rounds (one upstream request on an unchanged account); 0 keeps no copy.")
    var syncSeconds = 10.0
    @Option(help: "Seconds after its last sync round the team copy still answers contact pages itself.") var freshSeconds = 15.0
    @Flag(help: "Log to standard error what the gateway does (never a token or a key).") var verbose = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard limit > 0 else { throw ValidationError("--limit must be positive") }
        guard (1...3600).contains(window) else { throw ValidationError("--window must be from 1 to 3600 seconds") }
        guard reserve >= 0, reserve < limit else { throw ValidationError("--reserve must be from 0 to less than --limit") }
        guard maxWait >= 0, maxWait <= 600 else { throw ValidationError("--max-wait must be from 0 to 600 seconds") }
        guard cacheSeconds >= 0, cacheSeconds <= 3600 else { throw ValidationError("--cache-seconds must be from 0 to 3600") }
        guard databaseWait > 0, databaseWait <= 60 else { throw ValidationError("--database-wait must be from 0 to 60 seconds") }
        guard syncSeconds >= 0, syncSeconds <= 3600 else { throw ValidationError("--sync-seconds must be from 0 (no copy) to 3600") }
        guard freshSeconds > 0, freshSeconds <= 3600 else { throw ValidationError("--fresh-seconds must be from 0 to 3600") }
        guard upstreamTimeout > 0 else { throw ValidationError("--upstream-timeout must be positive") }
        guard (1...1024).contains(maxAnswerMb) else { throw ValidationError("--max-answer-mb must be from 1 to 1024") }
        guard let url = URL(string: upstream), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw ValidationError("--upstream must be an http:// or https:// URL, e.g. https://api.getventia.com/api/v1.0")
        }
    }

    /// The real key, from the environment or a file only its owner can read.
    func upstreamKey() throws -> APIKey {
        let text: String
        if let upstreamKeyFile {
            let attributes: [FileAttributeKey: Any]
            do {
                attributes = try FileManager.default.attributesOfItem(atPath: upstreamKeyFile)
            } catch {
                throw fail(.configuration, "--upstream-key-file \(upstreamKeyFile) cannot be read")
            }
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777
            guard mode & 0o077 == 0 else {
                throw fail(.configuration, "--upstream-key-file \(upstreamKeyFile) can be read by others (mode \(String(mode, radix: 8))); run chmod 600 \(upstreamKeyFile)")
            }
            guard let data = FileManager.default.contents(atPath: upstreamKeyFile) else {
                throw fail(.configuration, "--upstream-key-file \(upstreamKeyFile) cannot be read")
            }
            text = String(decoding: data, as: UTF8.self)
        } else if let environment = ProcessInfo.processInfo.environment["VENTIA_UPSTREAM_KEY"], !environment.isEmpty {
            text = environment
        } else {
            throw fail(.configuration, "no upstream key: set VENTIA_UPSTREAM_KEY or give --upstream-key-file")
        }
        let key = APIKey(text)
        guard key.isWellFormed else {
            throw fail(.configuration, "the upstream key is not shaped like a Ventia key (four groups of seven letters or digits joined by '-')")
        }
        return key
    }

    func run() async throws {
        let key = try upstreamKey()
        let database = try DatabaseEnvironment.url()
        var logger = Logger(label: "ventia-gateway", factory: { label in StreamLogHandler.standardError(label: label) })
        logger.logLevel = verbose ? .info : .warning
        guard let upstreamURL = URL(string: upstream) else { throw ValidationError("--upstream is not a URL") }
        var configuration = GatewayConfiguration(host: host, port: port, upstream: upstreamURL, upstreamKey: key, database: database, logger: logger)
        configuration.account = account
        configuration.limit = limit
        configuration.window = window
        configuration.reserve = reserve
        configuration.maximumWait = maxWait
        configuration.cacheSeconds = cacheSeconds
        configuration.upstreamTimeout = upstreamTimeout
        configuration.databaseDeadline = .milliseconds(Int64(databaseWait * 1000))
        configuration.maximumAnswerBytes = maxAnswerMb << 20
        configuration.syncSeconds = syncSeconds > 0 ? syncSeconds : nil
        configuration.freshSeconds = freshSeconds
        let gateway: TeamGateway
        do {
            gateway = try await TeamGateway.start(configuration, shutdownSignals: [.sigterm, .sigint])
        } catch let error as GatewayDatabaseError {
            throw fail(.unreachable, "\(database): \(error)")
        } catch {
            throw fail(.unreachable, "\(error)")
        }
        let announcement: [String: String] = [
            "port": String(gateway.port), "baseURL": gateway.baseURL.absoluteString, "upstream": upstream, "account": account,
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(announcement)
        // The port as a number, as ventia-server prints it.
        line = Data(String(decoding: line, as: UTF8.self).replacingOccurrences(of: "\"port\":\"\(gateway.port)\"", with: "\"port\":\(gateway.port)").utf8)
        FileHandle.standardOutput.write(line + Data("\n".utf8))
        await gateway.waitUntilStopped()
    }
}
