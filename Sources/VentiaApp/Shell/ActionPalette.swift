import TerminalUI

/// `:` as a command palette: besides the commands, every action of the contexts in force, by its
/// name in `keymaps/actions.yaml` (`add_note`), found by any part of its name or help and shown
/// with its key, so that an action is one `:` away even before its key is learnt.
struct ActionPalette {
    struct Entry: Equatable {
        var name: String
        var help: String
        var key: String?
        var action: AppAction
    }

    let entries: [Entry]

    init(keys: AppKeymap, contexts: [KeymapContext]) {
        var seen = Set<AppAction>()
        var entries: [Entry] = []
        for context in contexts {
            for described in keys.schema.actions(in: context.rawValue) ?? [] {
                // `:command` would only open the line being typed.
                guard let action = AppAction(rawValue: described.name), action != .command, seen.insert(action).inserted else { continue }
                entries.append(Entry(name: described.name, help: described.help, key: keys.keys(for: action, in: context).first.map(KeyName.label), action: action))
            }
        }
        self.entries = entries
    }

    /// The action named exactly, else the one action whose name starts with `typed`.
    func action(named typed: String) -> AppAction? {
        let word = typed.lowercased()
        if let exact = entries.first(where: { $0.name == word }) { return exact.action }
        let started = entries.filter { $0.name.hasPrefix(word) }
        return started.count == 1 ? started[0].action : nil
    }

    /// The actions whose name holds `typed`, or (from three letters on) one of whose help's words
    /// starts with it, accents and case aside; each as `name (key)`, names that start with it first.
    func suggestions(_ typed: String) -> [String] {
        let folded = TextFolding.fold(typed.trimmingCharacters(in: .whitespaces))
        guard !folded.isEmpty else { return [] }
        let found = entries.filter { entry in
            TextFolding.fold(entry.name).contains(folded)
                || (folded.count >= 3 && TextFolding.fold(entry.help).split(whereSeparator: { !$0.isLetter }).contains { $0.hasPrefix(folded) })
        }
        let ordered = found.filter { $0.name.hasPrefix(folded) } + found.filter { !$0.name.hasPrefix(folded) }
        return ordered.map { $0.name + ($0.key.map { " (\($0))" } ?? "") }
    }
}
