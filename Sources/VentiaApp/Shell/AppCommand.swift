import TerminalUI

/// The `:` commands.
enum AppCommand: String, CaseIterable {
    case contacts, users, sales, company, webhooks, outbox, leadform, refresh, help, quit

    static let aliases: [String: AppCommand] = ["q": .quit, "c": .contacts, "u": .users, "s": .sales, "exit": .quit, "group": .company]

    /// Commands that take a word after them.
    var takesArgument: Bool { self == .leadform }

    /// A command, an alias, or (as vim takes `:wri`) the start of exactly one command.
    static func parse(_ text: String) -> AppCommand? {
        let word = text.trimmingSpaces.lowercased()
        if let command = AppCommand(rawValue: word) ?? aliases[word] { return command }
        let matches = allCases.filter { $0.rawValue.hasPrefix(word) }
        return matches.count == 1 ? matches[0] : nil
    }

    /// Completes what was typed: the one command that starts with it, or the longest shared start.
    static func complete(_ text: String) -> String {
        let prefix = text.trimmingSpaces.lowercased()
        let matches = allCases.map(\.rawValue).filter { $0.hasPrefix(prefix) }
        guard let first = matches.first else { return text }
        if matches.count == 1 { return first }
        var shared = first
        for match in matches.dropFirst() {
            while !match.hasPrefix(shared) { shared.removeLast() }
        }
        return shared
    }

    static func suggestions(_ text: String) -> [String] {
        let prefix = text.trimmingSpaces.lowercased()
        return allCases.map(\.rawValue).filter { $0.hasPrefix(prefix) }
    }

    var help: String {
        switch self {
        case .contacts: return "Go to contacts"
        case .users: return "Go to users"
        case .sales: return "Go to sales"
        case .company: return "Show the company configuration"
        case .webhooks: return "Go to webhooks"
        case .outbox: return "Writes not yet sent or refused: send again, fix or discard"
        case .leadform: return "Post an entry to a lead-entry form: :leadform CODE"
        case .refresh: return "Reload the current pane"
        case .help: return "Show this help"
        case .quit: return "Quit ventia"
        }
    }
}
