import Foundation
import VentiaAPI
import VentiaMirror

/// The reminders of the agent at the keyboard, watched in the mirror (no request): when one comes
/// due the account says `remindersDue`; those that came due while nothing watched (ventia was
/// closed) are said once, as missed, at start or as soon as the sync brings them. The mirror
/// keeps until when reminders were told, so none is told twice across runs.
@MainActor
public final class ReminderWatch {
    private weak var account: AccountSession?
    /// Whose contacts' reminders are watched; nil: nobody's.
    public private(set) var agentId: String?
    /// Reminders due after this were not told before this run (the last run's end, or the watch's start).
    private var floor = Date.distantPast
    /// When this watch started: a reminder due before it came due while ventia was closed.
    private var started = Date.distantPast
    /// The reminders told in this run, by contact and time.
    private var told = Set<String>()
    /// Each schedule replaces the one before: a timer from an older one does nothing.
    private var generation = 0

    init() {}

    func attach(_ account: AccountSession) { self.account = account }

    /// Watches `agentId`'s reminders from now on (nil stops). The first watch of a mirror tells
    /// nothing old; later ones tell what came due since the last run, once.
    public func watch(agentId: String?) {
        guard agentId != self.agentId else { return }
        self.agentId = agentId
        generation += 1
        told = []
        guard let account, let mirror = account.mirror, agentId != nil else { return }
        started = account.clock.now()
        floor = (account.mirrorTry { try mirror.remindersToldUntil() } ?? nil) ?? started
        tell()
    }

    /// The contacts changed (a sync, a write, a colleague's): a reminder may have come in or moved.
    public func contactsChanged() {
        guard agentId != nil else { return }
        tell()
    }

    /// Says every reminder due since the floor and not told yet (those before the start as
    /// missed), keeps how far reminders were told, and waits for the next.
    private func tell() {
        guard let account, let mirror = account.mirror, let agentId else { return }
        let now = account.clock.now()
        let due = (account.mirrorTry { try mirror.reminders(ofAgent: agentId, after: floor, through: now) } ?? [])
            .filter { told.insert("\($0.contactId)@\($0.at.timeIntervalSince1970)").inserted }
        account.mirrorTry { try mirror.setRemindersTold(until: now) }
        let missed = due.filter { $0.at < started }
        let current = due.filter { $0.at >= started }
        if !missed.isEmpty { account.emit(.remindersDue(missed, missed: true)) }
        if !current.isEmpty { account.emit(.remindersDue(current, missed: false)) }
        schedule(after: now)
    }

    private func schedule(after now: Date) {
        generation += 1
        let scheduled = generation
        guard let account, let mirror = account.mirror, let agentId,
              let next = account.mirrorTry({ try mirror.nextReminder(ofAgent: agentId, after: now) }) ?? nil else { return }
        account.after(max(0, next.timeIntervalSince(account.clock.now()))) { [weak self] in
            guard let self, self.generation == scheduled else { return }
            self.tell()
        }
    }
}
