import Foundation
import TerminalUI
import VentiaAPI
import VentiaCore
import VentiaViewModels

/// The panes, in tab order.
public struct PaneID: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// What a pane tells the shell about itself: its tab, the key action that shows it, its `:`
/// command. The shell knows no pane by name: it reads these from `PaneList`.
struct PaneRegistration {
    var id: PaneID
    var title: String
    /// The global action that switches to it (bound in `keymaps/`); nil when Tab and its `:` command reach it.
    var showAction: AppAction?
    var command: String
    var aliases: [String] = []
    var commandHelp: String
}

/// What panes share beyond the context: the view models more than one pane shows or writes
/// through, made once by the shell before any pane.
@MainActor
final class PaneServices {
    let context: PaneContext
    let contacts: ContactListViewModel
    let timeline: TimelineViewModel
    let contactActions: ContactActions
    /// The contact forms (note, edit, lead entry): the contacts pane offers them, the outbox window reopens them.
    let contactWrites: ContactWrites
    let sales: SalesListViewModel
    let salesReview: SalesReviewViewModel
    let admin: AdminActions
    /// Who sits at the keyboard (`:me`).
    let me: MeChooser

    init(context: PaneContext) {
        self.context = context
        let session = context.session
        contacts = ContactListViewModel(session: session)
        timeline = TimelineViewModel(session: session)
        contactActions = ContactActions(session: session, list: contacts, timeline: timeline, clock: context.clock)
        contactWrites = ContactWrites(context: context, actions: contactActions, contacts: contacts)
        sales = SalesListViewModel(session: session)
        salesReview = SalesReviewViewModel(session: session, timeZone: context.dates.timeZone, clock: context.clock)
        sales.onWrite = { [salesReview] in salesReview.saleChanged() }
        admin = AdminActions(session: session, sales: sales)
        me = MeChooser(context: context, contacts: contacts)
    }
}

/// Makes a pane from what panes share.
typealias PaneMaker = @MainActor (PaneServices) -> any AppPane

/// What the shell hands every pane: the session, the keymap, the clock, and the way to open a window.
@MainActor
final class PaneContext {
    let session: AppSession
    let keys: AppKeymap
    let clock: any VentiaClock
    /// Made once: its date formatters are too dear to build on every frame.
    let dates: DateText
    let reminderParser: ReminderTimeParser
    /// How amounts read (`locale:` and `currency:` in config.yml).
    var money = MoneyFormat.plain
    var hints: KeyHints { KeyHints(keymap: keys) }
    /// The terminal's size, as the last resize said: panes keep their scroll positions right for
    /// it when their state changes, so drawing never has to.
    var screenSize = Size(width: 80, height: 24)
    /// Where panes draw at `screenSize`: all but the tab bar, the message line and the status line.
    var bodyArea: Rect { Self.bodyArea(in: Rect(size: screenSize)) }

    nonisolated static func bodyArea(in screen: Rect) -> Rect {
        Rect(x: 0, y: 1, width: screen.width, height: max(0, screen.height - 3))
    }
    /// Opens a window over the panes.
    var present: (Modal) -> Void = { _ in }
    /// Opens a form and sends it at once (a note written in `$EDITOR`).
    var presentSending: (FormModal) -> Void = { _ in }
    /// Runs `$EDITOR` with the terminal handed over; returns what was written.
    var composeInEditor: (String) -> ExternalEditor.Outcome = { _ in .failed("no editor available") }

    init(session: AppSession, keys: AppKeymap, clock: any VentiaClock, timeZone: TimeZone) {
        self.session = session
        self.keys = keys
        self.clock = clock
        dates = DateText(timeZone: timeZone)
        reminderParser = ReminderTimeParser(timeZone: timeZone)
    }

    /// Shows a write's answer: a success notice, or the error on the status line.
    /// A write through the outbox: its answer as above, or that it waits (and until when).
    func announce<T>(_ outcome: ActionOutcome<T>, _ what: String, success: @autoclosure () -> String) {
        switch outcome {
        case .done(let result): announce(result, success: success())
        case .queued(let when): session.show(Notice("\(what) \(when)", kind: .info), for: 6)
        }
    }

    func announce<T>(_ result: Result<T, VentiaError>, success: @autoclosure () -> String) {
        switch result {
        case .success: session.show(Notice(success(), kind: .success))
        case .failure(let error): session.report(error)
        }
    }
}

/// One tab of the app: its navigation state, the actions of its keymap contexts, its drawing.
@MainActor
protocol AppPane: AnyObject {
    /// Its tab, show action and `:` command.
    static var registration: PaneRegistration { get }
    /// Keymap contexts, most specific first; the shell adds `global`.
    var contexts: [KeymapContext] { get }
    /// What the status line says about the pane ("40 contacts").
    var statusSummary: String { get }

    /// The pane comes to the front: load what it shows, if it has not.
    func activate()
    /// Another pane comes to the front: stop editing.
    func resignFocus()
    func refresh()
    /// Takes an action of its contexts; false when it has nothing to do with it.
    func perform(_ action: AppAction) -> Bool
    /// `q` or Esc: closes what is open inside the pane; false when nothing was.
    func back() -> Bool
    /// A key typed into something the pane is editing (a filter), before the keymap; true when taken.
    func handleTyping(_ key: Key) -> Bool
    func paste(_ text: String) -> Bool
    /// Draws the pane's body; returns where the caret goes, if anywhere.
    func draw(_ buffer: inout CellBuffer, area: Rect, now: Date) -> Point?
    /// Draws the line above the status line when the pane owns it (a filter); nil when it does not.
    func drawMessageLine(_ buffer: inout CellBuffer, row: Rect) -> MessageLineUse?
    /// The user is typing in the message line (a filter): a notice must not cover it.
    var isTypingInMessageLine: Bool { get }
    /// Whether an error from `source` belongs on this pane.
    func shows(errorFrom source: ErrorSource?) -> Bool
    /// A left click at `point` in the pane's body `area`; false when it lands on nothing.
    func click(at point: Point, in area: Rect) -> Bool
}

/// A pane's use of the message line, and the caret it puts there.
struct MessageLineUse {
    var caret: Point?
}

extension AppPane {
    var registration: PaneRegistration { Self.registration }
    var id: PaneID { Self.registration.id }
    func resignFocus() {}
    func handleTyping(_ key: Key) -> Bool { false }
    func paste(_ text: String) -> Bool { false }
    func drawMessageLine(_ buffer: inout CellBuffer, row: Rect) -> MessageLineUse? { nil }
    var isTypingInMessageLine: Bool { false }
    func click(at point: Point, in area: Rect) -> Bool { false }
}
