import Foundation
import VentiaViewModels

/// `:notices`: the last notices that concerned me, newest first with their times; choosing one
/// opens its contact. Listing them marks them read.
@MainActor
struct NoticesWindow {
    let session: AppSession
    let dates: DateText
    let now: Date
    let present: (Modal) -> Void
    let openContact: (String) -> Void

    func open() {
        let log = session.noticeLog
        log.markRead()
        guard !log.entries.isEmpty else {
            session.show(Notice("No notices yet: reminders coming due, your customers writing and transfers to you show here", kind: .info), for: 6)
            return
        }
        let items = log.entries.map { dates.asOf($0.at, now: now) + "  " + $0.text }
        present(.picker(PickerModal(title: "Notices — enter opens the contact", items: items, values: log.entries) { [session, openContact] notice in
            guard let id = notice.contactId else { return session.show(Notice("That notice names no contact", kind: .info), for: 3) }
            openContact(id)
        }))
    }
}
