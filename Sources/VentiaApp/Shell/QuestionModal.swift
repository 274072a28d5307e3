import TerminalUI

/// A yes-or-no question before something costly that is not a form (reading many pages of sales):
/// the first button goes on, the second (or Esc) leaves it.
@MainActor
struct QuestionModal: AppWindow {
    var dialog: DialogState
    let proceed: @MainActor () -> Void

    init(title: String, message: String, confirm: String, cancel: String = "Cancel", proceed: @escaping @MainActor () -> Void) {
        dialog = DialogState.confirm(title: title, message: message, confirm: confirm, cancel: cancel)
        self.proceed = proceed
    }

    func handle(_ key: Key, in context: WindowContext) -> WindowStep {
        var question = self
        let cancelled = context.keys.action(for: key, in: [.global]) == .cancel
        guard let choice = cancelled ? 1 : question.dialog.handle(key) else { return .keep(.question(question)) }
        return choice == 0 ? .closeThen(proceed) : .close(nil)
    }

    func pasting(_ text: String) -> Modal? { nil }
}
