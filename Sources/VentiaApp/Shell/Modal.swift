import TerminalUI
import VentiaAPI
import VentiaViewModels

/// A window over the panes that takes the keys until it closes.
enum Modal {
    case form(FormModal)
    case picker(PickerModal)
    case command(CommandLineWindow)
    case confirm(ConfirmModal)
    case bulk(BulkModal)
    case question(QuestionModal)
}

/// How a sent form ends: closed with a notice, or refused and kept open with the error.
enum FormOutcome: Sendable {
    case done(Notice)
    case failed(VentiaError)
}

/// Ends a sent form; callable from a request's completion.
typealias FormFinish = @MainActor @Sendable (FormOutcome) -> Void

/// One write as the user meets it: the form, how its values are sent, what the answer shows.
@MainActor
struct FormModal {
    var state: FormState
    var title: String
    /// A request is in flight: keys wait, so the form cannot be sent twice.
    var sending = false
    /// Sends the values; `finish` closes the form with a notice, or keeps it with the error.
    let send: @MainActor (FormState, @escaping FormFinish) -> Void
    /// Recomputes what depends on the typed text (the reminder's resolved time).
    var update: (@MainActor (inout FormState) -> Void)?
    /// When set, Enter asks this first (a PUT that resets fields).
    var confirmation: (@MainActor (FormState) -> DialogState)?

    init(
        state: FormState, title: String, update: (@MainActor (inout FormState) -> Void)? = nil,
        confirmation: (@MainActor (FormState) -> DialogState)? = nil,
        send: @escaping @MainActor (FormState, @escaping FormFinish) -> Void
    ) {
        self.state = state
        self.title = title
        self.update = update
        self.confirmation = confirmation
        self.send = send
        update?(&self.state)
    }
}

/// A fuzzy choice among items; `choose` gets the value behind the picked one, of whatever type
/// the picker was made with (a user id, a reason code, an outbox action).
@MainActor
struct PickerModal {
    var state: PickerState
    private let chooseItem: @MainActor (Int) -> Void

    /// `values[i]` is behind `items[i]`; items without a value are not offered.
    init<Choice>(title: String, items: [String], values: [Choice], choose: @escaping @MainActor (Choice) -> Void) {
        let count = min(items.count, values.count)
        state = PickerState(title: title, items: Array(items.prefix(count)))
        chooseItem = { index in if values.indices.contains(index) { choose(values[index]) } }
    }

    /// Hands the value behind item `index` to the chooser.
    func choose(item index: Int) { chooseItem(index) }
}

/// A question asked over a form before it is sent.
struct ConfirmModal {
    var dialog: DialogState
    var form: FormModal
}

extension FormOutcome {
    /// A write through the outbox: answered as above, or queued (the form closes and says when
    /// `what` will be sent: `Note queued · sends in 34s`).
    static func of<T>(_ outcome: ActionOutcome<T>, _ what: String, _ success: @autoclosure () -> Notice) -> FormOutcome {
        switch outcome {
        case .done(let result): return of(result, success())
        case .queued(let when): return .done(Notice("\(what) \(when)", kind: .info))
        }
    }

    /// The usual ending of a write: a success notice, or the error that refused it.
    static func of<T>(_ result: Result<T, VentiaError>, _ success: @autoclosure () -> Notice) -> FormOutcome {
        switch result {
        case .success: return .done(success())
        case .failure(let error): return .failed(error)
        }
    }
}
