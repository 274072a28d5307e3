import Foundation
import TerminalUI
import VentiaAPI
import VentiaViewModels

/// The forms of the contact actions, built from what the session knows.
@MainActor
enum ContactForms {
    static func note(body: String = "") -> FormState {
        let multiline = body.contains("\n")
        return FormState(fields: [
            FormField(id: "body", label: "Note", kind: multiline ? .multiline(height: 6) : .text, value: body, validate: ContactFieldRules.noteBody)
        ])
    }

    /// What the reminder field accepts, shown under it until something is typed.
    nonisolated static let reminderExamples = "tomorrow 9:00 · +2h · fri 15:30 · 2026-12-01 10:00"

    static func reminder(parser: ReminderTimeParser, now: @escaping @Sendable () -> Date) -> FormState {
        var form = FormState(fields: [
            FormField(id: "reminderDate", label: "When") { value in
                if case .failure(let failure) = parser.parse(value, now: now()) { return failure.description }
                return nil
            }
        ])
        form.fields[0].hint = reminderExamples
        return form
    }

    /// The contact fields; emails and phones are comma-separated.
    static func contact(_ contact: Contact?, origins: [ContactOrigin]) -> FormState {
        var codes = origins.filter(\.active).map(\.code)
        if let current = contact?.origin, !current.isEmpty, !codes.contains(current) { codes.insert(current, at: 0) }
        if codes.isEmpty { codes = [contact?.origin ?? "local"] }
        return FormState(fields: [
            FormField(id: "firstName", label: "First name", value: contact?.firstName ?? "", validate: ContactFieldRules.firstName),
            FormField(id: "lastName", label: "Last name", value: contact?.lastName ?? ""),
            FormField(id: "phones", label: "Phones", value: contact?.phones.joined(separator: ", ") ?? "") { ContactFieldRules.phones(list($0)) },
            FormField(id: "emails", label: "Emails", value: contact?.emails.joined(separator: ", ") ?? "") { ContactFieldRules.emails(list($0)) },
            FormField(id: "origin", label: "Origin", kind: .choice(codes), value: contact?.origin ?? codes[0]),
            FormField(id: "detail", label: "Detail", value: contact?.detail ?? ""),
        ])
    }

    static func lead(origins: [ContactOrigin], agents: [User]) -> FormState {
        var form = contact(nil, origins: origins)
        let names = agents.map(\.fullName)
        form.fields.append(FormField(id: "agent", label: "Agent", kind: .choice(names.isEmpty ? ["(no users loaded)"] : names)))
        return form
    }

    nonisolated static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }

    static func contactInput(from form: FormState) -> ContactInput {
        ContactInput(
            firstName: form.value("firstName").trimmingSpaces, lastName: form.value("lastName").trimmingSpaces,
            emails: list(form.value("emails")), phones: list(form.value("phones")), detail: form.value("detail"),
            origin: form.value("origin"))
    }

    /// Server field names (`emails[0]`) to form field ids (`emails`).
    static func fieldErrors(_ error: VentiaError) -> [(field: String, message: String)] {
        error.fieldErrors.map { error in
            let base = error.field.split(separator: "[").first.map(String.init) ?? error.field
            return (base, error.message)
        }
    }
}
