import Foundation
import Yams

/// `config.yml`: `setting: value` lines, read with Yams like the keymaps. Every problem names the
/// file and the line, so a typo never passes silently.
public struct ConfigFile: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case text(String)
        case number(Int)
    }

    /// The settings ventia knows, and the kind of value each takes.
    public static let known: [String: Kind] = [
        "api_key": .text, "base_url": .text, "keymap": .text, "demo_contacts": .number, "max_answer_mb": .number, "whatsapp_channel": .text,
    ]

    public enum Kind: Sendable { case text, number }

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

    /// Reads `yaml` (the contents of `path`); an empty file, or one of comments only, holds no settings.
    public static func parse(_ yaml: String, path: String) -> Result<ConfigFile, Problem> {
        func problem(_ line: Int?, _ message: String) -> Result<ConfigFile, Problem> {
            .failure(Problem(path: path, line: line, message: message))
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let reason, let mark, _), .parser(_, let reason, let mark, _), .composer(_, let reason, let mark, _):
                return problem(mark.line, "not valid YAML: \(reason)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                let name = duplicates.first ?? ""
                return problem(secondLine(setting: name, in: yaml) ?? context.mark.line, "\(name.prefix(40)) is set twice")
            default:
                return problem(nil, "not valid YAML")
            }
        } catch {
            return problem(nil, "not valid YAML")
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
            guard let scalar = valueNode.scalar else { return problem(line, "\(name) takes one value, not a list or a map") }
            switch kind {
            case .text:
                file.values[name] = .text(scalar.string)
            case .number:
                guard let number = Int(scalar.string.replacingOccurrences(of: "_", with: "")) else {
                    return problem(line, "\(name) must be a whole number, not \"\(scalar.string.prefix(40))\"")
                }
                file.values[name] = .number(number)
            }
        }
        return .success(file)
    }

    /// The line where `setting` is given a second time (Yams names only the mapping).
    static func secondLine(setting: String, in yaml: String) -> Int? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let matches = lines.indices.filter { lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix(setting + ":") }
        return matches.count > 1 ? matches[1] + 1 : nil
    }
}
