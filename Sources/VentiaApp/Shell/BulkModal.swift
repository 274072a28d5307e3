import TerminalUI
import VentiaAPI
import VentiaCore
import VentiaViewModels

/// A bulk action's window: first what it will do and cost (nothing is sent before the user says
/// so), then its progress (`Esc` stops what has not been sent), then what failed and why.
@MainActor
struct BulkModal {
    let run: BulkRun
    /// `transfer`, `note`: what the cost line counts (singular).
    let noun: String
    var dialog: DialogState
    var started = false
    /// Runs once the user confirms (the marks the action used are cleared).
    let onStart: @MainActor () -> Void

    init(run: BulkRun, noun: String, onStart: @escaping @MainActor () -> Void = {}) {
        self.run = run
        self.noun = noun
        self.onStart = onStart
        dialog = DialogState.confirm(title: run.title, message: "", confirm: "Send", cancel: "Cancel")
    }

    /// Names of the targets: the first few, then how many more.
    static func names(_ items: [BulkItem], shown: Int = 4) -> String {
        let names = items.prefix(shown).map { $0.name.isEmpty ? $0.targetId : $0.name }
        let rest = items.count - names.count
        return names.joined(separator: ", ") + (rest > 0 ? " and \(rest) more" : "")
    }

    /// `[██████░░░░░░░░]`: how much of the run has settled.
    static func bar(_ settled: Int, of total: Int, width: Int = 30) -> String {
        let filled = total == 0 ? width : settled * width / total
        return "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "]"
    }

    /// Each write as it stands, the refused first, then those still to go, then the done:
    /// `✗ Ana Pérez: 404 …`, `⧗ Bruno Silva`, `✓ Carla Díaz`; as many as `shown`, then a count.
    static func itemLines(_ run: BulkRun, shown: Int = 6) -> [String] {
        let entries = zip(run.items, run.states).map { item, state -> (order: Int, line: String) in
            let name = item.name.isEmpty ? item.targetId : item.name
            switch state {
            case .failed(let reason): return (0, "✗ \(name): \(reason)")
            case .waiting: return (1, "⧗ \(name)")
            case .done: return (2, "✓ \(name)")
            case .stopped: return (3, "– \(name) (stopped)")
            }
        }
        let ordered = entries.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }.map(\.element.line)
        return Array(ordered.prefix(shown)) + (ordered.count > shown ? ["… and \(ordered.count - shown) more"] : [])
    }

    /// The window's state for this frame: the question, the progress, or the outcome.
    func state(budget: RateBudgetSnapshot, cancelKey: String) -> DialogState {
        var shown = dialog
        if !started {
            shown.message = BulkCost(writes: run.items.count, budget: budget).summary(noun: noun) + "\n" + Self.names(run.items)
            return shown
        }
        let settled = run.items.count - run.waitingCount
        if !run.isFinished {
            shown.message = Self.bar(settled, of: run.items.count) + "\n" + run.progressText + "\n" + Self.itemLines(run).joined(separator: "\n") + "\n"
                + (run.stopping ? "Stopping: the writes on the wire finish" : "\(cancelKey) stops the writes not yet sent · Hide keeps them going")
            shown.buttons = ["Hide", "Stop"]
            return shown
        }
        var lines = [run.progressText]
        let failures = run.failures
        if !failures.isEmpty {
            lines.append("Refused (kept in :outbox to fix, retry or discard):")
            lines += failures.prefix(6).map { "✗ \($0.name): \($0.reason)" }
            if failures.count > 6 { lines.append("… and \(failures.count - 6) more in :outbox") }
        }
        shown.message = lines.joined(separator: "\n")
        shown.buttons = ["OK"]
        shown.selected = 0
        return shown
    }
}
