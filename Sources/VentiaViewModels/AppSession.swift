import Dispatch
import Foundation
import Observation
import VentiaAPI
import VentiaCore
import VentiaMirror

/// How the app is connected, for the status line.
public struct ConnectionInfo: Sendable, Equatable {
    public enum Mode: Sendable, Equatable { case demo, live }
    public var mode: Mode
    public var host: String

    public init(mode: Mode, host: String) {
        self.mode = mode
        self.host = host
    }
}

/// A message shown for a while in the line above the status line.
public struct Notice: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case info, success, warning, error }
    public var text: String
    public var kind: Kind
    public init(_ text: String, kind: Kind = .info) {
        self.text = text
        self.kind = kind
    }
}

/// The app's side of the account: the shared `AccountSession` (client, mirror, outbox, directory,
/// sync state) plus what only a screen has: the connection shown, the live rate budget and its
/// countdown, requests in flight, the last error and the notice line. It words the account's events.
@Observable
@MainActor
public final class AppSession {
    /// Requests a bulk load (every contact, every sale) leaves unspent for the rest of the minute.
    public static let budgetReserve = 10

    public let account: AccountSession
    public let connection: ConnectionInfo
    public private(set) var budget: RateBudgetSnapshot
    public private(set) var requestsInFlight = 0
    /// The last error, kept until dismissed or until what failed succeeds.
    public private(set) var lastError: String?
    /// What `lastError` came from.
    public private(set) var lastErrorSource: ErrorSource?
    public private(set) var notice: Notice?
    /// Who sits at the keyboard (`me:` in config.yml, or picked with `:me`): an email, name or id.
    public var me: String?
    /// The notices that concern me, for `:notices`.
    public let noticeLog = NoticeLog()
    /// Rings or notifies for a notice that concerns me (config.yml's `notify:`); nil: silent.
    @ObservationIgnored public var onAlert: ((String) -> Void)?
    /// `whatsapp_channel` from config.yml: for contacts without a channel of their own.
    @ObservationIgnored public var configuredWhatsAppChannel: String?
    /// Hears every error reported, for the log file.
    @ObservationIgnored public var onError: ((String) -> Void)?

    @ObservationIgnored private var remembered: String?
    @ObservationIgnored private var budgetObservation: RateBudgetObservation?
    @ObservationIgnored private var countdown: (any DispatchSourceTimer)?
    @ObservationIgnored private var noticeGeneration = 0

    public init(client: VentiaClient, connection: ConnectionInfo, mirror: ContactMirror? = nil, clock: any VentiaClock = SystemClock()) {
        account = AccountSession(client: client, mirror: mirror, clock: clock)
        self.connection = connection
        budget = client.rateBudget.snapshot()
        account.listen { [weak self] event in self?.word(event) }
        budgetObservation = client.rateBudget.observe(on: MainQueue.answers, MainQueue.receive { [weak self] snapshot in self?.budgetChanged(snapshot) })
    }

    // MARK: The account, as the panes read it

    public var client: VentiaClient { account.client }
    public var clock: any VentiaClock { account.clock }
    public var mirror: ContactMirror? { account.mirror }
    public var outbox: Outbox { account.outbox }
    public var directory: Directory { account.directory }
    public var caughtUpAt: Date? {
        get { account.caughtUpAt }
        set { account.caughtUpAt = newValue }
    }
    public var caughtUpThisRun: Bool { account.caughtUpThisRun }
    public var offline: Bool {
        get { account.offline }
        set { account.offline = newValue }
    }
    public var syncProgress: Int? { account.syncProgress }
    public var after: @MainActor (Double, @escaping @MainActor () -> Void) -> Void {
        get { account.after }
        set { account.after = newValue }
    }
    public var users: [User] { directory.users }
    public var usersState: LoadState { directory.usersState }
    public var group: Group? { directory.group }
    public var groups: [Group] { directory.groups }
    public var groupState: LoadState { directory.groupState }
    public var whenUsersLoad: [@MainActor () -> Void] {
        get { directory.whenUsersLoad }
        set { directory.whenUsersLoad = newValue }
    }
    public func loadDirectory() { directory.load() }
    public func loadUsers() { directory.loadUsers() }
    public func refreshUser(_ id: String) { directory.refreshUser(id) }
    public func upsert(_ user: User) { directory.upsert(user) }
    public func user(_ id: String?) -> User? { directory.user(id) }

