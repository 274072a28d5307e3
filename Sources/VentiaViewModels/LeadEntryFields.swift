import Foundation
import VentiaAPI

/// The fields of a lead-entry form (`POST /leadentry/{code}`): the person, the action id, and the
/// group's active additional-data fields, each checked as the contract says (at least one phone or
/// email, valid addresses, required fields filled, numbers numeric).
public enum LeadEntryFields {
    public static func fields(additional: [AdditionalDataField]) -> [WriteField] {
        var fields = [
            WriteField(.firstName, "First name"),
            WriteField(.lastName, "Last name"),
            WriteField(.phones, "Phones", hint: "a phone or an email is required") { ContactFieldRules.phones(ContactWriteFields.list($0)) },
            WriteField(.emails, "Emails") { ContactFieldRules.emails(ContactWriteFields.list($0)) },
            WriteField(.detail, "Detail"),
            WriteField(.actionId, "Action id"),
        ]
        for field in active(additional) {
            let label = field.name + (field.required ? " *" : "")
            let options = field.options.compactMap { $0.stringValue ?? $0["name"]?.stringValue ?? $0["value"]?.stringValue }
            if !options.isEmpty {
                fields.append(WriteField(.additionalData(field.code), label, kind: .choice((field.required ? [] : [""]) + options)))
                continue
            }
            let required = field.required
            let numeric = field.type == "number"
            fields.append(WriteField(.additionalData(field.code), label) { value in
                let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
                if text.isEmpty { return required ? "is required" : nil }
                return numeric && Double(text) == nil ? "must be a number" : nil
            })
        }
        return fields
    }

    /// The group's fields a form asks for: active and not hidden.
    static func active(_ additional: [AdditionalDataField]) -> [AdditionalDataField] {
        additional.filter { $0.active && !$0.ghost }
    }

    public static func input(_ values: WriteValues, additional: [AdditionalDataField]) -> LeadEntryInput {
        var data: [String: JSONValue] = [:]
        for field in active(additional) {
            guard let text = values.optional(.additionalData(field.code)) else { continue }
            data[field.code] = field.type == "number" ? (Double(text).map(JSONValue.number) ?? .string(text)) : .string(text)
        }
        return LeadEntryInput(
            firstName: values.optional(.firstName), lastName: values[.lastName].trimmingCharacters(in: .whitespacesAndNewlines),
            phones: values.list(.phones), emails: values.list(.emails), detail: values[.detail], actionId: values.optional(.actionId),
            additionalData: data)
    }

    /// Every rule of the whole input, as the server words them.
    public static func check(_ input: LeadEntryInput, additional: [AdditionalDataField]) -> [FieldError] {
        var errors: [FieldError] = []
        if let problem = ContactFieldRules.phones(input.phones) { errors.append(FieldError(field: "phones", message: problem)) }
        if let problem = ContactFieldRules.emails(input.emails) { errors.append(FieldError(field: "emails", message: problem)) }
        if input.phones.isEmpty && input.emails.isEmpty { errors.append(FieldError(field: "phones", message: "at least one phone or email is required")) }
        for field in active(additional) where field.required && input.additionalData[field.code] == nil {
            errors.append(FieldError(field: FieldName.additionalData(field.code).rawValue, message: "is required"))
        }
        return errors
    }
}
