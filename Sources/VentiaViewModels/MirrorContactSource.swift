import Foundation
import TextSearch
import VentiaAPI
import VentiaCore
import VentiaMirror

/// The list as the account's mirror holds it: painted before any request, caught up by the
/// account's `ContactSync` (only what changed), older pages filled in on leftover budget, and a
/// filter or view searching the whole copy through FTS5.
@MainActor
final class MirrorContactSource: ContactSource {
    private unowned let list: ContactListViewModel
    private let session: AppSession
    private let mirror: ContactMirror
    private let sync: ContactSync
    /// Bumped by each refresh, so that a retry timer of an older one does nothing.
    private var generation = 0
    /// A search of the team gateway's copy on its way (while this mirror still fills).
    private var teamSearch: Task<Void, Never>?

    init(list: ContactListViewModel, session: AppSession, mirror: ContactMirror) {
        self.list = list
        self.session = session
        self.mirror = mirror
        sync = ContactSync(account: session.account, pageSize: list.pageSize, pageLimit: ContactListViewModel.refreshPageLimit)
    }

    func start() {
        let kept = session.mirrorTry { try mirror.contacts(offset: 0, limit: list.pageSize) } ?? []
        list.contacts = kept
        list.mirroredCount = session.mirrorTry { try mirror.contactCount() } ?? kept.count
        list.unread = session.mirrorTry { try mirror.unreadContacts() } ?? []
        session.caughtUpAt = session.mirrorTry { try mirror.caughtUpAt() } ?? nil
        list.state = kept.isEmpty ? .loading : .loaded
        list.rebuildVisible(keepSelection: false)
        // After this frame is drawn: the mirror's rows reach the screen before any request.
        MainQueue.after(0) { [weak self] in self?.refresh() }
    }

    /// One round of the account's sync; then the backfill. A refusal for the budget is waited out
    /// quietly while rows are on screen, and an unreachable server is tried again every so often.
    func refresh() {
        sync.cancel()
        generation += 1
        let round = generation
        sync.catchUp(changed: { [weak self] changed, hadContacts in
            // The first sync finds everything new: nothing to look at for messages then.
            guard let self, hadContacts else { return }
            self.sync.lookForNews(in: changed) { [weak self] news in
                switch news {
                case .inbound(let id):
                    self?.list.unread.insert(id)
                    self?.session.announceInbound(contactId: id)
                case .transfer(let id, let fromUser, let toUser):
                    self?.session.announceTransferToMe(contactId: id, fromUser: fromUser, toUser: toUser)
                }
            }
        }) { [weak self] end in
            guard let self else { return }
            let list = self.list
            switch end {
            case .caughtUp:
                self.session.succeeded(.contacts)
                self.reload()
                self.backfillNext()
            case .mirrorLost:
                list.useNetwork()
            case .failed(.rateLimited(let wait)) where !list.contacts.isEmpty:
                // The mirror is on screen and the status line shows the wait: catch up quietly
                // once the window frees.
                list.state = .loaded
                self.again(round, after: Double(max(1, wait ?? 60)) + 1)
            case .failed(let error):
                if error == .cancelled { return }
                list.state = list.contacts.isEmpty ? .failed(error.description) : .loaded
                self.session.report(error, from: .contacts)
                // Offline: look again every so often, so the list catches up when the server is back.
                if error.meansUnreachable { self.again(round, after: ContactListViewModel.offlineRetrySeconds) }
            }
        }
    }

    private func again(_ round: Int, after seconds: Double) {
        session.after(seconds) { [weak self] in
            guard let self, self.generation == round else { return }
            self.refresh()
        }
    }

    /// The next older page, on the background lane; background work reports nothing on screen and
    /// tries again after a pause.
    func backfillNext() {
        guard !sync.backfilling else { return }
        sync.backfillNext { [weak self] end in
            guard let self else { return }
            let list = self.list
            switch end {
            case .kept:
                list.mirroredCount = self.session.mirrorTry { try self.mirror.contactCount() } ?? list.mirroredCount
                if list.contacts.count < list.pageSize || list.selection >= list.visible.count - max(10, list.pageSize / 4) {
                    self.reload()
                } else if !list.filterText.isEmpty || list.activeView != nil {
                    list.researchKeepingSelection()
                }
                self.backfillNext()
            case .complete: break
            case .mirrorLost: list.useNetwork()
            case .failed(let error):
                if error == .cancelled { return }
                self.session.after(10) { [weak self] in self?.backfillNext() }
            }
        }
    }

    /// Shows the mirror's rows again (as many as were shown), after a sync wrote to it.
    private func reload() {
        let list = self.list
        let selectedId = list.selectedContact?.id
        let count = max(list.contacts.count, list.pageSize)
        list.contacts = session.mirrorTry { try mirror.contacts(offset: 0, limit: count) } ?? list.contacts
        list.mirroredCount = session.mirrorTry { try mirror.contactCount() } ?? list.mirroredCount
        if !list.filterText.isEmpty || list.activeView != nil { list.searchResults = search() }
        list.state = list.contacts.isEmpty ? .empty : .loaded
        list.rebuildVisible(keepSelection: true, selectedId: selectedId)
        if !list.savedViews.isEmpty { list.refreshViewCounts() }
        session.account.reminders.contactsChanged()
    }

