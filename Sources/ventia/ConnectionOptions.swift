import ArgumentParser
import Dispatch
import Foundation
import VentiaAPI
import VentiaCore
import VentiaApp
import VentiaCommandLine
import VentiaMirror
import VentiaServer
import VentiaViewModels

/// Where ventia connects, shared by the app and every subcommand.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "API key (else VENTIA_API_KEY, else api_key in config.yml). Visible to others in the process list: prefer `ventia auth login`.")
    var apiKey: String?
    @Option(help: "API base URL (else VENTIA_BASE_URL, else base_url in config.yml, else https://api.getventia.com/api/v1.0).")
    var baseUrl: String?
    @Flag(help: "Run against the built-in demo server even when a key is configured.") var demo = false
    @Option(help: "Contacts in the demo server's store.") var demoContacts: Int?

    func validate() throws {
        if let demoContacts, demoContacts < 0 { throw ValidationError("--demo-contacts cannot be negative") }
    }

    var flags: AppConfiguration.Flags { AppConfiguration.Flags(apiKey: apiKey, baseURL: baseUrl, demo: demo, demoContacts: demoContacts) }

    /// The configuration, or the process ends with status 2 and the reason on standard error.
    func resolve(keymap: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) -> AppConfiguration {
        var flags = self.flags
        flags.keymap = keymap
        switch AppConfiguration.resolve(flags: flags, environment: environment) {
        case .success(let configuration):
            if apiKey != nil {
                // Said once, before anything else: the key is readable where it was typed.
                FileHandle.standardError.write(Data(
                    "ventia: --api-key leaves the key in the process list (ps) and in your shell's history; `ventia auth login` keeps it in config.yml, readable by you alone\n".utf8))
            }
            return configuration
        case .failure(let error):
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            Foundation.exit(ExitStatus.configuration.rawValue)
        }
    }
}

/// The `--json`/`--csv` choice of a listing.
enum OutputChoice: String, EnumerableFlag {
    case text, json, csv

    var format: OutputFormat {
        switch self {
        case .text: .text
        case .json: .json
        case .csv: .csv
        }
    }

    static func help(for value: OutputChoice) -> ArgumentHelp? {
        switch value {
        case .text: "Aligned columns (the default)."
        case .json: "A JSON array of the server's objects, as it sent them."
        case .csv: "CSV with a header row (fields quoted where needed)."
        }
    }
}

/// Options every subcommand that talks to the server takes.
struct CommandOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Seconds to wait for the rate budget before giving up with status 75.") var maxWait = 60

    func validate() throws {
        if maxWait < 0 { throw ValidationError("--max-wait cannot be negative") }
    }

    /// Opens the session (starting the demo server when there is no key), runs `body` on the main
    /// actor, and ends the process with its status; `.done` when `body` returns.
    func run(_ body: @escaping @MainActor (CommandContext) async -> Void) -> Never {
        let environment = ProcessInfo.processInfo.environment
        let configuration = connection.resolve(environment: environment)
        let maxWait = maxWait
        Task { @MainActor in
            let (session, server) = await CommandSessions.open(configuration, environment: environment)
            let context = CommandContext(account: session, maxWait: maxWait)
            context.keepAlive = server
            context.me = configuration.me
            await body(context)
            context.exit(.done)
        }
        dispatchMain()
    }
}

/// The session a subcommand runs with: the account's own mirror and outbox (shared with the app),
/// or, in demo mode, a seeded server in this process and a mirror in memory.
enum CommandSessions {
    @MainActor
    static func open(_ configuration: AppConfiguration, environment: [String: String]) async -> (AccountSession, AnyObject?) {
        switch configuration.mode {
        case .live(let baseURL, let key):
            let client = VentiaClient(configuration: VentiaConfiguration(baseURL: baseURL, apiKey: key, maximumAnswerBytes: configuration.maximumAnswerBytes))
            var mirror: ContactMirror?
            switch ContactMirror.open(MirrorLocation(baseURL: baseURL, apiKey: key.secret, environment: environment)) {
            case .opened(let opened, let notice):
                mirror = opened
                if let notice { FileHandle.standardError.write(Data("ventia: \(notice)\n".utf8)) }
            case .unavailable(let reason):
                FileHandle.standardError.write(Data("ventia: nothing is kept locally: \(reason)\n".utf8))
            }
            return (AccountSession(client: client, mirror: mirror), nil)
        case .demo(let contacts):
            let serverConfiguration = DemoServer.configuration(contacts: contacts)
            let server: VentiaLocalServer
            do {
                server = try await VentiaLocalServer.start(serverConfiguration)
            } catch {
                FileHandle.standardError.write(Data("ventia: the demo server could not start: \(error)\n".utf8))
                Foundation.exit(ExitStatus.unreachable.rawValue)
            }
            let client = VentiaClient(
                configuration: VentiaConfiguration(baseURL: server.baseURL, apiKey: APIKey(DemoKeys.primaryAccount[0]), maximumAnswerBytes: configuration.maximumAnswerBytes))
            let mirror = try? ContactMirror.temporary()
            return (AccountSession(client: client, mirror: mirror), server)
        }
    }
}

