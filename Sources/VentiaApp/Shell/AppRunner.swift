import Dispatch
import Foundation
import Logging
import ShippedKeymaps
import TerminalUI
import VentiaAPI
import VentiaCore
import VentiaMirror
import VentiaViewModels

/// Wires a running app: the terminal, the loop, the shell over a client. Everything here runs on
/// the main queue; `dispatchMain()` follows.
@MainActor
public final class AppRunner {
    public let loop: TerminalLoop
    public let backend: NcursesBackend
    public private(set) var shell: AppShell?
    let keymap: Keymap
    let schema: KeymapSchema
    let keymapIssues: [KeymapIssue]
    let configurationNotices: [String]
    let whatsAppChannel: String?
    let savedViews: [SavedView]
    let me: String?
    let money: MoneyFormat
    let notify: TerminalAlert
    let mouse: Bool
    let theme: Theme?
    let configFile: URL
    let logger: Logger
    let environment: [String: String]
    var startupMessage = "Starting…"
    /// Keeps the in-process demo server alive for the life of the app.
    public var demoServer: AnyObject?
    /// Logs how long each key took to reach the screen (`--trace-latency`, for benchmarks).
    public var traceLatency = false

    /// Loads the keymap (shipped + user file), opens the terminal. Fails with a message for the user.
    public init(configuration: AppConfiguration, environment: [String: String], logger: Logger) throws {
        self.logger = logger
        self.environment = environment
        configurationNotices = configuration.notices
        whatsAppChannel = configuration.whatsAppChannel
        savedViews = configuration.savedViews
        money = configuration.money
        me = configuration.me
        notify = configuration.notify
        mouse = configuration.mouse
        // The standard theme draws as it is: no pass over every cell of every frame.
        theme = configuration.theme == .dark ? nil : configuration.theme
        configFile = configuration.configFile
        let (schema, schemaIssues) = KeymapLoader.parseSchema(ShippedKeymaps.text("actions") ?? "", file: "keymaps/actions.yaml")
        var issues = schemaIssues + AppKeymap.problems(in: schema, file: "keymaps/actions.yaml")
        var shippedName = configuration.keymapName
        if ShippedKeymaps.text(shippedName) == nil {
            issues.append(KeymapIssue(file: configuration.configFile.path, line: nil, text: shippedName, message: "no shipped keymap has this name; using default"))
            shippedName = "default"
        }
        let (keymap, keymapIssues) = KeymapLoader.load(
            shipped: ShippedKeymaps.text(shippedName) ?? "", shippedName: "keymaps/\(shippedName).yaml", userFile: configuration.keymapFile, schema: schema)
        self.schema = schema
        self.keymap = keymap
        self.keymapIssues = issues + keymapIssues
        for issue in self.keymapIssues { logger.warning("\(issue)") }
        // Crash reports and anything written to standard error while the screen is drawn go to the
        // log file (opened here a second time: a signal handler can only use a plain descriptor).
        let crashReport = open(configuration.logFile.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        backend = try NcursesBackend(environment: environment, crashReport: crashReport)
        loop = TerminalLoop(backend: backend)
        loop.onResize = { [backend] in backend.refreshSize() }
        loop.render = { [unowned self] buffer in self.drawStartup(&buffer) }
        let keys = AppKeymap(keymap: keymap, schema: schema)
        loop.onEvent = { [unowned self] event in
            if case .key(let key) = event, keys.action(for: key, in: [.global]) == .quit { self.quit(0) }
            if event == .terminate { self.quit(0) }
        }
        loop.start()
    }

    func drawStartup(_ buffer: inout CellBuffer) -> Point? {
        buffer.write("ventia", at: Point(x: 2, y: 1), style: Theme.standard.title)
        buffer.write(startupMessage, at: Point(x: 2, y: 3), maxWidth: buffer.size.width - 4)
        return nil
    }

    /// Shows a start-up failure and waits for a key to leave.
    public func fail(_ message: String) {
        startupMessage = "✗ \(message)  — press q to quit"
        logger.error("\(message)")
        loop.onEvent = { [unowned self] event in if case .key = event { self.quit(1) } else if event == .terminate { self.quit(1) } }
        loop.renderNow()
    }

    public func setStartupMessage(_ text: String) {
        startupMessage = text
        loop.renderNow()
    }

    /// Runs the app over `client`, with the account's local copy as `mirror` opened it.
    public func run(client: VentiaClient, connection: ConnectionInfo, mirror: MirrorOpening?, onFirstContactsPaint: (() -> Void)? = nil) {
        var mirrorNotice: String?
        var kept: ContactMirror?
        switch mirror {
        case .opened(let opened, let notice)?:
            kept = opened
            mirrorNotice = notice
        case .unavailable(let reason)?: mirrorNotice = "Nothing is kept offline: \(reason)"
        case nil: break
        }
        let session = AppSession(client: client, connection: connection, mirror: kept)
        session.onError = { [logger] message in logger.error("\(message)") }
        session.configuredWhatsAppChannel = whatsAppChannel
        let shell = AppShell(session: session, keymap: keymap, schema: schema)
        session.me = me
        if notify.bell || notify.desktop {
            session.onAlert = { [backend, notify] text in backend.alert(notify, title: "ventia", text: text) }
        }
        shell.services.me.configFile = configFile
        shell.services.me.configuredViews = savedViews
        shell.context.money = money
        shell.resize(to: backend.size)
        self.shell = shell
        shell.onQuit = { [unowned self] in self.quit(0) }
        shell.composeInEditor = { [unowned self] instructions in
            self.loop.pauseInput()
            self.backend.suspend()
            let outcome = ExternalEditor.compose(initial: "", instructions: instructions, environment: self.environment)
            self.backend.resume()
            self.loop.resumeInput()
            return outcome
        }
        let trigger = RenderTrigger(loop: loop)
        var firstPaint = onFirstContactsPaint
        loop.render = { [unowned shell, theme] buffer in
            let caret = shell.drawTracked(&buffer) { DispatchQueue.main.async { trigger.fire() } }
            theme?.restyle(&buffer)
            if let report = firstPaint, shell.showsContacts {
                firstPaint = nil
                DispatchQueue.main.async { report() }  // after this frame reaches the terminal
            }
            return caret
        }
        loop.onEvent = { [unowned shell] event in shell.handle(event) }
        if traceLatency {
            // Key handled (a search included) to frame on the terminal, one log line a key.
            var keyAt: ContinuousClock.Instant?
            loop.onEvent = { [unowned shell] event in
                if case .key = event { keyAt = .now }
                shell.handle(event)
            }
            loop.onPresented = { [logger] in
                guard let start = keyAt else { return }
                keyAt = nil
                let elapsed = ContinuousClock.now - start
                let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                logger.info("latency: key to frame \(String(format: "%.2f", milliseconds)) ms")
            }
        }
        if me == nil {
            session.show(Notice("Who are you? :me picks you from the users, for your own views and notices", kind: .info), for: 10)
        }
        if let mirrorNotice {
            logger.warning("\(mirrorNotice)")
            session.show(Notice(mirrorNotice, kind: .warning), for: 15)
        }
        for notice in configurationNotices {
            logger.warning("\(notice)")
            session.show(Notice(notice, kind: .warning), for: 15)
        }
        if !keymapIssues.isEmpty {
            session.report(message: "keymap: \(keymapIssues[0])" + (keymapIssues.count > 1 ? " (+\(keymapIssues.count - 1) more in the log)" : ""))
        }
        logger.info("started: \(connection.mode == .demo ? "demo" : "live") against \(connection.host)")
        backend.setMouse(mouse)
        shell.start()
        session.watchMyReminders()
        loop.renderNow()
        // Writes a previous run kept and did not get acknowledged go out now (after the first paint).
        session.outbox.resume()
    }

    public func quit(_ code: Int32) {
        loop.stop()
        backend.close()
        logger.info("quit")
        exit(code)
    }
}

/// Lets Observation's change callback (which must be Sendable) ask the main-queue loop for a render.
final class RenderTrigger: @unchecked Sendable {
    private weak var loop: TerminalLoop?
    init(loop: TerminalLoop) { self.loop = loop }

    /// Must be called on the main queue.
    func fire() {
        MainActor.assumeIsolated { loop?.setNeedsRender() }
    }
}
