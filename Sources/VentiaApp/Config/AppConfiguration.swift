import Foundation
import ShippedKeymaps
import TerminalUI
import VentiaAPI
import VentiaCore
import VentiaViewModels

/// What `ventia` runs against and how, resolved from flags, environment and the config file.
public struct AppConfiguration: Sendable {
    public enum Mode: Sendable, Equatable {
        /// The local server in-process, seeded with this many contacts.
        case demo(contacts: Int)
        case live(baseURL: URL, key: APIKey)
    }

    public var mode: Mode
    public var keymapName: String
    public var configFile: URL
    public var keymapFile: URL
    public var logFile: URL
    /// The largest answer the client reads (`max_answer_mb` in config.yml).
    public var maximumAnswerBytes = VentiaConfiguration.defaultMaximumAnswerBytes
    /// The WhatsApp channel a contact without one of its own is messaged on (`whatsapp_channel`).
    public var whatsAppChannel: String?
    /// The named filters of `views:` in config.yml (none: "my day" once `me` is known).
    public var savedViews: [SavedView] = []
    /// Who sits at the keyboard (`me:` in config.yml): a user's email, name or id.
    public var me: String?
    /// How a notice that concerns me gets attention besides the status line (`notify:`; the bell by default).
    public var notify = TerminalAlert(bell: true, desktop: false)
    /// Clicks and the wheel (`mouse:`; on unless `false`).
    public var mouse = true
    /// How the screen is colored (`theme:` dark, light, high-contrast, or a skin file).
    public var theme = Theme.dark
    /// How amounts read: `locale:` (else the environment's, as `LC_ALL`, `LC_NUMERIC` or `LANG` name it) and `currency:`.
    public var money = MoneyFormat.plain
    /// One-line messages for the screen at start (a config file no longer read).
    public var notices: [String] = []

    /// Flags as given on the command line.
    public struct Flags: Sendable {
        public var apiKey: String?
        public var baseURL: String?
        public var demo = false
        public var demoContacts: Int?
        public var keymap: String?
        public init(apiKey: String? = nil, baseURL: String? = nil, demo: Bool = false, demoContacts: Int? = nil, keymap: String? = nil) {
            self.apiKey = apiKey
            self.baseURL = baseURL
            self.demo = demo
            self.demoContacts = demoContacts
            self.keymap = keymap
        }
    }

    public static let defaultDemoContacts = 500

