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
        guard shell.help == nil, shell.modal == nil else { return }
        let screen = Rect(size: shell.context.screenSize)
        if point.y == 0 {
            let tabs = TabBar(panes: shell.panes, hints: shell.hints, active: shell.index(of: shell.pane))
            if let index = tabs.tab(atColumn: point.x, in: screen.splitTop(1).top) { shell.switchTo(shell.panes[index].id) }
            return
        }
        let body = PaneContext.bodyArea(in: screen)
        if body.contains(point) { _ = shell.focused.click(at: point, in: body) }
    }
}

extension TabBar {
    /// The tabs of `panes`, each with the key that shows it in the keymap in force.
    @MainActor
    init(panes: [any AppPane], hints: KeyHints, active: Int) {
        self.init(titles: panes.map(\.registration.title), keys: panes.map { $0.registration.showAction.flatMap { hints.key($0, in: .global) } }, active: active)
    }
}