    @discardableResult
    public func mirrorTry<T>(_ body: () throws -> T) -> T? { account.mirrorTry(body) }

    // MARK: The account's events, worded for the screen

    private func word(_ event: AccountEvent) {
        switch event {
        case .mirrorDropped(let reason):
            show(Notice("Nothing is kept offline from now on: \(reason)", kind: .warning), for: 15)
            onError?("mirror: \(reason)")
        case .loadFailed(let source, let error): report(error, from: source)
        case .loadSucceeded(let source): succeeded(source)
        case .outboxResumed(let count):
            show(Notice("\(count) write\(count == 1 ? "" : "s") from the last run \(count == 1 ? "is" : "are") being sent", kind: .info), for: 6)
        case .writeDelivered(let record, let delivery, let quiet):
            guard let how = delivery.announcement(quiet: quiet) else { return }
            show(Notice("\(Outbox.describe(record)) \(how)", kind: .success), for: 6)
        case .writeRefused(let record, let error):
            report(message: "\(Outbox.describe(record)) was refused: \(error.description) — :outbox to fix, retry or discard it")
        case .teamChanged(let changes, _): announceTransfersToMe(changes)
        case .remindersDue(let due, let missed): announceReminders(due, missed: missed)
        case .gatewayFound: watchMyReminders()  // the gateway's token may say who I am
        case .teamFeedReset: break  // the lists follow it
        }
    }

    // MARK: The budget

    private func budgetChanged(_ snapshot: RateBudgetSnapshot) {
        budget = snapshot
        requestsInFlight = client.requestsInFlight
        updateCountdown()
    }

    /// Ticks once a second only while a wait is running, so an idle app wakes up for nothing.
    private func updateCountdown() {
        guard budget.secondsUntilSlot > 0, countdown == nil else { return }
        countdown = MainQueue.repeating(every: 1) { [weak self] in
            guard let self else { return }
            self.budget = self.client.rateBudget.snapshot()
            if self.budget.secondsUntilSlot == 0 {
                self.countdown?.cancel()
                self.countdown = nil
            }
        }
    }

    // MARK: Errors and notices

    public func report(_ error: VentiaError, from source: ErrorSource = .action) {
        guard error != .cancelled else { return }
        report(message: error.description, from: source)
    }

    public func report(message: String, from source: ErrorSource = .action) {
        lastError = message
        lastErrorSource = source
        onError?(message)
    }

    /// A load succeeded: an error it had reported is over. Another source's error stays.
    public func succeeded(_ source: ErrorSource) {
        guard lastErrorSource == source else { return }
        dismissError()
    }

    public func dismissError() {
        lastError = nil
        lastErrorSource = nil
    }

    /// Shows `notice` for `seconds` (errors stay in `lastError` instead).
    public func show(_ notice: Notice, for seconds: Double = 4) {
        self.notice = notice
        noticeGeneration += 1
        let generation = noticeGeneration
        MainQueue.after(seconds) { [weak self] in
            guard let self, self.noticeGeneration == generation else { return }
            self.notice = nil
        }
    }

    public func clearNotice() { notice = nil }

    /// The error and the notice both go (the dismiss key).
    public func dismissMessages() {
        dismissError()
        clearNotice()
    }

    // MARK: WhatsApp

    /// The channel to message a contact without one on: the configured one, else the one the user
    /// named once for this account (kept in the mirror).
    public func whatsAppChannel() -> String? {
        if let configuredWhatsAppChannel { return configuredWhatsAppChannel }
        if let remembered { return remembered }
        guard let mirror, let kept = mirrorTry({ try mirror.kept(String.self, as: "whatsappChannel") }) ?? nil else { return nil }
        remembered = kept.value
        return kept.value
    }

    public func rememberWhatsAppChannel(_ channel: String) {
        remembered = channel
        if let mirror, let data = try? JSONEncoder().encode(channel) {
            let now = clock.now()
            mirrorTry { try mirror.keep(answer: data, as: "whatsappChannel", fetchedAt: now) }
        }
    }
}
