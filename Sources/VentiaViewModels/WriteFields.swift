import Foundation
import VentiaAPI

/// One field of a write's form as the view-model layer describes it: its API name (so a server's
/// field error lands under it), label, kind, starting value and rule. The app draws it; tests check
/// it without a terminal.
public struct WriteField: Sendable {
    public enum Kind: Sendable, Equatable {
        case text
        case secret
        case multiline(height: Int)
        /// One of the options.
        case choice([String])
        /// Any of the options, sent comma-separated.
        case toggles([String])
    }

    public var id: FieldName
    public var label: String
    public var kind: Kind
    public var initial: String
    /// A line under the field until something is typed (examples, say).
    public var hint: String?
    /// A message for a bad value, nil when fine.
    public var check: @Sendable (String) -> String?

    public init(
        _ id: FieldName, _ label: String, kind: Kind = .text, initial: String = "", hint: String? = nil,
        check: @escaping @Sendable (String) -> String? = { _ in nil }
    ) {
        self.id = id
        self.label = label
        self.kind = kind
        self.initial = initial
        self.hint = hint
        self.check = check
    }
}

/// What a sent form holds, by field id: its text (a choice's option, toggles comma-separated) and,
/// for a choice, the index picked.
public struct WriteValues: Sendable, Equatable {
    public var text: [FieldName: String]
    public var choices: [FieldName: Int]

    public init(text: [FieldName: String] = [:], choices: [FieldName: Int] = [:]) {
        self.text = text
        self.choices = choices
    }

    public subscript(id: FieldName) -> String { text[id] ?? "" }

    /// The text without surrounding spaces, nil when empty.
    public func optional(_ id: FieldName) -> String? {
        let value = self[id].trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    /// A comma-separated list (phones, emails), without blanks.
    public func list(_ id: FieldName) -> [String] {
        self[id].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// Server field names (`emails[0]`) as form field ids (`emails`), so each error lands under its field.
public enum WriteErrors {
    public static func byField(_ error: VentiaError) -> [(field: String, message: String)] {
        error.fieldErrors.map { error in (error.field.split(separator: "[").first.map(String.init) ?? error.field, error.message) }
    }
}
