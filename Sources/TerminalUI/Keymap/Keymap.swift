/// Key bindings by context: `context → action → keys`. A context is a mode of the UI (global, list,
/// form, …); when several are active the first that binds a key wins.
public struct Keymap: Sendable, Equatable {
    public private(set) var bindings: [String: [String: [Key]]]

    public init(bindings: [String: [String: [Key]]] = [:]) {
        self.bindings = bindings
    }

    /// The action `key` triggers, looking through `contexts` in order.
    public func action(for key: Key, in contexts: [String]) -> String? {
        for context in contexts {
            guard let actions = bindings[context] else { continue }
            // Sorted for a stable answer even if a file bound a key twice.
            for action in actions.keys.sorted() where actions[action]?.contains(key) == true {
                return action
            }
        }
        return nil
    }

    public func keys(for action: String, in context: String) -> [Key] {
        bindings[context]?[action] ?? []
    }

    public mutating func bind(_ keys: [Key], to action: String, in context: String) {
        bindings[context, default: [:]][action] = keys
    }

    /// Applies another keymap's bindings on top of this one: each action it names gets its keys,
    /// and those keys stop triggering anything else in that context.
    public mutating func override(with other: Keymap) {
        for (context, actions) in other.bindings {
            for (action, keys) in actions {
                for (existing, existingKeys) in bindings[context] ?? [:] where existing != action {
                    bindings[context]?[existing] = existingKeys.filter { !keys.contains($0) }
                }
                bindings[context, default: [:]][action] = keys
            }
        }
    }

    /// Keys bound to more than one action within one context.
    public func duplicateKeys() -> [(context: String, key: Key, actions: [String])] {
        var result: [(String, Key, [String])] = []
        for (context, actions) in bindings.sorted(by: { $0.key < $1.key }) {
            var owners: [Key: [String]] = [:]
            for (action, keys) in actions {
                for key in Set(keys) { owners[key, default: []].append(action) }
            }
            for (key, names) in owners where names.count > 1 {
                result.append((context, key, names.sorted()))
            }
        }
        return result
    }
}

/// The actions a program offers, by context, with a line of help each. The program supplies it
/// (as data), so the toolkit knows nothing of what the actions do.
public struct KeymapSchema: Sendable, Equatable {
    public struct Action: Sendable, Equatable {
        public var name: String
        public var help: String
        public init(name: String, help: String) {
            self.name = name
            self.help = help
        }
    }

    /// Contexts in the order help lists them.
    public var contexts: [(name: String, title: String, actions: [Action])]

    public init(contexts: [(name: String, title: String, actions: [Action])]) {
        self.contexts = contexts
    }

    public static func == (lhs: KeymapSchema, rhs: KeymapSchema) -> Bool {
        lhs.contexts.map(\.name) == rhs.contexts.map(\.name) && lhs.contexts.map(\.actions) == rhs.contexts.map(\.actions)
    }

    public func actions(in context: String) -> [Action]? {
        contexts.first { $0.name == context }?.actions
    }

    public func help(for action: String, in context: String) -> String? {
        actions(in: context)?.first { $0.name == action }?.help
    }

    /// Actions of the schema that `keymap` leaves without any key.
    public func unreachableActions(in keymap: Keymap) -> [(context: String, action: String)] {
        contexts.flatMap { context in
            context.actions.filter { keymap.keys(for: $0.name, in: context.name).isEmpty }.map { (context.name, $0.name) }
        }
    }

    /// Help sections for the given contexts, listing every action with its keys.
    public func helpSections(for keymap: Keymap, contexts wanted: [String]) -> [HelpSection] {
        contexts.filter { wanted.contains($0.name) }.map { context in
            HelpSection(
                title: context.title,
                entries: context.actions.map { action in
                    let keys = keymap.keys(for: action.name, in: context.name)
                    return HelpSection.Entry(keys: keys.isEmpty ? "—" : keys.map(KeyName.label).joined(separator: " "), help: action.help)
                })
        }
    }
}