    func search() -> [Contact]? {
        let list = self.list
        teamSearch?.cancel()
        list.searchedTeamCopy = nil
        let text = list.filterText.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty || list.activeView != nil else {
            list.searchMatched = 0
            return nil
        }
        if list.activeView != nil {
            guard let query = list.activeQuery() else {
                list.searchMatched = 0
                return []
            }
            if text.isEmpty {
                let found = session.mirrorTry { try mirror.contacts(matching: query, limit: ContactListViewModel.viewLimit) }
                list.searchMatched = found?.matched ?? 0
                return found?.contacts ?? []
            }
            // Typing within a view: the search's matches that the view shows.
            let found = (session.mirrorTry { try mirror.search(text, limit: ContactMirror.rankedMatches) }?.contacts ?? []).filter { query.matches($0, unreadIds: list.unread) }
            list.searchMatched = found.count
            return Array(found.prefix(ContactListViewModel.searchLimit))
        }
        let found = session.mirrorTry { try mirror.search(list.filterText, limit: ContactListViewModel.searchLimit) }
        list.searchMatched = found?.matched ?? 0
        if session.syncProgress != nil, session.account.feed.capabilities?.search == true { askTeam(list.filterText) }
        return found?.contacts ?? []
    }

    /// While this mirror still fills, the team gateway's copy (which holds every contact) answers
    /// the same search a moment later, and the list says which was searched.
    private func askTeam(_ typed: String) {
        let client = session.client
        teamSearch = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(150))  // one request for a burst of keystrokes
            guard !Task.isCancelled else { return }
            let result = await client.teamSearch(typed, limit: ContactListViewModel.searchLimit)
            guard let self, !Task.isCancelled, case .success(let answer) = result, self.list.filterText == typed, self.list.activeView == nil else { return }
            let selectedId = self.list.selectedContact?.id
            self.list.searchResults = answer.contacts
            self.list.searchMatched = answer.matched
            self.list.searchedTeamCopy = answer.held
            self.list.rebuildVisible(keepSelection: true, selectedId: selectedId)
        }
    }

    func shown(_ rows: [Contact]) -> [Int] { Array(rows.indices) }

    /// The mirror's next rows while it has more, else the backfill's next page.
    func loadMore() {
        let list = self.list
        guard list.contacts.count < list.mirroredCount else { return backfillNext() }
        let more = session.mirrorTry { try mirror.contacts(offset: list.contacts.count, limit: list.pageSize) } ?? []
        let fresh = more.unseen(by: \.id, known: Set(list.contacts.map(\.id)))
        guard !fresh.isEmpty else { return }
        list.contacts += fresh
        list.rebuildVisible(keepSelection: true)
    }

    /// Every contact comes into the mirror by itself; this only says where that stands.
    func loadAll() {
        let held = list.mirroredCount.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
        session.show(Notice(session.syncProgress == nil && session.caughtUpThisRun
            ? "All \(held) contacts are kept locally: / searches them all"
            : "\(held) contacts kept so far; the rest come in the background on leftover budget (sync in the status line)"), for: 6)
        backfillNext()
    }

    func keep(_ contact: Contact) {
        let list = self.list
        let now = session.clock.now()
        session.mirrorTry { try mirror.save([contact], fetchedAt: now) }
        list.mirroredCount = session.mirrorTry { try mirror.contactCount() } ?? list.mirroredCount
        if let index = list.searchResults?.firstIndex(where: { $0.id == contact.id }) { list.searchResults?[index] = contact }
        // A write can take a contact into or out of the view in force, and changes the counts:
        // both are looked at again once a burst of writes (a bulk action) has passed.
        if list.activeView != nil {
            list.viewRefresh.ask(after: 0.3, on: session) { [weak list] in
                guard let list, list.activeView != nil else { return }
                list.researchKeepingSelection()
            }
        }
        list.recountSoon()
    }

    func rowsChanged() {}

    /// The mirror has them already: the rows, the search and the counts are read again, and a
    /// contact who wrote on WhatsApp is looked for as after a round.
    func changedElsewhere(_ contacts: [Contact]) {
        reload()
        sync.lookForInbound(in: contacts) { [weak self] id in
            self?.list.unread.insert(id)
            self?.session.announceInbound(contactId: id)
        }
    }

    func lookUp(id: String) -> Contact? { session.mirrorTry { try mirror.contact(id: id) } ?? nil }

    func counts(_ queries: [ContactQuery]) -> [Int] { session.mirrorTry { try mirror.counts(queries) } ?? [] }

    func contacts(matching query: ContactQuery) -> [Contact] {
        session.mirrorTry { try mirror.contacts(matching: query, limit: Int.max) }?.contacts ?? []
    }

    func opened(_ id: String) {
        let now = session.clock.now()
        session.mirrorTry { try mirror.markOpened(id, at: now) }
        list.unread.remove(id)
    }
}
