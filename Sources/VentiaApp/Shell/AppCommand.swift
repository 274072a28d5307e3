import TerminalUI

/// What a `:` command does: show a pane (each pane declares its command), or one of the shell's own.
enum AppCommand: Equatable {
    case pane(PaneID)
    case outbox, leadform, me, refresh, help, quit

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
