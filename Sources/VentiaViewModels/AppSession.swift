import Dispatch
import Foundation
import Observation
import VentiaAPI
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

/// What an error on the status line came from, so that a later success of the same load clears it.
public enum ErrorSource: Sendable, Equatable {
    case contacts
    case timeline(contactId: String)
    case users
    case user(String)
    case groups
    case sales
    case allSales
    case webhooks
    /// A write or another one-off action: its error stays until dismissed.
    case action
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

/// What every pane shares: the client, the connection, the live rate budget, requests in flight,
/// the last error, and the account's users and group configuration.
@Observable
@MainActor
public final class AppSession {
    /// Requests a bulk load (every contact, every sale) leaves unspent for the rest of the minute.
    public static let budgetReserve = 10

    public let client: VentiaClient
    public let connection: ConnectionInfo
    public let clock: any VentiaClock
    /// The account's local copy; nil when none can be kept (then every list is online only).
    public private(set) var mirror: ContactMirror?
    /// When the contact list last caught up with the server (from the mirror at start).
    public internal(set) var caughtUpAt: Date?
    /// The list caught up with the server since the app started: `caughtUpAt` is not news.
    public internal(set) var caughtUpThisRun = false
    /// The last sync could not reach the server: the screen shows the mirror as it was.
    public internal(set) var offline = false
    /// `whatsapp_channel` from config.yml: for contacts without a channel of their own.
    @ObservationIgnored public var configuredWhatsAppChannel: String?

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

    @ObservationIgnored private var remembered: String?

    /// Runs work after a pause: the outbox's and the sync's timers. Tests put their clock here.
    @ObservationIgnored public var after: @MainActor (Double, @escaping @MainActor () -> Void) -> Void = { seconds, work in MainQueue.after(seconds, work) }
    /// Every contact write, kept (in the mirror) until the server has it.
    public let outbox = Outbox()
    /// Contacts held locally while older pages are still being fetched; nil once all are in.
    public internal(set) var syncProgress: Int?
    public private(set) var budget: RateBudgetSnapshot
    public private(set) var requestsInFlight = 0
    /// The last error, kept until dismissed or until what failed succeeds.
    public private(set) var lastError: String?
    /// What `lastError` came from.
    public private(set) var lastErrorSource: ErrorSource?
    public private(set) var notice: Notice?
    public private(set) var users: [User] = []
    public private(set) var usersState = LoadState.idle
    public private(set) var group: Group?
    /// The key's group and its descendants.
    public private(set) var groups: [Group] = []
    public private(set) var groupState = LoadState.idle

    @ObservationIgnored private var budgetObservation: RateBudgetObservation?
    @ObservationIgnored private var countdown: (any DispatchSourceTimer)?
    @ObservationIgnored private var noticeGeneration = 0

    public init(client: VentiaClient, connection: ConnectionInfo, mirror: ContactMirror? = nil, clock: any VentiaClock = SystemClock()) {
        self.client = client
        self.connection = connection
        self.mirror = mirror
        self.clock = clock
        if let mirror, let learned = try? mirror.learnedLimit() {
            client.rateBudget.adopt(learnedLimit: learned)
            keptLimit = learned
        }
        budget = client.rateBudget.snapshot()
        outbox.attach(self)
        budgetObservation = client.rateBudget.observe(on: MainQueue.answers, MainQueue.receive { [weak self] snapshot in self?.budgetChanged(snapshot) })
    }

    /// The learned limit as the mirror holds it, so that it is written only when it changes.
    @ObservationIgnored private var keptLimit: Int?

    private func budgetChanged(_ snapshot: RateBudgetSnapshot) {
        budget = snapshot
        if snapshot.learnedLimit != keptLimit, let mirror {
            keptLimit = snapshot.learnedLimit
            mirrorTry { try mirror.setLearnedLimit(snapshot.learnedLimit) }
        }
        requestsInFlight = client.requestsInFlight
        updateCountdown()
    }

    /// Ticks once a second only while a wait is running, so an idle app wakes up for nothing.
    private func updateCountdown() {
        if budget.secondsUntilSlot > 0 {
            guard countdown == nil else { return }
            countdown = MainQueue.repeating(every: 1) { [weak self] in
                guard let self else { return }
                self.budget = self.client.rateBudget.snapshot()
                if self.budget.secondsUntilSlot == 0 {
                    self.countdown?.cancel()
                    self.countdown = nil
                }
            }
        }
    }

    /// Runs a mirror operation; a failure (a full disk, a damaged file) drops the mirror for the
    /// rest of the run and says once that nothing is kept: the app goes on online.
    @discardableResult
    public func mirrorTry<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch {
            mirror = nil
            syncProgress = nil
            show(Notice("Nothing is kept offline from now on: \(error)", kind: .warning), for: 15)
            onError?("mirror: \(error)")
            return nil
        }
    }

    /// Hears every error reported, for the log file.
    @ObservationIgnored public var onError: ((String) -> Void)?

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

