import TerminalUI
import VentiaViewModels

/// The mouse, as lazygit and k9s take it: a click on a tab shows its pane, a click on a row
/// selects it and a second one opens it, the wheel scrolls whatever is in front (a window, help,
/// a list, the timeline) as three arrow keys would. Reports come only while `mouse:` is on.
@MainActor
struct ShellPointer {
    let shell: AppShell

    func handle(_ mouse: MouseEvent) {
        switch mouse.kind {
        case .wheelUp, .wheelDown:
            for _ in 0..<3 { shell.handle(Key(mouse.kind == .wheelUp ? .up : .down)) }
        case .press(.left):
            click(at: mouse.position)
        default:
            break
        }
    }

    private func click(at point: Point) {
        guard shell.help == nil else { return }
        let screen = Rect(size: shell.context.screenSize)
        if let dialog = dialogInFront() {
            // A button is pressed as its keys would press it: selected, then Enter.
            guard let index = Dialog().button(at: point, in: PaneContext.bodyArea(in: screen), state: dialog) else { return }
            for _ in 0..<dialog.selected { shell.handle(Key(.left)) }
            for _ in 0..<index { shell.handle(Key(.right)) }
            shell.handle(Key(.enter))
            return
        }
        guard shell.modal == nil else { return }
        if point.y == 0 {
            let tabs = TabBar(panes: shell.panes, hints: shell.hints, active: shell.index(of: shell.pane))
            if let index = tabs.tab(atColumn: point.x, in: screen.splitTop(1).top) { shell.switchTo(shell.panes[index].id) }
            return
        }
        let body = PaneContext.bodyArea(in: screen)
        if body.contains(point) { _ = shell.focused.click(at: point, in: body) }
    }
}

extension ShellPointer {
    /// The question a window in front asks with buttons, as it is drawn.
    func dialogInFront() -> DialogState? {
        switch shell.modal {
        case .confirm(let confirm)?: return confirm.dialog
        case .question(let question)?: return question.dialog
        case .bulk(let bulk)?: return bulk.state(budget: shell.session.budget, cancelKey: shell.hints.key(.cancel, in: .global) ?? "Esc")
        default: return nil
        }
    }
}

extension TabBar {
    /// The tabs of `panes`, each with the key that shows it in the keymap in force.
    @MainActor
    init(panes: [any AppPane], hints: KeyHints, active: Int) {
        self.init(titles: panes.map(\.registration.title), keys: panes.map { $0.registration.showAction.flatMap { hints.key($0, in: .global) } }, active: active)
    }
}
