import TerminalUI
import VentiaViewModels

/// A write's fields (described by the view-model layer) as a form on screen, and back.
extension FormState {
    init(_ fields: [WriteField]) {
        self.init(fields: fields.map { field in
            var formField = FormField(id: field.id.rawValue, label: field.label, kind: FormField.Kind(field.kind), value: field.initial, validate: field.check)
            formField.hint = field.hint
            return formField
        })
    }

    /// What the form holds, for its write to send.
    var values: WriteValues {
        var values = WriteValues()
        for field in fields {
            guard let name = FieldName(rawValue: field.id) else { continue }
            values.text[name] = field.value
            if case .choice = field.kind { values.choices[name] = field.choice }
        }
        return values
    }
}

extension FormField.Kind {
    init(_ kind: WriteField.Kind) {
        switch kind {
        case .text: self = .text
        case .secret: self = .secret
        case .multiline(let height): self = .multiline(height: height)
        case .choice(let options): self = .choice(options)
        case .toggles(let options): self = .toggles(options)
        }
    }
}
