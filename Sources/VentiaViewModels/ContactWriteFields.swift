import Foundation
import VentiaAPI
import VentiaCore

/// The fields of the contact writes and how their values become the API's input. The contact's six
/// fields are one list, shared by create, edit and lead; each checks with `ContactFieldRules`.
public enum ContactWriteFields {
    public static func note(body: String = "") -> [WriteField] {
        [WriteField(.body, "Note", kind: body.contains("\n") ? .multiline(height: 6) : .text, initial: body, check: ContactFieldRules.noteBody)]
    }

    /// What the reminder field accepts, shown under it until something is typed.
    public static let reminderExamples = "tomorrow 9:00 · +2h · fri 15:30 · 2026-12-01 10:00"

    public static func reminder(parser: ReminderTimeParser, now: @escaping @Sendable () -> Date) -> [WriteField] {
        [
            WriteField(.reminderDate, "When", hint: reminderExamples) { value in
                if case .failure(let failure) = parser.parse(value, now: now()) { return failure.description }
                return nil
            }
        ]
    }

    /// The hint under the reminder field as the user types: the resolved time, or why it is not one.
    public static func reminderHint(_ text: String, parser: ReminderTimeParser, now: Date) -> String {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return reminderExamples }
        switch parser.parse(text, now: now) {
        case .success(let date): return "→ " + parser.describe(date)
        case .failure(let failure): return failure.description
        }
    }

    /// The six contact fields, filled from `contact` when editing; phones and emails comma-separated.
    public static func contact(_ contact: Contact?, origins: [ContactOrigin]) -> [WriteField] {
        var codes = origins.filter(\.active).map(\.code)
        if let current = contact?.origin, !current.isEmpty, !codes.contains(current) { codes.insert(current, at: 0) }
        if codes.isEmpty { codes = [contact?.origin ?? "local"] }
        return [
            WriteField(.firstName, "First name", initial: contact?.firstName ?? "", check: ContactFieldRules.firstName),
            WriteField(.lastName, "Last name", initial: contact?.lastName ?? ""),
            WriteField(.phones, "Phones", initial: contact?.phones.joined(separator: ", ") ?? "") { ContactFieldRules.phones(list($0)) },
            WriteField(.emails, "Emails", initial: contact?.emails.joined(separator: ", ") ?? "") { ContactFieldRules.emails(list($0)) },
            WriteField(.origin, "Origin", kind: .choice(codes), initial: contact?.origin ?? codes[0]),
            WriteField(.detail, "Detail", initial: contact?.detail ?? ""),
        ]
    }

    /// The contact fields and the agent the lead is for.
    public static func lead(origins: [ContactOrigin], agents: [User]) -> [WriteField] {
        let names = agents.map(\.fullName)
        return contact(nil, origins: origins) + [WriteField(.agent, "Agent", kind: .choice(names.isEmpty ? ["(no users loaded)"] : names))]
    }

    public static func input(_ values: WriteValues) -> ContactInput {
        ContactInput(
            firstName: values[.firstName].trimmingCharacters(in: .whitespacesAndNewlines),
            lastName: values[.lastName].trimmingCharacters(in: .whitespacesAndNewlines), emails: values.list(.emails),
            phones: values.list(.phones), detail: values[.detail], origin: values[.origin])
    }

    /// The lead's agent: the user picked, by position in `agents`.
    public static func agent(_ values: WriteValues, agents: [User]) -> String {
        let index = values.choices[.agent] ?? 0
        return agents.indices.contains(index) ? agents[index].id : ""
    }

    static func list(_ text: String) -> [String] { WriteValues(text: [.text: text]).list(.text) }
}