    /// `$XDG_CONFIG_HOME/ventia/config.yml` (else `~/.config/ventia/config.yml`).
    public static func configFile(environment: [String: String]) -> URL {
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: NSTemporaryDirectory())
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? home.appendingPathComponent(".config")
        return configHome.appendingPathComponent("ventia/config.yml")
    }

    /// Key: `--api-key`, then `VENTIA_API_KEY`, then `api_key` in config.yml; none means demo mode.
    public static func resolve(flags: Flags, environment: [String: String]) -> Result<AppConfiguration, ConfigurationError> {
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: NSTemporaryDirectory())
        let stateHome = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? home.appendingPathComponent(".local/state")
        let configFile = configFile(environment: environment)
        let folder = configFile.deletingLastPathComponent()
        var notices: [String] = []
        let oldFile = folder.appendingPathComponent("config.toml")
        if FileManager.default.fileExists(atPath: oldFile.path) {
            // Short enough for an 80-column line; the home folder as ~.
            let shown = environment["HOME"].map { configFile.path.replacingOccurrences(of: $0, with: "~", options: .anchored) } ?? configFile.path
            notices.append("config.toml is no longer read: settings now live in \(shown) (YAML)")
        }
        var file = ConfigFile()
        if let text = try? String(contentsOf: configFile, encoding: .utf8) {
            switch ConfigFile.parse(text, path: configFile.path) {
            case .success(let parsed): file = parsed
            case .failure(let problem): return .failure(.badConfigFile(problem))
            }
            if file.text("api_key") != nil, let problem = permissionProblem(configFile) {
                return .failure(.unsafeConfigFile(path: configFile.path, reason: problem))
            }
        }
        let fileKey = file.text("api_key")
        let fileBase = file.text("base_url")
        let fileKeymap = file.text("keymap")
        var maximumAnswerBytes = VentiaConfiguration.defaultMaximumAnswerBytes
        if let megabytes = file.number("max_answer_mb") {
            guard (1...1024).contains(megabytes) else {
                return .failure(.badConfigFile(ConfigFile.Problem(
                    path: configFile.path, line: nil, message: "max_answer_mb must be a whole number of megabytes from 1 to 1024")))
            }
            maximumAnswerBytes = megabytes << 20
        }
        // A wrong flag stops here; a wrong name in the file is shown on screen and the default used.
        if let name = flags.keymap, !ShippedKeymaps.names.contains(name) { return .failure(.unknownKeymap(name)) }
        var demoContacts = flags.demoContacts ?? defaultDemoContacts
        if flags.demoContacts == nil, let count = file.number("demo_contacts") { demoContacts = count }
        let keyText = [flags.apiKey, environment["VENTIA_API_KEY"], fileKey].compactMap { $0 }.first { !$0.trimmingSpaces.isEmpty }
        let mode: Mode
        if flags.demo || keyText == nil {
            mode = .demo(contacts: max(0, demoContacts))
        } else {
            let baseText = [flags.baseURL, environment["VENTIA_BASE_URL"], fileBase].compactMap { $0 }.first { !$0.isEmpty }
            let base: URL
            if let baseText {
                guard let url = URL(string: baseText), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
                    return .failure(.badBaseURL(baseText))
                }
                base = url
            } else {
                base = VentiaConfiguration.productionBaseURL
            }
            mode = .live(baseURL: base, key: APIKey(keyText ?? ""))
        }
        var configuration = AppConfiguration(
            mode: mode, keymapName: flags.keymap ?? fileKeymap ?? "default", configFile: configFile,
            keymapFile: folder.appendingPathComponent("keymap.yaml"), logFile: stateHome.appendingPathComponent("ventia/ventia.log"))
        configuration.maximumAnswerBytes = maximumAnswerBytes
        configuration.whatsAppChannel = file.text("whatsapp_channel").flatMap { $0.trimmingSpaces.isEmpty ? nil : $0.trimmingSpaces }
        configuration.notices = notices
        configuration.savedViews = file.savedViews
        configuration.me = file.text("me").flatMap { $0.trimmingSpaces.isEmpty ? nil : $0.trimmingSpaces }
        configuration.mouse = !["false", "no", "off"].contains(file.text("mouse") ?? "true")
        configuration.money = MoneyFormat(
            locale: file.text("locale").map { Locale(identifier: $0) } ?? MoneyFormat.locale(fromEnvironment: environment), currency: file.text("currency"))
        if let named = file.text("theme")?.trimmingSpaces, !named.isEmpty {
            switch theme(named, configFolder: folder, environment: environment) {
            case .success(let theme): configuration.theme = theme
            case .failure(let problem): return .failure(.badConfigFile(problem))
            }
        }
        switch file.text("notify") {
        case "desktop": configuration.notify = TerminalAlert(bell: false, desktop: true)
        case "both": configuration.notify = TerminalAlert(bell: true, desktop: true)
        case "off": configuration.notify = TerminalAlert(bell: false, desktop: false)
        default: break
        }
        return .success(configuration)
    }

    /// A shipped theme by name, else a skin file (`~/` for the home folder; a relative path is
    /// read from config.yml's folder).
    static func theme(_ named: String, configFolder: URL, environment: [String: String]) -> Result<Theme, ConfigFile.Problem> {
        if let shipped = Theme.named[named.lowercased()] { return .success(shipped) }
        var path = named
        if path.hasPrefix("~/"), let home = environment["HOME"] { path = home + path.dropFirst(1) }
        let file = path.hasPrefix("/") ? URL(fileURLWithPath: path) : configFolder.appendingPathComponent(path)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            return .failure(ConfigFile.Problem(path: configFolder.appendingPathComponent("config.yml").path, line: nil,
                message: "theme: \"\(named.prefix(80))\" is neither dark, light nor high-contrast, and no skin file is there (\(file.path))"))
        }
        return SkinFile.parse(text, path: file.path)
    }

    /// A file that holds a key must be readable by its owner only. A symlink (dotfiles kept with GNU
    /// stow) is judged by the file it points to, and the advice names that file.
    static func permissionProblem(_ file: URL) -> String? {
        var status = stat()
        guard stat(file.path, &status) == 0 else { return nil }
        let permissions = Int(status.st_mode) & 0o777
        guard permissions & 0o077 == 0 else {
            return String(format: "it holds an API key and is readable by %@ (mode %03o); run: chmod 600 %@",
                permissions & 0o007 != 0 ? "others" : "its group", permissions, file.resolvingSymlinksInPath().path)
        }
        return nil
    }
}

public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case badConfigFile(ConfigFile.Problem)
    case unsafeConfigFile(path: String, reason: String)
    case badBaseURL(String)
    case unknownKeymap(String)

    public var description: String {
        switch self {
        case .badConfigFile(let problem): return "ventia: \(problem)"
        case .unsafeConfigFile(let path, let reason): return "ventia: refusing \(path): \(reason)"
        case .badBaseURL(let text): return "ventia: the base URL \"\(text.prefix(80))\" is not an http(s) URL"
        case .unknownKeymap(let name):
            return "ventia: --keymap \"\(name.prefix(40))\" is not a shipped keymap; choose \(ShippedKeymaps.names.joined(separator: " or "))"
        }
    }
}
