import ArgumentParser
import Dispatch
import Foundation
import Logging
import VentiaAPI
import VentiaApp
import VentiaCommandLine
import VentiaMirror
import VentiaServer
import VentiaViewModels

/// `ventia`: the terminal client, and its subcommands for scripts. Without an API key it runs
/// against a local demo server.
@main
struct VentiaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ventia",
        abstract: "A keyboard-driven terminal client for the Ventia CRM, and its commands for scripts.",
        discussion: """
            With no subcommand, ventia opens the terminal app. With no API key (from `ventia auth \
            login`, VENTIA_API_KEY, api_key in $XDG_CONFIG_HOME/ventia/config.yml or --api-key) \
            it starts a seeded local server and runs against it: demo mode. Logs go to \
            $XDG_STATE_HOME/ventia/ventia.log. Press ? inside the app for the keys.

            The subcommands share the app's configuration, key, rate budget, local copy and outbox. \
            Data goes to standard output, messages to standard error.

            \(ExitStatus.documentation)
            """,
        version: "0.1.0",
        subcommands: [
            RunApp.self, ContactsCommand.self, TimelineCommand.self, NoteCommand.self, ReminderCommand.self, TransferCommand.self,
            ArchiveCommand.self, SalesCommand.self, UsersCommand.self, GroupsCommand.self, LeadCommand.self, AuthCommand.self,
        ],
        defaultSubcommand: RunApp.self)

    /// `swift run ventia -- --demo-contacts 100000` hands the `--` on to the program; the options
    /// after a leading one are still options.
    static func main() {
        main(LeadingSeparator.dropped(from: CommandLine.arguments))
    }
}

/// `ventia` (or `ventia app`): the terminal app.
struct RunApp: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "app", abstract: "Open the terminal app (what `ventia` alone does).")

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Shipped keymap to start from: default or emacs.") var keymap: String?
    @Flag(help: "Exit right after the first page of contacts is on screen and print how long that took.") var exitAfterFirstPaint = false
    @Flag(help: "Log how long each key took to reach the screen (for benchmarks).") var traceLatency = false

    func run() throws {
        let started = ContinuousClock.now
        // Keys come from standard input: without a terminal there, the app would draw once and quit.
        guard isatty(STDIN_FILENO) == 1 else {
            FileHandle.standardError.write(Data("ventia: standard input is not a terminal; ventia is interactive, run it in one\n".utf8))
            throw ExitCode(1)
        }
        let environment = ProcessInfo.processInfo.environment
        let configuration = connection.resolve(keymap: keymap, environment: environment)
        let key: APIKey? = if case .live(_, let key) = configuration.mode { key } else { nil }
        var logger = Logger(label: "ventia") { label in
            FileLogHandler.open(configuration.logFile, label: label, key: key).map { $0 as any LogHandler } ?? SwiftLogNoOpLogHandler()
        }
        logger.logLevel = .info
        let measure = exitAfterFirstPaint
        let trace = traceLatency
        let runner = MainActor.assumeIsolated {
            Self.launch(configuration: configuration, environment: environment, logger: logger, measure: measure, trace: trace, started: started)
        }
        // dispatchMain never returns: the runner lives as long as the process.
        withExtendedLifetime(runner) { dispatchMain() }
    }

    /// Opens the terminal and starts the app, live or against an in-process demo server.
    @MainActor
    static func launch(
        configuration: AppConfiguration, environment: [String: String], logger: Logger, measure: Bool, trace: Bool, started: ContinuousClock.Instant
    ) -> AppRunner {
        let runner: AppRunner
        do {
            runner = try AppRunner(configuration: configuration, environment: environment, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("ventia: \(error)\n".utf8))
            Foundation.exit(1)
        }
        runner.traceLatency = trace
        let onFirstPaint: (@MainActor @Sendable () -> Void)? = measure ? { @MainActor @Sendable in
            let elapsed = ContinuousClock.now - started
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            runner.loop.stop()
            runner.backend.close()
            print(String(format: "first contact page painted after %.1f ms", milliseconds))
            Foundation.exit(0)
        } : nil
        switch configuration.mode {
        case .live(let baseURL, let key):
            let client = VentiaClient(configuration: VentiaConfiguration(baseURL: baseURL, apiKey: key, maximumAnswerBytes: configuration.maximumAnswerBytes))
            let host = VentiaConfiguration(baseURL: baseURL, apiKey: key).hostDescription
            let mirror = ContactMirror.open(MirrorLocation(baseURL: baseURL, apiKey: key.secret, environment: environment))
            runner.run(client: client, connection: ConnectionInfo(mode: .live, host: host), mirror: mirror, onFirstContactsPaint: onFirstPaint)
        case .demo(let contacts):
            runner.setStartupMessage("Starting the demo server with \(contacts) contacts…")
            // A demo shows life: now and then a customer writes on WhatsApp (and its webhooks hear of it).
            let serverConfiguration = DemoServer.configuration(contacts: contacts, customersWriteEvery: 45)
            Task.detached {
                do {
                    let server = try await VentiaLocalServer.start(serverConfiguration)
                    let baseURL = server.baseURL
                    let host = "\(server.host):\(server.port)"
                    DispatchQueue.main.async {
                        MainActor.assumeIsolated {
                            let client = VentiaClient(
                                configuration: VentiaConfiguration(
                                    baseURL: baseURL, apiKey: APIKey(DemoKeys.primaryAccount[0]), maximumAnswerBytes: configuration.maximumAnswerBytes))
                            // Demo data is new each run: its copy lives in memory and goes with the process.
                            let mirror: MirrorOpening
                            do { mirror = .opened(try ContactMirror.temporary(), notice: nil) } catch { mirror = .unavailable("\(error)") }
                            runner.run(client: client, connection: ConnectionInfo(mode: .demo, host: host), mirror: mirror, onFirstContactsPaint: onFirstPaint)
                            runner.demoServer = server
                        }
                    }
                } catch {
                    let message = "the demo server could not start: \(error)"
                    DispatchQueue.main.async { MainActor.assumeIsolated { runner.fail(message) } }
                }
            }
        }
        return runner
    }
}

/// A leading `--` in the arguments, as `swift run PRODUCT -- OPTIONS` passes it.
enum LeadingSeparator {
    static func dropped(from commandLine: [String]) -> [String] {
        let arguments = Array(commandLine.dropFirst())
        return arguments.first == "--" ? Array(arguments.dropFirst()) : arguments
    }
}

/// The seeded server demo mode runs in this process: the local one in its test mode, where a
/// webhook may call a receiver on this machine.
enum DemoServer {
    static func configuration(contacts: Int, customersWriteEvery seconds: TimeInterval? = nil) -> ServerConfiguration {
        var configuration = ServerConfiguration(port: 0, contactCount: contacts, saleCount: max(20, min(2000, contacts * 2 / 5)))
        configuration.allowsPlainHTTPWebhooks = true
        configuration.simulatedWhatsAppInterval = seconds
        return configuration
    }
}
