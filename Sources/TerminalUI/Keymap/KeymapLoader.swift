import Foundation
import Yams

/// A problem in a keymap or schema file, pointing at the file, the line and the offending text.
public struct KeymapIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var text: String
    public var message: String

    public init(file: String, line: Int?, text: String, message: String) {
        self.file = file
        self.line = line
        self.text = text
        self.message = message
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return text.isEmpty ? "\(place): \(message)" : "\(place): \(message): \"\(TextSanitizer.clean(text))\""
    }
}

/// Reads keymaps and action schemas written in YAML:
///
///     list:
///       move_down: [j, down]
///       top: [g]
///
/// Bad entries are reported and skipped; the rest of the file still applies.
public enum KeymapLoader {
    public static func parseKeymap(_ yaml: String, file: String, schema: KeymapSchema?) -> (Keymap, [KeymapIssue]) {
        var issues: [KeymapIssue] = []
        var keymap = Keymap()
        guard let root = compose(yaml, file: file, issues: &issues) else { return (keymap, issues) }
        guard let contexts = root.mapping else {
            issues.append(KeymapIssue(file: file, line: root.mark?.line, text: "", message: "expected contexts (like `global:`) at the top level"))
            return (keymap, issues)
        }
        for (contextNode, actionsNode) in contexts {
            guard let context = contextNode.string else { continue }
            let known = schema?.actions(in: context)
            if schema != nil && known == nil {
                issues.append(KeymapIssue(file: file, line: contextNode.mark?.line, text: context, message: "unknown context"))
                continue
            }
            guard let actions = actionsNode.mapping else {
                if actionsNode.null == nil {
                    issues.append(KeymapIssue(file: file, line: actionsNode.mark?.line, text: context, message: "a context holds `action: [keys]` lines"))
                }
                continue
            }
            for (actionNode, keysNode) in actions {
                guard let action = actionNode.string else { continue }
                if let known, !known.contains(where: { $0.name == action }) {
                    issues.append(KeymapIssue(file: file, line: actionNode.mark?.line, text: action, message: "unknown action in `\(context)`"))
                    continue
                }
                let names: [Node]
                if let sequence = keysNode.sequence {
                    names = Array(sequence)
                } else if keysNode.scalar != nil {
                    names = [keysNode]
                } else {
                    issues.append(KeymapIssue(file: file, line: keysNode.mark?.line, text: action, message: "expected a key or a list of keys"))
                    continue
                }
                var keys: [Key] = []
                var failed = false
                for nameNode in names {
                    guard let name = nameNode.string, let key = KeyName.parse(name) else {
                        issues.append(KeymapIssue(file: file, line: nameNode.mark?.line, text: nameNode.string ?? "", message: "unknown key name"))
                        failed = true
                        continue
                    }
                    keys.append(key)
                }
                // A line whose keys are all bad leaves the action as it was.
                if !(failed && keys.isEmpty) { keymap.bind(keys, to: action, in: context) }
            }
        }
        return (keymap, issues)
    }

    /// Reads a schema: contexts in order, each with a title and its actions' help lines.
    ///
    ///     - context: list
    ///       title: Lists
    ///       actions:
    ///         move_down: Move down one row
    public static func parseSchema(_ yaml: String, file: String) -> (KeymapSchema, [KeymapIssue]) {
        var issues: [KeymapIssue] = []
        guard let root = compose(yaml, file: file, issues: &issues) else { return (KeymapSchema(contexts: []), issues) }
        guard let entries = root.sequence else {
            return (KeymapSchema(contexts: []), [KeymapIssue(file: file, line: root.mark?.line, text: "", message: "expected a list of contexts")])
        }
        var contexts: [(String, String, [KeymapSchema.Action])] = []
        for entry in entries {
            guard let name = entry["context"]?.string else {
                issues.append(KeymapIssue(file: file, line: entry.mark?.line, text: "", message: "each entry needs `context:`"))
                continue
            }
            let title = entry["title"]?.string ?? name
            var actions: [KeymapSchema.Action] = []
            for (actionNode, helpNode) in entry["actions"]?.mapping ?? [:] {
                guard let action = actionNode.string else { continue }
                actions.append(KeymapSchema.Action(name: action, help: helpNode.string ?? action))
            }
            contexts.append((name, title, actions))
        }
        return (KeymapSchema(contexts: contexts), issues)
    }

    /// A shipped keymap with the user's file on top. A user file that cannot be read or parsed is
    /// reported and ignored; its good lines still apply.
    public static func load(shipped: String, shippedName: String, userFile: URL?, schema: KeymapSchema) -> (Keymap, [KeymapIssue]) {
        var (keymap, issues) = parseKeymap(shipped, file: shippedName, schema: schema)
        guard let userFile, FileManager.default.fileExists(atPath: userFile.path) else { return (keymap, issues) }
        guard let data = FileManager.default.contents(atPath: userFile.path), let text = String(data: data, encoding: .utf8) else {
            issues.append(KeymapIssue(file: userFile.path, line: nil, text: "", message: "cannot be read as UTF-8 text"))
            return (keymap, issues)
        }
        let (overrides, userIssues) = parseKeymap(text, file: userFile.path, schema: schema)
        keymap.override(with: overrides)
        return (keymap, issues + userIssues)
    }

    private static func compose(_ yaml: String, file: String, issues: inout [KeymapIssue]) -> Node? {
        do {
            return try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            issues.append(issue(from: error, file: file))
        } catch {
            issues.append(KeymapIssue(file: file, line: nil, text: "", message: "not valid YAML"))
        }
        return nil
    }

    static func issue(from error: YamlError, file: String) -> KeymapIssue {
        switch error {
        case .scanner(_, let problem, let mark, let yaml), .parser(_, let problem, let mark, let yaml), .composer(_, let problem, let mark, let yaml):
            let line = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            let text = mark.line - 1 < line.count && mark.line >= 1 ? String(line[mark.line - 1]).trimmingSpaces : ""
            return KeymapIssue(file: file, line: mark.line, text: text, message: "YAML error: \(problem)")
        default:
            return KeymapIssue(file: file, line: nil, text: "", message: "not valid YAML: \(error)")
        }
    }
}