    /// Loads users and the group configuration (agent names, pickers).
    public func loadDirectory() {
        loadUsers()
        guard groupState != .loading else { return }
        if groups.isEmpty, let mirror, let kept = mirrorTry({ try mirror.kept([Group].self, as: "groups") }) ?? nil {
            // The configuration kept from an earlier run: pickers work before (or without) the network.
            group = kept.value.first
            groups = kept.value
        }
        groupState = groups.isEmpty ? .loading : .refreshing
        client.send(.listGroups, as: Kept<[Group]>.self, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            guard let self else { return }
            switch result {
            case .success(let answer):
                let groups = answer.value
                self.group = groups.first
                self.groups = groups
                self.groupState = groups.isEmpty ? .empty : .loaded
                if let mirror = self.mirror {
                    let now = self.clock.now()
                    self.mirrorTry { try mirror.keep(answer: answer.data, as: "groups", fetchedAt: now) }
                }
                self.succeeded(.groups)
            case .failure(.rateLimited(let wait)) where !self.groups.isEmpty:
                // The kept configuration serves; it refreshes once the window frees.
                self.groupState = .loaded
                self.after(Double(max(1, wait ?? 60)) + 1) { [weak self] in self?.loadDirectory() }
            case .failure(let error):
                self.groupState = self.groups.isEmpty ? .failed(error.description) : .loaded
                self.report(error, from: .groups)
            }
        })
    }

    /// All users, page by page (0-based, 100 a page, a short page ends it).
    /// Work waiting for the users (a saved view that names an agent), run once they arrive.
    @ObservationIgnored public var whenUsersLoad: [@MainActor () -> Void] = []

    public func loadUsers() {
        guard usersState != .loading else { return }
        if users.isEmpty, let mirror, let kept = mirrorTry({ try mirror.kept([User].self, as: "users") }) ?? nil {
            // The users kept from an earlier run: names and the transfer picker work at once.
            users = kept.value
        }
        usersState = users.isEmpty ? .loading : .refreshing
        loadUsersPage(CRMPageCursor(limit: 100), accumulated: [], kept: [])
    }

    /// `kept`: each user's JSON as it came, kept in the mirror once the last page is in.
    private func loadUsersPage(_ cursor: CRMPageCursor, accumulated: [User], kept: [JSONValue]) {
        client.send(
            .listUsers, query: VentiaClient.pageQuery(cursor.nextPage, cursor.limit), as: Kept<[User]>.self, on: MainQueue.answers,
            completion: MainQueue.deliver { [weak self] result in
                guard let self else { return }
                switch result {
                case .success(let answer):
                    let page = answer.value
                    let known = Set(accumulated.map(\.id))
                    var seen = known
                    var fresh: [User] = []
                    var freshJSON: [JSONValue] = []
                    for (index, user) in page.enumerated() where seen.insert(user.id).inserted {
                        fresh.append(user)
                        if case .array(let items) = answer.json, items.indices.contains(index) { freshJSON.append(items[index]) }
                    }
                    var next = cursor
                    next.advance(receivedCount: page.count, freshCount: fresh.count)
                    let all = accumulated + fresh
                    if next.reachedEnd {
                        self.users = all
                        self.usersState = all.isEmpty ? .empty : .loaded
                        if let mirror = self.mirror, let data = try? JSONEncoder().encode(JSONValue.array(kept + freshJSON)) {
                            let now = self.clock.now()
                            self.mirrorTry { try mirror.keep(answer: data, as: "users", fetchedAt: now) }
                        }
                        self.succeeded(.users)
                        let waiting = self.whenUsersLoad
                        self.whenUsersLoad = []
                        waiting.forEach { $0() }
                    } else {
                        self.loadUsersPage(next, accumulated: all, kept: kept + freshJSON)
                    }
                case .failure(.rateLimited(let wait)) where !self.users.isEmpty:
                    self.usersState = .loaded
                    self.after(Double(max(1, wait ?? 60)) + 1) { [weak self] in self?.loadUsers() }
                case .failure(let error):
                    self.usersState = self.users.isEmpty ? .failed(error.description) : .loaded
                    self.report(error, from: .users)
                }
            })
    }

    public func user(_ id: String?) -> User? {
        guard let id else { return nil }
        return users.first { $0.id == id }
    }

    /// A user's name, or a short form of the id when the user is unknown here.
    public func userName(_ id: String?) -> String {
        guard let id, !id.isEmpty else { return "—" }
        return user(id)?.fullName ?? "user …" + String(id.suffix(6))
    }

    /// The contact's agent as the answer names it, else from the users list; "—" for none.
    public func agentName(of contact: Contact) -> String {
        if let name = contact.agentFullName, !name.isEmpty { return name }
        return userName(contact.agent)
    }

    public func groupName(_ id: String?) -> String {
        guard let id else { return "—" }
        return groups.first { $0.id == id }?.name ?? "…" + String(id.suffix(6))
    }

    public func archivingReasonName(_ code: String) -> String {
        group?.archivingReasons.first { $0.code == code }?.name ?? code
    }

    public func originName(_ code: String?) -> String {
        guard let code, !code.isEmpty else { return "—" }
        return group?.origins.first { $0.code == code }?.name ?? code
    }

    /// Fetches one user by id (its answer carries the first-login date) and keeps the fresher data.
    public func refreshUser(_ id: String) {
        client.getUser(id: id, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            switch result {
            case .success(let user):
                self?.upsert(user)
                self?.succeeded(.user(id))
            case .failure(let error): self?.report(error, from: .user(id))
            }
        })
    }

    /// Replaces a user after an edit, or adds a new one.
    public func upsert(_ user: User) {
        if let index = users.firstIndex(where: { $0.id == user.id }) {
            users[index] = user
        } else {
            users.append(user)
        }
    }
}
