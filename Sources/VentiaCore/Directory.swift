import Foundation
import Observation
import TextSearch
import VentiaAPI
import VentiaMirror

/// The account's users and group configuration (agent names, pickers, the transfer target): kept
/// in the mirror, so that they serve at once from an earlier run while a refresh runs.
@Observable
@MainActor
public final class Directory {
    public private(set) var users: [User] = []
    public private(set) var usersState = LoadState.idle
    /// The key's group.
    public private(set) var group: Group?
    /// The key's group and its descendants.
    public private(set) var groups: [Group] = []
    public private(set) var groupState = LoadState.idle
    /// Work waiting for the users (a saved view that names an agent), run once they arrive.
    @ObservationIgnored public var whenUsersLoad: [@MainActor () -> Void] = []
    @ObservationIgnored private weak var account: AccountSession?

    nonisolated init() {}

    func attach(_ account: AccountSession) { self.account = account }

    /// Loads users and the group configuration.
    public func load() {
        loadUsers()
        guard let account, groupState != .loading else { return }
        if groups.isEmpty, let mirror = account.mirror, let kept = account.mirrorTry({ try mirror.kept([Group].self, as: "groups") }) ?? nil {
            // The configuration kept from an earlier run: pickers work before (or without) the network.
            group = kept.value.first
            groups = kept.value
        }
        groupState = groups.isEmpty ? .loading : .refreshing
        account.client.send(.listGroups, as: Kept<[Group]>.self, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            guard let self, let account = self.account else { return }
            switch result {
            case .success(let answer):
                let groups = answer.value
                self.group = groups.first
                self.groups = groups
                self.groupState = groups.isEmpty ? .empty : .loaded
                if let mirror = account.mirror {
                    let now = account.clock.now()
                    account.mirrorTry { try mirror.keep(answer: answer.data, as: "groups", fetchedAt: now) }
                }
                account.succeeded(.groups)
            case .failure(.rateLimited(let wait)) where !self.groups.isEmpty:
                // The kept configuration serves; it refreshes once the window frees.
                self.groupState = .loaded
                account.after(Double(max(1, wait ?? 60)) + 1) { [weak self] in self?.load() }
            case .failure(let error):
                self.groupState = self.groups.isEmpty ? .failed(error.description) : .loaded
                account.report(error, from: .groups)
            }
        })
    }

    /// All users, page by page (0-based, 100 a page, a short page ends it).
    public func loadUsers() {
        guard let account, usersState != .loading else { return }
        if users.isEmpty, let mirror = account.mirror, let kept = account.mirrorTry({ try mirror.kept([User].self, as: "users") }) ?? nil {
            // The users kept from an earlier run: names and the transfer picker work at once.
            users = kept.value
        }
        usersState = users.isEmpty ? .loading : .refreshing
        loadUsersPage(CRMPageCursor(limit: 100), accumulated: [], kept: [])
    }

    /// `kept`: each user's JSON as it came, kept in the mirror once the last page is in.
    private func loadUsersPage(_ cursor: CRMPageCursor, accumulated: [User], kept: [JSONValue]) {
        guard let account else { return }
        account.client.send(
            .listUsers, query: VentiaClient.pageQuery(cursor.nextPage, cursor.limit), as: Kept<[User]>.self, on: MainQueue.answers,
            completion: MainQueue.deliver { [weak self] result in
                guard let self, let account = self.account else { return }
                switch result {
                case .success(let answer):
                    let page = answer.value
                    var seen = Set(accumulated.map(\.id))
                    var fresh: [User] = []
                    var freshJSON: [JSONValue] = []
                    for (index, user) in page.enumerated() where seen.insert(user.id).inserted {
                        fresh.append(user)
                        if case .array(let items) = answer.json, items.indices.contains(index) { freshJSON.append(items[index]) }
                    }
                    var next = cursor
                    next.advance(receivedCount: page.count, freshCount: fresh.count)
                    let all = accumulated + fresh
                    guard next.reachedEnd else { return self.loadUsersPage(next, accumulated: all, kept: kept + freshJSON) }
                    self.users = all
                    self.usersState = all.isEmpty ? .empty : .loaded
                    if let mirror = account.mirror, let data = try? JSONEncoder().encode(JSONValue.array(kept + freshJSON)) {
                        let now = account.clock.now()
                        account.mirrorTry { try mirror.keep(answer: data, as: "users", fetchedAt: now) }
                    }
                    account.succeeded(.users)
                    let waiting = self.whenUsersLoad
                    self.whenUsersLoad = []
                    waiting.forEach { $0() }
                case .failure(.rateLimited(let wait)) where !self.users.isEmpty:
                    self.usersState = .loaded
                    account.after(Double(max(1, wait ?? 60)) + 1) { [weak self] in self?.loadUsers() }
                case .failure(let error):
                    self.usersState = self.users.isEmpty ? .failed(error.description) : .loaded
                    account.report(error, from: .users)
                }
            })
    }

    public func user(_ id: String?) -> User? {
        guard let id else { return nil }
        return users.first { $0.id == id }
    }

    /// Fetches one user by id (its answer carries the first-login date) and keeps the fresher data.
    public func refreshUser(_ id: String) {
        account?.client.getUser(id: id, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            switch result {
            case .success(let user):
                self?.upsert(user)
                self?.account?.succeeded(.user(id))
            case .failure(let error): self?.account?.report(error, from: .user(id))
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

extension User {
    /// The user `text` names: their id, their email, or their full name with accents and case
    /// aside (`martin olivera` is Martín Olivera), as views, the commands and the import take it.
    public static func named(_ text: String, among users: [User]) -> User? {
        let folded = TextFolding.fold(text.trimmingCharacters(in: .whitespaces))
        return users.first { $0.id == text || $0.email.lowercased() == text.lowercased() || TextFolding.fold($0.fullName) == folded }
    }
}
