import Foundation
import VentiaAPI
import VentiaCore
import VentiaMirror

/// What concerns the agent at the keyboard (`me`): reminders coming due, their customers writing,
/// contacts transferred to them. Each is a notice on the status line, kept in the log `:notices`
/// lists, and an alert (the bell, a desktop notification) as config.yml's `notify:` asks.
extension AppSession {
    /// Says `text` about `contactId` on the status line, logs it, and alerts.
    public func announce(_ text: String, contactId: String?) {
        show(Notice(text, kind: .info), for: 8)
        noticeLog.add(LoggedNotice(at: clock.now(), text: text, contactId: contactId))
        onAlert?(text)
    }

    /// Watches my contacts' reminders once I am known among the users.
    public func watchMyReminders() {
        guard me != nil || account.feed.capabilities != nil else { return account.reminders.watch(agentId: nil) }
        guard !users.isEmpty else {
            whenUsersLoad.append { [weak self] in self?.watchMyReminders() }
            return loadUsers()
        }
        account.reminders.watch(agentId: meUser?.id)
    }

    func announceReminders(_ due: [ContactReminder], missed: Bool) {
        for reminder in due {
            // A missed one is logged at its own time, which `:notices` shows beside it.
            let text = missed ? "◷ Call \(reminder.name) — reminder was due" : "◷ Call \(reminder.name) — reminder due now"
            noticeLog.add(LoggedNotice(at: missed ? reminder.at : clock.now(), text: text, contactId: reminder.contactId))
        }
        guard let first = due.first else { return }
        let text: String
        if missed {
            text = due.count == 1
                ? "◷ While ventia was closed, \(first.name)'s reminder came due — :notices lists it"
                : "◷ While ventia was closed, \(due.count) reminders came due — :notices lists them"
        } else {
            text = due.count == 1 ? "◷ Call \(first.name) — reminder due now" : "◷ \(due.count) reminders due now (\(first.name) and more)"
        }
        show(Notice(text, kind: .info), for: 10)
        onAlert?(text)
    }
}
