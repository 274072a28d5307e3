import Foundation
import VentiaCore
import VentiaViewModels
import Yams

/// `config.yml`: `setting: value` lines, read with Yams like the keymaps. Every problem names the
/// file and the line, so a typo never passes silently.
public struct ConfigFile: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case text(String)
        case number(Int)
        case views([SavedView])
    }

    /// The settings ventia knows, and the kind of value each takes.
    public static let known: [String: Kind] = [
        "api_key": .text, "base_url": .text, "keymap": .text, "demo_contacts": .number, "max_answer_mb": .number, "whatsapp_channel": .text,
        "me": .text, "views": .views, "notify": .choice(["bell", "desktop", "both", "off"]),
        "mouse": .choice(["true", "false", "yes", "no", "on", "off"]), "theme": .text, "currency": .currency, "locale": .locale,
    ]

    public enum Kind: Sendable, Equatable {
        case text, number, views
        /// An ISO 4217 code Foundation knows (`UYU`), kept upper-case.
        case currency
        /// A locale Foundation knows (`es_UY`; `es_UY.UTF-8` as `LANG` writes it is read as `es_UY`).
        case locale
        /// One of these words (any case).
        case choice([String])
    }

    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var line: Int?
        public var message: String
        public var description: String { "\(line.map { "\(path):\($0)" } ?? path): \(message)" }
    }

    public private(set) var values: [String: Value] = [:]

    public init(values: [String: Value] = [:]) { self.values = values }

    public func text(_ name: String) -> String? {
        if case .text(let value)? = values[name] { return value }
        return nil
    }

    public func number(_ name: String) -> Int? {
        if case .number(let value)? = values[name] { return value }
        return nil
    }

    /// The saved views (`views:`), in the order written.
    public var savedViews: [SavedView] {
        if case .views(let views)? = values["views"] { return views }
        return []
    }

    /// Reads `yaml` (the contents of `path`); an empty file, or one of comments only, holds no settings.
    public static func parse(_ yaml: String, path: String) -> Result<ConfigFile, Problem> {
        func problem(_ line: Int?, _ message: String) -> Result<ConfigFile, Problem> {
            .failure(Problem(path: path, line: line, message: message))
        }
        let root: Node?
        switch compose(yaml, path: path) {
        case .success(let node): root = node
        case .failure(let failure): return .failure(failure)
        }
        guard let root else { return .success(ConfigFile()) }
        guard let mapping = root.mapping else { return problem(root.mark?.line, "expected `setting: value` lines") }
        var file = ConfigFile()
        for (keyNode, valueNode) in mapping {
            let line = keyNode.mark?.line
            guard let name = keyNode.scalar?.string else { return problem(line, "a setting's name must be a plain word") }
            guard let kind = known[name] else {
                return problem(line, "unknown setting \"\(name.prefix(40))\" (known: \(known.keys.sorted().joined(separator: ", ")))")
            }
            if kind == .views {
                switch views(valueNode, path: path) {
                case .success(let views): file.values[name] = .views(views)
                case .failure(let failure): return .failure(failure)
                }
                continue
            }
            guard let scalar = valueNode.scalar else { return problem(line, "\(name) takes one value, not a list or a map") }
            switch kind {
            case .text:
                file.values[name] = .text(scalar.string)
            case .views:
                break
            case .currency:
                let code = scalar.string.trimmingCharacters(in: .whitespaces)
                guard MoneyFormat.isKnownCurrency(code) else {
                    return problem(line, "\(name) must be an ISO 4217 code such as UYU, USD or EUR, not \"\(code.prefix(40))\"")
                }
                file.values[name] = .text(code.uppercased())
            case .locale:
                let identifier = String(scalar.string.trimmingCharacters(in: .whitespaces).split(separator: ".").first ?? "")
                guard Locale.availableIdentifiers.contains(identifier) else {
                    return problem(line, "\(name) must be a locale such as es_UY or en_US, not \"\(scalar.string.prefix(40))\"")
                }
                file.values[name] = .text(identifier)
            case .choice(let choices):
                let word = scalar.string.lowercased()
                guard choices.contains(word) else {
                    let listed = choices.dropLast().joined(separator: ", ") + " or " + (choices.last ?? "")
                    return problem(line, "\(name) must be \(listed), not \"\(scalar.string.prefix(40))\"")
                }
                file.values[name] = .text(word)
            case .number:
                guard let number = Int(scalar.string.replacingOccurrences(of: "_", with: "")) else {
                    return problem(line, "\(name) must be a whole number, not \"\(scalar.string.prefix(40))\"")
                }
                file.values[name] = .number(number)
            }
        }
        return .success(file)
    }

    /// The fields a view may filter on.
    static let viewFields = ["name", "status", "agent", "origin", "reminder", "last_interaction", "created", "unread"]

    /// `views:` — a list of maps, each with a `name` and the conditions it shows.
    static func views(_ node: Node, path: String) -> Result<[SavedView], Problem> {
        func problem(_ node: Node?, _ message: String) -> Result<[SavedView], Problem> {
            .failure(Problem(path: path, line: node?.mark?.line, message: message))
        }
        guard let list = node.sequence else {
            return problem(node, "views takes a list: each item `- name: …` with status, agent, origin, reminder, last_interaction, created or unread")
        }
        var views: [SavedView] = []
        for item in list {
            guard let mapping = item.mapping else { return problem(item, "each view is a map: `- name: …` then its conditions") }
            guard let nameNode = mapping["name"], let name = nameNode.scalar?.string.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
                return problem(item, "a view needs a name")
            }
            if views.contains(where: { $0.name == name }) { return problem(nameNode, "the view \"\(name.prefix(40))\" is named twice") }
            var view = SavedView(name: name, source: item.mark.map { "\(path):\($0.line)" } ?? path)
            for (keyNode, valueNode) in mapping {
                guard let field = keyNode.scalar?.string else { return problem(keyNode, "a view's field must be a plain word") }
                guard viewFields.contains(field) else {
                    return problem(keyNode, "a view has no field \"\(field.prefix(40))\" (known: \(viewFields.joined(separator: ", ")))")
                }
                // A field takes one word or a list of them (any of which matches).
                let words: [String]
                if let scalar = valueNode.scalar {
                    words = [scalar.string]
                } else if let sequence = valueNode.sequence, sequence.allSatisfy({ $0.scalar != nil }) {
                    words = sequence.compactMap { $0.scalar?.string }
                } else {
                    return problem(valueNode, "\(field) takes a word or a list of words")
                }
                let cleaned = words.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                guard !cleaned.isEmpty else { return problem(valueNode, "\(field) is empty") }
                switch field {
                case "status": view.statuses = cleaned
                case "agent": view.agents = cleaned
                case "origin": view.origins = cleaned
                case "unread":
                    switch cleaned.count == 1 ? cleaned[0].lowercased() : "" {
                    case "true", "yes": view.unread = true
                    case "false", "no": view.unread = false
                    default: return problem(valueNode, "unread takes yes or no (not \"\(cleaned.joined(separator: ", ").prefix(40))\")")
                    }
                case "reminder", "last_interaction", "created":
                    guard cleaned.count == 1, let rule = DateRule.parse(cleaned[0]) else {
                        return problem(valueNode, "\(field) must be one of: \(DateRule.forms) (not \"\(cleaned.joined(separator: ", ").prefix(40))\")")
                    }
                    switch field {
                    case "reminder": view.reminder = rule
                    case "last_interaction": view.lastInteraction = rule
                    default: view.created = rule
                    }
                default: break
                }
            }
            views.append(view)
        }
        return .success(views)
    }

    /// The YAML's node tree, or what is wrong with it and where (shared by every file a user edits).
    static func compose(_ yaml: String, path: String) -> Result<Node?, Problem> {
        do {
            return .success(try Yams.compose(yaml: yaml))
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let reason, let mark, _), .parser(_, let reason, let mark, _), .composer(_, let reason, let mark, _):
                return .failure(Problem(path: path, line: mark.line, message: "not valid YAML: \(reason)"))
            case .duplicatedKeysInMapping(let duplicates, let context):
                let name = duplicates.first ?? ""
                return .failure(Problem(path: path, line: secondLine(setting: name, in: yaml) ?? context.mark.line, message: "\(name.prefix(40)) is set twice"))
            default:
                return .failure(Problem(path: path, line: nil, message: "not valid YAML"))
            }
        } catch {
            return .failure(Problem(path: path, line: nil, message: "not valid YAML"))
        }
    }

    /// The line where `setting` is given a second time (Yams names only the mapping).
    static func secondLine(setting: String, in yaml: String) -> Int? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let matches = lines.indices.filter { lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix(setting + ":") }
        return matches.count > 1 ? matches[1] + 1 : nil
    }
}
