import Dispatch
import Foundation
import Observation
import TerminalUI
import VentiaAPI
import VentiaViewModels

extension AppShell {
    /// Draws the frame while recording which view-model properties it read; `onChange` fires once
    /// when one of them changes, and the caller renders again (and re-registers).
    public func drawTracked(_ buffer: inout CellBuffer, onChange: @escaping @Sendable () -> Void) -> Point? {
        withObservationTracking { draw(&buffer) } onChange: { onChange() }
    }

    public func draw(_ buffer: inout CellBuffer) -> Point? {
        let area = buffer.bounds
        guard area.width >= 20, area.height >= 6 else {
            buffer.write("ventia needs at least 20×6", at: Point(x: 0, y: 0), maxWidth: area.width)
            return nil
        }
        let theme = Theme.standard
        let now = context.clock.now()
        let top = area.splitTop(1).top
        TabBar(panes: panes, hints: hints, active: index(of: pane)).render(into: &buffer, area: top)
        let brand = "ventia"
        buffer.write(brand, at: Point(x: area.maxX - brand.count - 1, y: 0), style: theme.title)
        let body = PaneContext.bodyArea(in: area)
        let paneCaret = focused.draw(&buffer, area: body, now: now)
        var caret = drawMessageLine(&buffer, row: Rect(x: 0, y: area.height - 2, width: area.width, height: 1)) ?? paneCaret
        drawStatusLine(&buffer, row: Rect(x: 0, y: area.height - 1, width: area.width, height: 1))
        switch modal {
        case .form(var form):
            let keys = [hints.hint(.submit, in: .form, "sends"), form.state.fields.count > 1 ? hints.hint(.nextField, in: .form, "next field") : nil,
                hints.hint(.cancel, in: .form, "cancels")]
            let view = FormView(title: form.title, footer: form.sending ? "sending…" : keys.compactMap { $0 }.joined(separator: " · "))
            let size = view.preferredSize(for: form.state, maxWidth: area.width - 2)
            // The widgets scroll a copy to keep the caret in view; the window's own state stays as typed.
            caret = view.render(into: &buffer, area: body.centered(size), state: &form.state)
            if form.sending { caret = nil }
        case .picker(var picker):
            caret = FuzzyPicker().render(into: &buffer, area: body, state: &picker.state)
        case .confirm(let confirm):
            var form = confirm.form
            let view = FormView(title: form.title, footer: "")
            _ = view.render(into: &buffer, area: body.centered(view.preferredSize(for: form.state, maxWidth: area.width - 2)), state: &form.state)
            Dialog().render(into: &buffer, area: body, state: confirm.dialog)
            caret = nil
        case .bulk(let bulk):
            let cancelKey = hints.key(.cancel, in: .global) ?? "Esc"
            Dialog().render(into: &buffer, area: body, state: bulk.state(budget: session.budget, cancelKey: cancelKey))
            caret = nil
        case .question(let question):
            Dialog().render(into: &buffer, area: body, state: question.dialog)
            caret = nil
        case .command, nil:
            break
        }
        if let help {
            var scroll = help.scroll
            helpOverlay(filter: help.filter).render(into: &buffer, area: area, scroll: &scroll)
            caret = nil
        }
        return caret
    }

    /// Every key of the contexts in force, and the `:` commands.
    func helpOverlay(filter: String = "") -> HelpOverlay {
        let sections = keys.helpSections(for: contexts + (modal == nil ? [] : [.form, .picker]))
        let commands = HelpSection(title: "Commands (:)", entries: commands.entries.map { HelpSection.Entry(keys: ":" + $0.name, help: $0.help) })
        let title = filter.isEmpty ? "Help — type to find · ↑↓ scroll · esc closes" : "Help — “\(filter)” · esc clears"
        return HelpOverlay(sections: sections + [commands], title: title, filter: filter)
    }

    /// The line above the status line: the command or filter being typed, else a notice, else the last error.
    func drawMessageLine(_ buffer: inout CellBuffer, row: Rect) -> Point? {
        let theme = Theme.standard
        if case .command(let line) = modal {
            var field = line.field
            buffer.write(":", at: Point(x: 0, y: row.y), style: theme.title)
            let caret = TextField(focused: true).render(into: &buffer, area: Rect(x: 1, y: row.y, width: min(30, row.width - 1), height: 1), state: &field)
            let suggestions = (commands.suggestions(field.text) + ActionPalette(keys: keys, contexts: contexts).suggestions(field.text)).joined(separator: "  ")
            buffer.write(suggestions, at: Point(x: 33, y: row.y), maxWidth: row.width - 33, style: theme.dimText)
            return caret
        }
        // A notice (a write sent, a bulk action ended) shows for its few seconds over the filter's
        // summary, never over a filter being typed.
        if session.notice == nil || focused.isTypingInMessageLine, let use = focused.drawMessageLine(&buffer, row: row) { return use.caret }
        if let notice = session.notice {
            let kind: FlashMessage.Kind =
                switch notice.kind {
                case .info: .info
                case .success: .success
                case .warning: .warning
                case .error: .error
                }
            FlashView().render(into: &buffer, area: row, message: FlashMessage(notice.text, kind: kind))
        } else if let error = session.lastError, focused.shows(errorFrom: session.lastErrorSource) {
            let dismiss = hints.key(.dismiss, in: .global).map { " (\($0) dismisses)" } ?? ""
            FlashView().render(into: &buffer, area: row, message: FlashMessage(error + dismiss, kind: .error))
        }
        return nil
    }

    func drawStatusLine(_ buffer: inout CellBuffer, row: Rect) {
        let theme = Theme.standard
        var left = [
            StatusSegment(session.connection.mode == .demo ? "DEMO" : "LIVE", style: theme.statusAccent),
            StatusSegment(session.connection.host),
        ]
        if let me = session.me { left.append(StatusSegment("me: " + (session.meUser?.fullName ?? me))) }
        left.append(StatusSegment(focused.statusSummary))
        var right: [StatusSegment] = []
        if session.requestsInFlight > 0 { right.append(StatusSegment("⟳ \(session.requestsInFlight)")) }
        let budget = session.budget
        let budgetStyle = budget.remaining == 0 ? theme.error.with(.reverse) : (budget.remaining < budget.limit / 10 ? theme.warning.with(.reverse) : nil)
        right.append(StatusSegment(budget.statusText, style: budgetStyle))
        if session.outbox.pendingCount > 0 { right.append(StatusSegment("⧗ \(session.outbox.pendingCount)")) }
        if session.outbox.refusedCount > 0 {
            right.append(StatusSegment("✗ \(session.outbox.refusedCount) refused", style: theme.error.with(.reverse)))
        }
        if let held = session.syncProgress { right.append(StatusSegment("sync \(ContactsPane.grouped(held))…")) }
        if let asOf = session.caughtUpAt, session.offline || !session.caughtUpThisRun {
            let time = "as of " + context.dates.asOf(asOf, now: context.clock.now())
            right.append(StatusSegment(session.offline ? "offline · " + time : time, style: session.offline ? theme.warning.with(.reverse) : nil))
        } else if session.offline {
            right.append(StatusSegment("offline", style: theme.warning.with(.reverse)))
        }
        if session.noticeLog.unread > 0 { right.append(StatusSegment("⚑ \(session.noticeLog.unread)", style: theme.statusAccent)) }
        if let help = hints.hint(.help, in: .global, "help") { right.append(StatusSegment(help)) }
        StatusLine(left: left, right: right).render(into: &buffer, area: row)
    }
}
