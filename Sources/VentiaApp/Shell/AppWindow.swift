import TerminalUI
import VentiaViewModels

/// A window over the panes (a form, a picker, a confirmation, a bulk action, the `:` line): it
/// takes the keys while it is open and says what the shell does next. Drawing stays with the
/// shell's frame; the shell keeps the one way a form is sent and ends.
@MainActor
protocol AppWindow {
    func handle(_ key: Key, in context: WindowContext) -> WindowStep
    /// The window with `text` pasted in; nil when it takes no paste.
    func pasting(_ text: String) -> Modal?
}

/// What a window may consult: the keymap in force and the `:` commands.
struct WindowContext {
    let keys: AppKeymap
    let commands: CommandTable
}

/// What the shell does after a window took a key.
enum WindowStep {
    /// The window stays open, as it now is.
    case keep(Modal)
    /// The window closes, saying `notice` if there is one.
    case close(Notice?)
    /// The window closes, then `then` runs (a picker's choice).
    case closeThen(@MainActor () -> Void)
    /// A form to send: the shell shows it sending and ends it with its answer.
    case send(FormModal)
    /// The `:` line was entered.
    case run(String)
    /// A bulk action the user confirmed: the shell starts it and shows its progress.
    case startBulk(BulkModal)
}

extension Modal {
    var window: any AppWindow {
        switch self {
        case .form(let form): form
        case .picker(let picker): picker
        case .command(let line): line
        case .confirm(let confirm): confirm
        case .bulk(let bulk): bulk
        case .question(let question): question
        }
    }
}

/// The `:` line: Tab completes a command, Enter runs it, Esc (or Backspace when empty) closes it.
struct CommandLineWindow: AppWindow {
    var field = TextFieldState()

    func handle(_ key: Key, in context: WindowContext) -> WindowStep {
        var field = field
        switch key.code {
        case .enter:
            return .run(field.text)
        case .tab:
            field.text = context.commands.complete(field.text)
        default:
            if context.keys.action(for: key, in: [.global]) == .cancel || (key.code == .backspace && field.isEmpty) { return .close(nil) }
            field.handle(key)
        }
        return .keep(.command(CommandLineWindow(field: field)))
    }

    func pasting(_ text: String) -> Modal? {
        var field = field
        field.insert(text)
        return .command(CommandLineWindow(field: field))
    }
}

extension FormModal: AppWindow {
    func handle(_ key: Key, in context: WindowContext) -> WindowStep {
        var form = self
        guard !form.sending else { return .keep(.form(form)) }
        if form.state.focusIsMultiline, key.code == .enter || key.code == .up || key.code == .down {
            _ = form.state.handleEditing(key)
            return .keep(.form(form))
        }
        switch context.keys.action(for: key, in: [.form]) {
        case .cancel:
            return .close(nil)
        case .nextField: form.state.focusNext()
        case .previousField: form.state.focusPrevious()
        case .submit:
            guard form.state.validate() else { return .keep(.form(form)) }
            if let confirmation = form.confirmation { return .keep(.confirm(ConfirmModal(dialog: confirmation(form.state), form: form))) }
            return .send(form)
        default:
            _ = form.state.handleEditing(key)
            form.update?(&form.state)
        }
        return .keep(.form(form))
    }

    func pasting(_ text: String) -> Modal? {
        var form = self
        form.state.paste(text)
        form.update?(&form.state)
        return .form(form)
    }
}

extension PickerModal: AppWindow {
    func handle(_ key: Key, in context: WindowContext) -> WindowStep {
        var picker = self
        switch context.keys.action(for: key, in: [.picker]) {
        case .cancel:
            return .close(nil)
        case .choose:
            guard let index = picker.state.selectedItem else { return .keep(.picker(picker)) }
            return .closeThen { picker.choose(item: index) }
        default:
            _ = picker.state.handle(key)
            return .keep(.picker(picker))
        }
    }

    func pasting(_ text: String) -> Modal? {
        var picker = self
        picker.state.query.insert(text)
        picker.state.refilter()
        return .picker(picker)
    }
}

extension ConfirmModal: AppWindow {
    func handle(_ key: Key, in context: WindowContext) -> WindowStep {
        var dialog = self.dialog
        let cancelled = context.keys.action(for: key, in: [.global]) == .cancel
        guard let choice = cancelled ? 1 : dialog.handle(key) else { return .keep(.confirm(ConfirmModal(dialog: dialog, form: form))) }
        return choice == 0 ? .send(form) : .keep(.form(form))
    }

    func pasting(_ text: String) -> Modal? { nil }
}

extension BulkModal: AppWindow {
    /// Confirm sends; then Esc stops what is unsent, Hide leaves it running; OK closes the outcome.
    func handle(_ key: Key, in context: WindowContext) -> WindowStep {
        var bulk = self
        let cancelled = context.keys.action(for: key, in: [.global]) == .cancel
        if !bulk.started {
            guard let choice = cancelled ? 1 : bulk.dialog.handle(key) else { return .keep(.bulk(bulk)) }
            guard choice == 0 else { return .close(Notice("Nothing was sent")) }
            bulk.started = true
            bulk.dialog.buttons = ["Hide", "Stop"]
            bulk.dialog.selected = 0
            return .startBulk(bulk)
        }
        if bulk.run.isFinished {
            if cancelled || key.code == .enter || bulk.dialog.handle(key) != nil { return .close(nil) }
            return .keep(.bulk(self))
        }
        if cancelled {
            bulk.run.stop()
            return .keep(.bulk(bulk))
        }
        switch bulk.dialog.handle(key) {
        case 0?: return .close(nil)
        case 1?: bulk.run.stop()
        default: break
        }
        return .keep(.bulk(bulk))
    }

    func pasting(_ text: String) -> Modal? { nil }
}
