import Foundation

/// One field of a form.
public struct FormField: Sendable {
    public enum Kind: Sendable, Equatable {
        case text
        case secret
        case multiline(height: Int)
        /// One of the options; ←/→ or space cycles.
        case choice([String])
        /// Any of the options; ←/→ moves, space toggles.
        case toggles([String])
    }

    public var id: String
    public var label: String
    public var kind: Kind
    public var input: TextFieldState
    public var area: TextAreaState
    public var choice = 0
    public var toggled: Set<Int> = []
    /// A line under the field: what the value means (a resolved date, say).
    public var hint: String?
    public var error: String?
    /// Checked before submitting: a message for a bad value, nil when fine.
    public var validate: @Sendable (String) -> String?

    public init(id: String, label: String, kind: Kind = .text, value: String = "", validate: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.id = id
        self.label = label
        self.kind = kind
        self.input = TextFieldState(value)
        self.area = TextAreaState(value)
        self.validate = validate
        if case .choice(let options) = kind, let index = options.firstIndex(of: value) { choice = index }
        if case .toggles(let options) = kind {
            let chosen = Set(value.split(separator: ",").map { String($0).trimmingSpaces })
            toggled = Set(options.indices.filter { chosen.contains(options[$0]) })
        }
    }

    /// The value as text: toggles as a comma-separated list.
    public var value: String {
        switch kind {
        case .text, .secret: return input.text
        case .multiline: return area.text
        case .choice(let options): return options.indices.contains(choice) ? options[choice] : ""
        case .toggles(let options): return options.indices.filter { toggled.contains($0) }.map { options[$0] }.joined(separator: ",")
        }
    }

    /// Rows the field takes on screen, its error or hint line included.
    var height: Int {
        let body: Int
        if case .multiline(let rows) = kind { body = max(1, rows) } else { body = 1 }
        return body + ((error ?? hint) == nil ? 0 : 1)
    }
}

/// A form's fields, focus and form-wide message. Keys that edit go to `handleEditing`; what moves
/// focus, submits or cancels is the caller's keymap's business.
public struct FormState: Sendable {
    public var fields: [FormField]
    public var focus = 0
    /// A message for the whole form (a server refusal that names no field).
    public var message: String?

    public init(fields: [FormField]) { self.fields = fields }

    public subscript(id: String) -> FormField? {
        get { fields.first { $0.id == id } }
        set {
            guard let newValue, let index = fields.firstIndex(where: { $0.id == id }) else { return }
            fields[index] = newValue
        }
    }

    public func value(_ id: String) -> String { self[id]?.value ?? "" }

    public var focusedField: FormField? { fields.indices.contains(focus) ? fields[focus] : nil }

    public var focusIsMultiline: Bool {
        if case .multiline = focusedField?.kind { return true }
        return false
    }

    public mutating func focusNext() { if !fields.isEmpty { focus = (focus + 1) % fields.count } }
    public mutating func focusPrevious() { if !fields.isEmpty { focus = (focus - 1 + fields.count) % fields.count } }

    /// Gives a key to the focused field. Returns false when the field does not use it.
    public mutating func handleEditing(_ key: Key) -> Bool {
        guard fields.indices.contains(focus) else { return false }
        var field = fields[focus]
        defer { fields[focus] = field }
        let edited: Bool
        switch field.kind {
        case .text, .secret:
            edited = field.input.handle(key)
        case .multiline:
            edited = field.area.handle(key)
        case .choice(let options):
            switch key.code {
            case .left where !options.isEmpty: field.choice = (field.choice - 1 + options.count) % options.count; edited = true
            case .right where !options.isEmpty, .char(" ") where !options.isEmpty:
                field.choice = (field.choice + 1) % options.count
                edited = true
            default: edited = false
            }
        case .toggles(let options):
            switch key.code {
            case .left: field.choice = max(0, field.choice - 1); edited = true
            case .right: field.choice = min(options.count - 1, field.choice + 1); edited = true
            case .char(" ") where options.indices.contains(field.choice):
                if field.toggled.contains(field.choice) { field.toggled.remove(field.choice) } else { field.toggled.insert(field.choice) }
                edited = true
            default: edited = false
            }
        }
        if edited { field.error = nil }
        return edited
    }

    /// Pasted text goes to the focused text field.
    public mutating func paste(_ text: String) {
        guard fields.indices.contains(focus) else { return }
        switch fields[focus].kind {
        case .text, .secret: fields[focus].input.insert(text)
        case .multiline: fields[focus].area.insert(text)
        default: break
        }
    }

    /// Runs every field's check; focuses the first bad one. True when all pass.
    public mutating func validate() -> Bool {
        var firstBad: Int?
        for index in fields.indices {
            fields[index].error = fields[index].validate(fields[index].value)
            if fields[index].error != nil && firstBad == nil { firstBad = index }
        }
        if let firstBad { focus = firstBad }
        return firstBad == nil
    }

