import Dispatch
import Foundation
import Observation
import TerminalUI
import VentiaAPI
import VentiaViewModels

/// The app's frame: the panes (one file each), the windows over them, the tab bar and status
/// line, and the one path a key takes: decoded key → keymap action → the open window, the focused
/// pane, or a global action. Window keys are in `AppShell+Modals`, drawing in `AppShell+Drawing`.
@MainActor
public final class AppShell {
    public let session: AppSession
    let context: PaneContext
    let contactsPane: ContactsPane
    let usersPane: UsersPane
    let salesPane: SalesPane
    let companyPane: CompanyPane
    let webhooksPane: WebhooksPane
    /// Every pane; a new pane is one file, one entry here, and its `PaneID` (which orders the tabs).
    let panes: [any AppPane]

    public private(set) var pane = PaneID.contacts
    var modal: Modal?
    var helpScroll: Int?

    /// Called to leave the app.
    public var onQuit: () -> Void = {}
    /// Runs `$EDITOR` with the terminal handed over; returns what was written.
    public var composeInEditor: (String) -> ExternalEditor.Outcome {
        get { context.composeInEditor }
        set { context.composeInEditor = newValue }
    }

    public init(session: AppSession, keymap: Keymap, schema: KeymapSchema, clock: any VentiaClock = SystemClock(), timeZone: TimeZone = .current) {
        self.session = session
        context = PaneContext(session: session, keys: AppKeymap(keymap: keymap, schema: schema), clock: clock, timeZone: timeZone)
        let sales = SalesListViewModel(session: session)
        let admin = AdminActions(session: session, sales: sales)
        contactsPane = ContactsPane(context: context)
        usersPane = UsersPane(context: context, admin: admin, contactActions: contactsPane.writes.actions, contacts: contactsPane.contacts)
        salesPane = SalesPane(context: context, sales: sales, admin: admin)
        companyPane = CompanyPane(context: context)
        webhooksPane = WebhooksPane(context: context, admin: admin)
        panes = [contactsPane, usersPane, salesPane, companyPane, webhooksPane]
        context.present = { [unowned self] modal in self.modal = modal }
        context.presentSending = { [unowned self] form in self.send(form) }
    }

    var keys: AppKeymap { context.keys }
    var hints: KeyHints { context.hints }
    /// The pane registered for `pane` (found by its id, so registration order does not matter).
    var focused: any AppPane { panes.first { $0.id == pane } ?? contactsPane }

    // The view models the panes show, for tests and the runner.
    public var contacts: ContactListViewModel { contactsPane.contacts }
    public var timeline: TimelineViewModel { contactsPane.timelinePane.timeline }
    public var sales: SalesListViewModel { salesPane.sales }
    public var openContactId: String? { contactsPane.timelinePane.contactId }
    /// Whether a frame drawn now shows contact rows (the first such frame is the start-up measure).
    public var showsContacts: Bool { pane == .contacts && !contacts.contacts.isEmpty }

    /// The terminal's size: the runner says it at start, and every resize again.
    public func resize(to size: Size) { context.screenSize = size }

    public func start() {
        session.loadDirectory()
        contactsPane.activate()
    }

    /// The keymap contexts in force, most specific first.
    var contexts: [KeymapContext] { focused.contexts + [.global] }

    // MARK: Events

    public func handle(_ event: TerminalEvent) {
        switch event {
        case .terminate: onQuit()
        case .resize(let size): resize(to: size)
        case .paste(let text): paste(text)
        case .key(let key): handle(key)
        }
    }

    public func handle(_ key: Key) {
        if keys.action(for: key, in: [.global]) == .quit { return onQuit() }
        if helpScroll != nil { return handleHelp(key) }
        if let modal { return handle(key, in: modal) }
        if focused.handleTyping(key) { return }
        guard let action = keys.action(for: key, in: contexts) else {
            if let text = key.text {
                session.show(Notice("\(KeyName.label(Key(.char(text)))) does nothing here; ? lists the keys", kind: .warning), for: 3)
            }
            return
        }
        if !focused.perform(action) { performGlobal(action) }
    }

    func performGlobal(_ action: AppAction) {
        switch action {
        case .help: helpScroll = 0
        case .command: modal = .command(TextFieldState())
        case .nextPane: switchTo(PaneID(rawValue: (pane.rawValue + 1) % PaneID.allCases.count) ?? .contacts)
        case .previousPane: switchTo(PaneID(rawValue: (pane.rawValue + PaneID.allCases.count - 1) % PaneID.allCases.count) ?? .contacts)
        case .showContacts, .showUsers, .showSales, .showCompany, .showWebhooks:
            if let target = PaneID.allCases.first(where: { $0.showAction == action }) { switchTo(target) }
        case .refresh: focused.refresh()
        case .back: back(quitAtTop: true)
        case .cancel: back(quitAtTop: false)
        case .dismiss:
            session.dismissError()
            session.clearNotice()
        default:
            break
        }
    }

    func switchTo(_ target: PaneID) {
        focused.resignFocus()
        pane = target
        focused.activate()
    }

    /// `q` closes what is open in the pane, then goes back to contacts, then quits; Esc never quits.
    func back(quitAtTop: Bool) {
        if focused.back() { return }
        if session.notice != nil && !quitAtTop {
            session.clearNotice()
        } else if pane != .contacts && quitAtTop {
            switchTo(.contacts)
        } else if quitAtTop {
            onQuit()
        }
    }

    func paste(_ text: String) {
        if let modal {
            paste(text, into: modal)
        } else {
            _ = focused.paste(text)
        }
    }

    func run(_ line: String) {
        guard !line.trimmingSpaces.isEmpty else { return }
        let words = line.trimmingSpaces.split(separator: " ", maxSplits: 1).map(String.init)
        let text = words[0]
        let argument = words.count > 1 ? words[1].trimmingSpaces : ""
        if let command = AppCommand.parse(text), !argument.isEmpty, !command.takesArgument {
            session.show(Notice(":\(command.rawValue) takes nothing after it", kind: .error))
            return
        }
        guard let command = AppCommand.parse(text) else {
            let candidates = AppCommand.suggestions(text)
            let message = candidates.count > 1
                ? ":\(text.trimmingSpaces) could be " + candidates.map { ":" + $0 }.joined(separator: " or ")
                : ":\(text.trimmingSpaces) is not a command; try " + AppCommand.allCases.map { ":" + $0.rawValue }.joined(separator: ", ")
            session.show(Notice(message, kind: .error))
            return
        }
        switch command {
        case .contacts: switchTo(.contacts)
        case .users: switchTo(.users)
        case .sales: switchTo(.sales)
        case .company: switchTo(.company)
        case .outbox: showOutbox()
        case .webhooks: switchTo(.webhooks)
        case .leadform: contactsPane.writes.leadEntry(code: argument)
        case .refresh: focused.refresh()
        case .help: helpScroll = 0
        case .quit: onQuit()
        }
    }
}
