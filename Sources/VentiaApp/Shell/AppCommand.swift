import TerminalUI

/// What a `:` command does: show a pane (each pane declares its command), or one of the shell's own.
enum AppCommand: Equatable {
    case pane(PaneID)
    case outbox, leadform, me, notices, refresh, help, quit
    /// An action of the keymap, run by its name (`:add_note`) as its key would run it.
    case action(AppAction)

    /// Commands that take a word after them.
    var takesArgument: Bool { self == .leadform }
}

/// The `:` commands in force: each pane's, in tab order, then the shell's own. Parses what was
/// typed (a command, an alias, or, as vim takes `:wri`, the start of exactly one command),
/// completes it, and lists the commands for help.
struct CommandTable {
    struct Entry {
        var name: String
        var help: String
        var command: AppCommand
    }

    let entries: [Entry]
    let aliases: [String: AppCommand]

    init(panes: [PaneRegistration]) {
        entries = panes.map { Entry(name: $0.command, help: $0.commandHelp, command: .pane($0.id)) } + [
            Entry(name: "outbox", help: "Writes not yet sent or refused: send again, fix or discard", command: .outbox),
            Entry(name: "leadform", help: "Post an entry to a lead-entry form: :leadform CODE", command: .leadform),
            Entry(name: "me", help: "Pick who you are from the users (kept as me: in config.yml)", command: .me),
            Entry(name: "notices", help: "The last 50 notices with their times; enter opens the contact", command: .notices),
            Entry(name: "refresh", help: "Reload the current pane", command: .refresh),
            Entry(name: "help", help: "Show this help", command: .help),
            Entry(name: "quit", help: "Quit ventia", command: .quit),
        ]
        var aliases: [String: AppCommand] = ["q": .quit, "exit": .quit]
        for pane in panes {
            for alias in pane.aliases { aliases[alias] = .pane(pane.id) }
        }
        self.aliases = aliases
    }

    var names: [String] { entries.map(\.name) }

    /// Why what was typed after `:` runs nothing, worded for the message line.
    struct Problem: Error, Equatable { let message: String }

    /// What was typed after `:`: a command and the word after it, why it is none, or nil for nothing typed.
    func resolve(_ line: String, palette: ActionPalette? = nil) -> Result<(AppCommand, String), Problem>? {
        guard !line.trimmingSpaces.isEmpty else { return nil }
        let words = line.trimmingSpaces.split(separator: " ", maxSplits: 1).map(String.init)
        let text = words[0]
        let argument = words.count > 1 ? words[1].trimmingSpaces : ""
        // An action answers only to what starts no command: `:co` stays a question between commands.
        let action = suggestions(text).isEmpty ? palette?.action(named: text).map(AppCommand.action) : nil
        guard let command = parse(text) ?? action else {
            let candidates = suggestions(text)
            if candidates.count > 1 { return .failure(Problem(message: ":\(text) could be " + candidates.map { ":" + $0 }.joined(separator: " or "))) }
            if let closest = closest(to: text) { return .failure(Problem(message: ":\(text) is not a command; did you mean :\(closest)?")) }
            return .failure(Problem(message: ":\(text) is not a command; try " + names.map { ":" + $0 }.joined(separator: ", ")))
        }
        if !argument.isEmpty, !command.takesArgument {
            return .failure(Problem(message: ":\(entries.first { $0.command == command }?.name ?? text) takes nothing after it"))
        }
        return .success((command, argument))
    }

    /// The command a typo most likely meant: within two edits (one for a short word), the nearest.
    func closest(to typed: String) -> String? {
        let word = Array(typed.lowercased())
        let limit = word.count <= 4 ? 1 : 2
        let scored = names.map { name in (name, Self.editDistance(word, Array(name))) }.filter { $0.1 <= limit }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein's distance, transpositions counting as one edit (`:notcies` is one from `:notices`).
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1) }
            }
        }
        return table[a.count][b.count]
    }

    func parse(_ text: String) -> AppCommand? {
        let word = text.trimmingSpaces.lowercased()
        if let entry = entries.first(where: { $0.name == word }) { return entry.command }
        if let command = aliases[word] { return command }
        let matches = entries.filter { $0.name.hasPrefix(word) }
        return matches.count == 1 ? matches[0].command : nil
    }

    /// Completes what was typed: the one command that starts with it, or the longest shared start.
    func complete(_ text: String) -> String {
        let matches = suggestions(text)
        guard let first = matches.first else { return text }
        if matches.count == 1 { return first }
        var shared = first
        for match in matches.dropFirst() {
            while !match.hasPrefix(shared) { shared.removeLast() }
        }
        return shared
    }

    func suggestions(_ text: String) -> [String] {
        let prefix = text.trimmingSpaces.lowercased()
        return names.filter { $0.hasPrefix(prefix) }
    }
}