    /// Shows errors a server sent, by field id; the rest go to the form-wide message.
    public mutating func apply(errors: [(field: String, message: String)], message: String?) {
        var unplaced: [String] = []
        for error in errors {
            if let index = fields.firstIndex(where: { $0.id == error.field }) {
                fields[index].error = error.message
            } else {
                unplaced.append("\(error.field) \(error.message)")
            }
        }
        let parts = ([message].compactMap { $0 } + unplaced).filter { !$0.isEmpty }
        self.message = parts.isEmpty ? nil : parts.joined(separator: "; ")
        if let index = fields.firstIndex(where: { $0.error != nil }) { focus = index }
    }
}

/// Draws a form in a bordered box: labels on the left, fields on the right, errors in red under
/// their field.
public struct FormView {
    public var title: String
    public var footer: String
    public var theme = Theme.standard

    public init(title: String, footer: String = "") {
        self.title = title
        self.footer = footer
    }

    /// The box size the form wants, for centering it in a dialog.
    public func preferredSize(for state: FormState, maxWidth: Int) -> Size {
        let rows = state.fields.reduce(0) { $0 + $1.height } + (state.message == nil ? 0 : 1) + (footer.isEmpty ? 0 : 1) + 2
        return Size(width: min(maxWidth, 72), height: rows + 2)
    }

    @discardableResult
    public func render(into buffer: inout CellBuffer, area: Rect, state: inout FormState) -> Point? {
        guard area.width >= 10, area.height >= 3 else { return nil }
        buffer.fill(area)
        buffer.drawBorder(area, style: theme.focusedBorder, title: title, titleStyle: theme.title)
        let inner = area.inset(horizontal: 2, vertical: 1)
        let labelWidth = min(max(state.fields.map { DisplayWidth.of($0.label) }.max() ?? 0, 4) + 1, inner.width / 3)
        var y = inner.y
        var caret: Point?
        for index in state.fields.indices {
            guard y < inner.maxY else { break }
            let focused = index == state.focus
            let field = state.fields[index]
            buffer.write(field.label, at: Point(x: inner.x, y: y), maxWidth: labelWidth, style: focused ? theme.title : theme.text)
            let box = Rect(x: inner.x + labelWidth + 1, y: y, width: inner.width - labelWidth - 1, height: 1)
            switch field.kind {
            case .text, .secret:
                let point = TextField(masked: field.kind == .secret, focused: focused).render(into: &buffer, area: box, state: &state.fields[index].input)
                if focused { caret = point }
                y += 1
            case .multiline(let rows):
                let tall = Rect(x: box.x, y: y, width: box.width, height: min(rows, inner.maxY - y))
                let point = state.fields[index].area.render(into: &buffer, area: tall, focused: focused, theme: theme)
                if focused { caret = point }
                y += max(1, rows)
            case .choice(let options) where options.reduce(0, { $0 + DisplayWidth.of($1) + 6 }) > box.width:
                // Too many to show side by side: the current one, with arrows and its position.
                let current = options.indices.contains(field.choice) ? options[field.choice] : ""
                let text = "◂ \(current) ▸  \(field.choice + 1)/\(options.count)"
                buffer.write(text, at: Point(x: box.x, y: y), maxWidth: box.width, style: focused ? theme.selection : theme.text)
                y += 1
            case .choice(let options):
                var x = box.x
                for (optionIndex, option) in options.enumerated() {
                    let chosen = optionIndex == field.choice
                    let text = chosen ? "(•) \(option)" : "( ) \(option)"
                    x += buffer.write(text, at: Point(x: x, y: y), maxWidth: box.maxX - x, style: chosen && focused ? theme.selection : theme.text) + 2
                }
                y += 1
            case .toggles(let options):
                var x = box.x
                for (optionIndex, option) in options.enumerated() {
                    let mark = field.toggled.contains(optionIndex) ? "[x]" : "[ ]"
                    let highlighted = focused && optionIndex == field.choice
                    x += buffer.write("\(mark) \(option)", at: Point(x: x, y: y), maxWidth: box.maxX - x, style: highlighted ? theme.selection : theme.text) + 2
                }
                y += 1
            }
            if let error = field.error {
                buffer.write("✗ " + error, at: Point(x: box.x, y: y), maxWidth: box.width, style: theme.error)
                y += 1
            } else if let hint = field.hint {
                buffer.write(hint, at: Point(x: box.x, y: y), maxWidth: box.width, style: theme.dimText)
                y += 1
            }
        }
        if let message = state.message, y < inner.maxY {
            buffer.write("✗ " + message, at: Point(x: inner.x, y: y), maxWidth: inner.width, style: theme.error)
        }
        if !footer.isEmpty {
            buffer.write(footer, at: Point(x: inner.x, y: area.maxY - 2), maxWidth: inner.width, style: theme.dimText)
        }
        return caret
    }
}

extension String {
    /// The text without leading and trailing white space and newlines.
    public var trimmingSpaces: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
