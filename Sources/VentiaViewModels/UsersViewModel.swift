import Foundation
import Observation
import VentiaAPI
import VentiaCore

/// The users pane's list: the account's users (kept by the session, which pickers share) and the
/// selected row.
@Observable
@MainActor
public final class UsersViewModel {
    public let session: AppSession
    public private(set) var selection = 0
    /// Users marked for a bulk action (handing their contacts over).
    public private(set) var marks = MarkSet()

    public init(session: AppSession) {
        self.session = session
    }

    public var users: [User] { session.users }
    public var state: LoadState { session.usersState }

    public var selectedUser: User? { users.indices.contains(selection) ? users[selection] : nil }

    /// Loads the users the first time the pane shows.
    public func start() {
        if session.usersState == .idle { session.loadUsers() }
    }

    public func refresh() { session.loadDirectory() }

    public func select(_ index: Int) { selection = max(0, min(index, users.count - 1)) }

    public func select(id: String) {
        if let index = users.firstIndex(where: { $0.id == id }) { selection = index }
    }

    public func toggleMark() {
        guard let user = selectedUser else { return }
        marks.toggle(user.id)
        select(selection + 1)
    }

    @discardableResult
    public func markAll() -> Int { marks.insert(contentsOf: users.map(\.id)) }

    public func clearMarks() { marks.removeAll() }

    /// The marked users (or the selected one when none are).
    public var targets: [User] {
        marks.isEmpty ? [selectedUser].compactMap { $0 } : marks.ids.compactMap { id in users.first { $0.id == id } }
    }

    /// The list answers firstLogin as a flag; get-by-id has the date: fetch it for the card.
    public func openSelected() {
        if let user = selectedUser { session.refreshUser(user.id) }
    }
}
