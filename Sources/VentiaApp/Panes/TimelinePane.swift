import Foundation
import TerminalUI
import VentiaAPI
import VentiaViewModels

/// An open contact's timeline, newest first: its scrolling, paging and reloading. Drawn by the
/// contacts pane under the contact's card.
@MainActor
final class TimelinePane {
    let context: PaneContext
    let timeline: TimelineViewModel
    let contacts: ContactListViewModel
    /// The contact whose card and timeline fill the pane.
    private(set) var contactId: String?

    init(context: PaneContext, timeline: TimelineViewModel, contacts: ContactListViewModel) {
        self.context = context
        self.timeline = timeline
        self.contacts = contacts
    }

    var isOpen: Bool { contactId != nil }

    func open(_ id: String) {
        contactId = id
        timeline.show(contactId: id)
    }

    func close() {
        contactId = nil
        timeline.close()
    }

    func refresh() { timeline.reload() }

    /// Moves through the entries, loading older ones near the end; other actions pass through.
    func perform(_ action: AppAction) -> Bool {
        if let entry = action.listTarget(from: timeline.scroll, count: timeline.interactions.count) {
            timeline.scroll = min(max(0, entry), max(0, timeline.interactions.count - 1))
            if timeline.scroll >= timeline.interactions.count - 5 { timeline.loadMore() }
            return true
        }
        // Nothing to open or filter on an open contact; other actions pass through.
        return action == .open || action == .filter
    }
}
