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
    /// The view models panes share.
    let services: PaneServices
    /// Every pane, in tab order (`PaneList`); the shell knows none by name.
    let panes: [any AppPane]
    /// Where `q` goes back to: the first tab.
    let home: any AppPane
    let commands: CommandTable

    public private(set) var pane: PaneID
    var modal: Modal?
    var help: HelpState?

    /// Called to leave the app.
    public var onQuit: () -> Void = {}
    /// Runs `$EDITOR` with the terminal handed over; returns what was written.
    public var composeInEditor: (String) -> ExternalEditor.Outcome {
        get { context.composeInEditor }
        set { context.composeInEditor = newValue }
    }

    public convenience init(session: AppSession, keymap: Keymap, schema: KeymapSchema, clock: any VentiaClock = SystemClock(), timeZone: TimeZone = .current) {
        self.init(session: session, keymap: keymap, schema: schema, clock: clock, timeZone: timeZone, panes: PaneList.makers)
    }

    /// `panes`: the tabs, in order (`PaneList.makers` unless a test adds one).
    init(session: AppSession, keymap: Keymap, schema: KeymapSchema, clock: any VentiaClock, timeZone: TimeZone, panes makers: [PaneMaker]) {
        self.session = session
        context = PaneContext(session: session, keys: AppKeymap(keymap: keymap, schema: schema), clock: clock, timeZone: timeZone)
        let services = PaneServices(context: context)
        self.services = services
        let made = (makers.isEmpty ? PaneList.makers : makers).map { $0(services) }
        panes = made
        home = made[0]
        pane = made[0].id
        commands = CommandTable(panes: made.map(\.registration))
        context.present = { [unowned self] modal in self.modal = modal }
        context.presentSending = { [unowned self] form in self.send(form) }
    }

    var keys: AppKeymap { context.keys }
    var hints: KeyHints { context.hints }
    /// The pane registered for `pane`.
    var focused: any AppPane { panes.first { $0.id == pane } ?? home }

    /// The registered pane of type `P`, if there is one.
    func pane<P: AppPane>(_ type: P.Type) -> P? { panes.lazy.compactMap { $0 as? P }.first }

    // The view models the panes show, for tests and the runner.
    public var contacts: ContactListViewModel { services.contacts }
    public var timeline: TimelineViewModel { services.timeline }
    public var sales: SalesListViewModel { services.sales }
    public var openContactId: String? { pane(ContactsPane.self)?.timelinePane.contactId }
    /// Whether a frame drawn now shows contact rows (the first such frame is the start-up measure).
    public var showsContacts: Bool { focused is ContactsPane && !contacts.contacts.isEmpty }

    /// The terminal's size: the runner says it at start, and every resize again.
    public func resize(to size: Size) { context.screenSize = size }

    public func start() {
        session.loadDirectory()
        if session.connection.mode == .live { session.account.feed.start() }  // a team gateway's feed; demo has none
        home.activate()
    }

    /// The keymap contexts in force, most specific first.
    var contexts: [KeymapContext] { focused.contexts + [.global] }

    // MARK: Events

    public func handle(_ event: TerminalEvent) {
        switch event {
        case .terminate: onQuit()
        case .resize(let size): resize(to: size)
        case .paste(let text): paste(text)
        case .mouse(let mouse): ShellPointer(shell: self).handle(mouse)
        case .key(let key): handle(key)
        }
    }

    public func handle(_ key: Key) {
        if keys.action(for: key, in: [.global]) == .quit { return onQuit() }
        if help != nil { return handleHelp(key) }
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
        case .help: help = HelpState()
        case .command: modal = .command(CommandLineWindow())
        case .nextPane: switchTo(panes[(index(of: pane) + 1) % panes.count].id)
        case .previousPane: switchTo(panes[(index(of: pane) + panes.count - 1) % panes.count].id)
        case .refresh: focused.refresh()
        case .back: back(quitAtTop: true)
        case .cancel: back(quitAtTop: false)
        case .dismiss: session.dismissMessages()
        case .openNotice:
            if let id = session.noticeLog.latestContactId { openContact(id) } else { session.show(Notice("No notice names a contact", kind: .warning), for: 3) }
        default:
            if let target = panes.first(where: { $0.registration.showAction == action }) { switchTo(target.id) }
        }
    }

    /// Shows the contact `id` with its timeline, from wherever the user is (a notice's contact).
    func openContact(_ id: String) {
        guard let contactsPane = pane(ContactsPane.self) else { return }
        switchTo(contactsPane.id)
        contactsPane.timelinePane.open(id)
    }

    /// The tab position of `id` (0 for one not registered).
    func index(of id: PaneID) -> Int { panes.firstIndex { $0.id == id } ?? 0 }

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
        } else if pane != home.id && quitAtTop {
            switchTo(home.id)
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
        let command: AppCommand, argument: String
        switch commands.resolve(line, palette: ActionPalette(keys: keys, contexts: contexts)) {
        case nil: return
        case .failure(let problem)?: return session.show(Notice(problem.message, kind: .error))
        case .success(let resolved)?: (command, argument) = resolved
        }
        switch command {
        case .pane(let id): switchTo(id)
        case .outbox: OutboxWindow(session: session, services: services, present: context.present).open()
        case .leadform: services.contactWrites.leadEntry(code: argument)
        case .me: services.me.pick()
        case .action(let action): if !focused.perform(action) { performGlobal(action) }
        case .notices: NoticesWindow(session: session, dates: context.dates, now: context.clock.now(), present: context.present, openContact: { [unowned self] id in self.openContact(id) }).open()
        case .refresh: focused.refresh()
        case .help: help = HelpState()
        case .quit: onQuit()
        }
    }
}
