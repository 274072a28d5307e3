import Foundation
import VentiaAPI
import VentiaCore
import VentiaViewModels

/// `:me`: who sits at the keyboard, picked from the account's users and kept as `me:` in
/// config.yml, so views can say `agent: me` and "my day" has someone to be about.
@MainActor
public final class MeChooser {
    let context: PaneContext
    let contacts: ContactListViewModel
    /// config.yml, where the choice is kept (nil: nowhere, as in tests).
    public var configFile: URL?
    /// The views config.yml names; "my day" stands in for none once `me` is known.
    public var configuredViews: [SavedView] = [] {
        didSet { contacts.savedViews = SavedView.inForce(configured: configuredViews, me: context.session.me) }
    }

    init(context: PaneContext, contacts: ContactListViewModel) {
        self.context = context
        self.contacts = contacts
    }

    func pick() {
        let session = context.session
        guard !session.users.isEmpty else {
            session.whenUsersLoad.append { [weak self] in self?.pick() }
            session.loadUsers()
            session.show(Notice("Loading the users to pick from…", kind: .info))
            return
        }
        let users = session.users
        let items = users.map { user in user.fullName + (user.email.isEmpty ? "" : "  <\(user.email)>") }
        context.present(.picker(PickerModal(title: "Who are you?", items: items, values: users) { [weak self] user in self?.choose(user) }))
    }

    /// `user` is me from now on: the views in force follow, and config.yml keeps it.
    func choose(_ user: User) {
        let session = context.session
        let named = user.email.isEmpty ? user.id : user.email
        session.me = named
        contacts.savedViews = SavedView.inForce(configured: configuredViews, me: named)
        session.watchMyReminders()
        guard let configFile else {
            session.show(Notice("You are \(user.fullName) (for this run)", kind: .success))
            return
        }
        do {
            let text = (try? String(contentsOf: configFile, encoding: .utf8)) ?? ""
            try ConfigFileEditor.write(ConfigFileEditor.setting("me", to: named, in: text), to: configFile)
            session.show(Notice("You are \(user.fullName): kept as me: in \(configFile.lastPathComponent)", kind: .success))
        } catch {
            session.show(Notice("You are \(user.fullName) for this run; \(configFile.path) could not be written: \(error.localizedDescription)", kind: .warning), for: 10)
        }
    }
}
