import TerminalUI
import VentiaAPI
import VentiaViewModels

/// What a form is for.
enum FormPurpose: Equatable {
    case note(contactId: String)
    case reminder(contactId: String)
    case editContact(contactId: String)
    case createContact
    case lead
    case createUser
    case editUser(User)
    case replaceUser(User)
    case createSale
    case editSale(Sale)
    case upsertSale
    case pageSize
}

/// What a confirm dialog guards.
enum ConfirmPurpose {
    case replaceUser(User, UserFormValues, FormModal)
}

/// What a picker chooses.
enum PickerPurpose: Equatable {
    case transfer(contactId: String)
    case archive(contactId: String)
}

/// A window over the panes that takes the keys until it closes.
enum Modal {
    case form(FormModal)
    case picker(PickerModal)
    case command(TextFieldState)
    case confirm(DialogState, ConfirmPurpose)
}

struct FormModal {
    var state: FormState
    var purpose: FormPurpose
    var title: String
    /// A request is in flight: keys wait, so the form cannot be sent twice.
    var sending = false
}

struct PickerModal {
    var state: PickerState
    var purpose: PickerPurpose
    /// The value behind each item (a user id, a reason code).
    var values: [String]
}

/// The `:` commands.
enum AppCommand: String, CaseIterable {
    case contacts, users, sales, company, refresh, help, quit

    static let aliases: [String: AppCommand] = ["q": .quit, "c": .contacts, "u": .users, "s": .sales, "exit": .quit, "group": .company]

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
}
