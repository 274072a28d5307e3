import ArgumentParser
import Foundation
import TerminalUI
import VentiaAPI
import VentiaApp
import VentiaCommandLine

#if canImport(Glibc)
import Glibc
#endif

/// `ventia auth login|status|logout`: the key kept in config.yml (0600), never on a command line.
struct AuthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth", abstract: "Keep the API key out of sight: log in, see the account, log out.",
        subcommands: [AuthLogin.self, AuthStatus.self, AuthLogout.self])
}

struct AuthLogin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Check an API key with one request and keep it in config.yml (mode 600).",
        discussion: "The key is read from standard input when it is not a terminal (`ventia auth login < key.txt`), else asked for without echo.")

    @Option(help: "Keep this base URL too (else the one configured, else the real service).") var baseUrl: String?

    func run() throws {
        let key = try Self.readKey()
        let environment = ProcessInfo.processInfo.environment
        var flags = AppConfiguration.Flags(apiKey: key, baseURL: baseUrl)
        flags.demo = false
        let configuration: AppConfiguration
        switch AppConfiguration.resolve(flags: flags, environment: environment) {
        case .success(let resolved): configuration = resolved
        case .failure(let error):
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(ExitStatus.configuration.rawValue)
        }
        guard case .live(let base, let apiKey) = configuration.mode else { throw ExitCode(ExitStatus.configuration.rawValue) }
        let baseText = baseUrl
        AuthCheck.run(base: base, key: apiKey) { result, _ in
            switch result {
            case .success(let account):
                let file = configuration.configFile
                var text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
                text = ConfigFileEditor.setting("api_key", to: key, in: text)
                if let baseText { text = ConfigFileEditor.setting("base_url", to: baseText, in: text) }
                do {
                    try ConfigFileEditor.write(text, to: file)
                } catch {
                    AuthCheck.fail("the key works, but \(file.path) could not be written: \(error.localizedDescription)", .configuration)
                }
                print("Logged in to \(account) at \(VentiaConfiguration(baseURL: base, apiKey: apiKey).hostDescription); the key is kept in \(file.path) (mode 600)")
                if environment["VENTIA_API_KEY"] != nil {
                    FileHandle.standardError.write(Data("ventia: VENTIA_API_KEY is set and wins over config.yml until you unset it\n".utf8))
                }
                Foundation.exit(0)
            case .failure(let error):
                AuthCheck.fail("the key was not kept: \(error.description)", ExitStatus.of(error))
            }
        }
    }

    /// The key from standard input, or typed at a prompt without echo.
    static func readKey() throws -> String {
        var text: String
        if isatty(STDIN_FILENO) == 0 {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            FileHandle.standardError.write(Data("API key (not shown as you type): ".utf8))
            text = HiddenTerminalInput.readLine() ?? ""
            FileHandle.standardError.write(Data("\n".utf8))
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ValidationError("no key given") }
        guard !text.contains(where: { $0.isWhitespace }) else { throw ValidationError("a key is one word; this has spaces or several lines") }
        return text
    }
}

struct AuthStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "The account, base URL and rate budget the configured key reaches (never the key).")

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration = connection.resolve(environment: environment)
        guard case .live(let base, let key) = configuration.mode else {
            print("No API key: ventia runs in demo mode. `ventia auth login` keeps one in \(configuration.configFile.path).")
            print(Self.meLine(configuration))
            return
        }
        let source = connection.apiKey != nil ? "--api-key" : (environment["VENTIA_API_KEY"].map { $0.isEmpty ? nil : $0 } != nil ? "VENTIA_API_KEY" : configuration.configFile.path)
        AuthCheck.run(base: base, key: key) { result, budget in
            switch result {
            case .success(let account):
                print("Account: \(account)")
                print("Base URL: \(base.absoluteString)")
                print("Key from: \(source)")
                print("Budget: \(budget.remaining) of \(budget.limit) requests left this minute")
                print(Self.meLine(configuration))
                Foundation.exit(0)
            case .failure(let error):
                AuthCheck.fail("the key from \(source) does not work at \(base.absoluteString): \(error.description)", ExitStatus.of(error))
            }
        }
    }
}

extension AuthStatus {
    /// Who the commands and the app take you for (`agent: me`, `--agent me`).
    static func meLine(_ configuration: AppConfiguration) -> String {
        configuration.me.map { "Me: \($0)" } ?? "Me: not set (`me:` in \(configuration.configFile.path), or :me in the app)"
    }
}

struct AuthLogout: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "Remove the API key from config.yml (other settings stay).")

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let file = AppConfiguration.configFile(environment: environment)
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        let changed = ConfigFileEditor.setting("api_key", to: nil, in: text)
        if changed == text {
            print("No key in \(file.path)")
        } else {
            try ConfigFileEditor.write(changed, to: file)
            print("Removed the key from \(file.path)")
        }
        if environment["VENTIA_API_KEY"] != nil {
            FileHandle.standardError.write(Data("ventia: VENTIA_API_KEY is still set in this shell; unset it too\n".utf8))
        }
    }

}

/// One request (the key's group) that says whether a key works, and for which account.
enum AuthCheck {
    /// Asks for the key's group; `then` hears the account's name (or the failure) and the budget
    /// the answer's headers left.
    static func run(base: URL, key: APIKey, then: @escaping @Sendable (Result<String, VentiaError>, RateBudgetSnapshot) -> Void) -> Never {
        let client = VentiaClient(configuration: VentiaConfiguration(baseURL: base, apiKey: key))
        _ = client.send(.listGroups, as: [Group].self, on: .main) { result in
            then(result.map { groups in groups.first.map { "\($0.name) (group \($0.id))" } ?? "an account with no group" }, client.rateBudget.snapshot())
        }
        dispatchMain()
    }

    static func fail(_ message: String, _ status: ExitStatus) -> Never {
        FileHandle.standardError.write(Data("ventia: \(message)\n".utf8))
        Foundation.exit(status.rawValue)
    }
}
