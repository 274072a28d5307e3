import Foundation
import VentiaAPI
import VentiaMirror

/// The reminders of the agent at the keyboard, watched in the mirror (no request): when one comes
/// due the account says `remindersDue`; those that came due while nothing watched (ventia was
/// closed) are said once, as missed, when the watch starts. The mirror keeps until when reminders
/// were told, so none is told twice across runs.
@MainActor
public final class ReminderWatch {
    private weak var account: AccountSession?
    /// Whose contacts' reminders are watched; nil: nobody's.
    public private(set) var agentId: String?
    /// Each schedule replaces the one before: a timer from an older one does nothing.
    private var generation = 0

    init() {}

    func attach(_ account: AccountSession) { self.account = account }

    /// Watches `agentId`'s reminders from now on (nil stops). The first watch of a mirror tells
    /// nothing old; later ones tell what came due since the last run, once.
    public func watch(agentId: String?) {
        guard agentId != self.agentId else { return }
        self.agentId = agentId
        guard let account, let mirror = account.mirror, let agentId else {
            generation += 1
            return
        }
        let now = account.clock.now()
        let told = account.mirrorTry { try mirror.remindersToldUntil() } ?? nil
        if let told {
            let missed = account.mirrorTry { try mirror.reminders(ofAgent: agentId, after: told, through: now) } ?? []
            if !missed.isEmpty { account.emit(.remindersDue(missed, missed: true)) }
        }
        account.mirrorTry { try mirror.setRemindersTold(until: now) }
        schedule()
    }

    /// The contacts changed (a sync, a write, a colleague's): the next reminder may have moved.
    public func contactsChanged() {
        guard agentId != nil else { return }
        schedule()
    }

    private func schedule() {
        generation += 1
        let scheduled = generation
        guard let account, let mirror = account.mirror, let agentId else { return }
        let told = (account.mirrorTry { try mirror.remindersToldUntil() } ?? nil) ?? account.clock.now()
        guard let next = account.mirrorTry({ try mirror.nextReminder(ofAgent: agentId, after: told) }) ?? nil else { return }
        account.after(max(0, next.timeIntervalSince(account.clock.now()))) { [weak self] in
            guard let self, self.generation == scheduled else { return }
            self.tell()
        }
    }

    /// Says every reminder due since the last told, and waits for the next.
    private func tell() {
        guard let account, let mirror = account.mirror, let agentId else { return }
        let now = account.clock.now()
        let told = (account.mirrorTry { try mirror.remindersToldUntil() } ?? nil) ?? now
        let due = account.mirrorTry { try mirror.reminders(ofAgent: agentId, after: told, through: now) } ?? []
        account.mirrorTry { try mirror.setRemindersTold(until: now) }
        if !due.isEmpty { account.emit(.remindersDue(due, missed: false)) }
        schedule()
    }
}
