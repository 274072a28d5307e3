import Foundation
import Observation
import TextSearch
import VentiaAPI
import VentiaMirror

/// The list's mirror: catching up from the newest page, the backfill of older pages on leftover
/// budget, and search over the whole mirror.
extension ContactListViewModel {
    // MARK: The mirror's sync

    /// Walks pages from the newest until one holds a contact the mirror has at that version; the
    /// first start (an empty mirror) takes one page and leaves the rest to the backfill.
    func refreshFromNetwork() {
        guard let mirror = session.mirror else { return }
        let hadContacts = mirroredCount > 0
        generation += 1
        let requestGeneration = generation
        func walk(_ page: Int) {
            pageRequest = session.client.listContacts(page: page, limit: pageSize, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
                guard let self, self.generation == requestGeneration else { return }
                self.pageRequest = nil
                switch result {
                case .success(let fetched):
                    let now = self.session.clock.now()
                    guard let changed = self.session.mirrorTry({ try mirror.saveReportingChanges(fetched, fetchedAt: now) }) else {
                        return self.fallBackToNetworkPages()
                    }
                    // The first sync finds everything new: nothing to look at for messages then.
                    if hadContacts { self.lookForInbound(in: changed) }
                    self.session.offline = false
                    let step = MirrorSyncStep.refreshPage(
                        page, fetched: fetched.count, changed: changed.count, pageSize: self.pageSize, hadContacts: hadContacts,
                        pageLimit: Self.refreshPageLimit)
                    if let backfill = step.backfill { self.session.mirrorTry { try mirror.setBackfill(backfill) } }
                    if step.caughtUp {
                        self.session.mirrorTry { try mirror.setCaughtUp(at: now) }
                        self.session.caughtUpAt = now
                        self.session.caughtUpThisRun = true
                        self.session.succeeded(.contacts)
                        self.reloadFromMirror()
                        self.backfillNext()
                    } else {
                        walk(page + 1)
                    }
                case .failure(.rateLimited(let wait)) where !self.contacts.isEmpty:
                    // The mirror is on screen and the status line shows the wait: catch up quietly
                    // once the window frees.
                    self.state = .loaded
                    self.session.after(Double(max(1, wait ?? 60)) + 1) { [weak self] in
                        guard let self, self.generation == requestGeneration else { return }
                        self.refreshFromNetwork()
                    }
                case .failure(let error):
                    if error == .cancelled { return }
                    self.session.offline = error.meansUnreachable
                    self.state = self.contacts.isEmpty ? .failed(error.description) : .loaded
                    self.session.report(error, from: .contacts)
                    if error.meansUnreachable {
                        // Offline: look again every so often, so the list catches up when the server is back.
                        self.session.after(Self.offlineRetrySeconds) { [weak self] in
                            guard let self, self.generation == requestGeneration else { return }
                            self.refreshFromNetwork()
                        }
                    }
                }
            })
        }
        walk(0)
    }

    /// Contacts a refresh found changed, with a phone: their newest entry, fetched on the
    /// background lane (at most `inboundChecks` a refresh), says whether they wrote on WhatsApp.
    func lookForInbound(in changed: [Contact]) {
        guard let mirror = session.mirror else { return }
        for contact in changed.filter({ !$0.phones.isEmpty }).prefix(Self.inboundChecks) {
            session.client.listInteractions(contactId: contact.id, page: 0, limit: 1, lane: .background, on: MainQueue.answers, completion: MainQueue.deliver {
                [weak self] result in
                guard let self, case .success(let newest) = result, let entry = newest.first, case .whatsApp(let message) = entry.content,
                    message.direction == .inbound, let at = entry.createdAt
                else { return }
                if self.session.mirrorTry({ try mirror.markInbound(contact.id, at: at) }) == true { self.unread.insert(contact.id) }
            })
        }
    }

    static let inboundChecks = 10

    /// The user opened the contact: its messages are read.
    public func opened(_ id: String) {
        guard let mirror = session.mirror else { return }
        let now = session.clock.now()
        session.mirrorTry { try mirror.markOpened(id, at: now) }
        unread.remove(id)
    }

    /// Shows the mirror's rows again (as many as were shown), after a sync wrote to it.
    func reloadFromMirror() {
        guard let mirror = session.mirror else { return }
        let selectedId = selectedContact?.id
        let count = max(contacts.count, pageSize)
        contacts = session.mirrorTry { try mirror.contacts(offset: 0, limit: count) } ?? contacts
        mirroredCount = session.mirrorTry { try mirror.contactCount() } ?? mirroredCount
        if !filterText.isEmpty || activeView != nil { searchResults = searchMirror() }
        state = contacts.isEmpty ? .empty : .loaded
        rebuildVisible(keepSelection: true, selectedId: selectedId)
        if !savedViews.isEmpty { refreshViewCounts() }
    }

    /// The next older page for the mirror, sent only while the budget has more than its reserve
    /// left (the user's own requests come first); it waits for the budget otherwise.
    func backfillNext() {
        guard let mirror = session.mirror, !backfillRunning else { return }
        guard let backfill = session.mirrorTry({ try mirror.backfill() }), !backfill.complete else {
            session.syncProgress = nil
            return
        }
        session.syncProgress = mirroredCount
        backfillRunning = true
        // The scheduler's background lane sends it once the budget has room beyond its reserve.
        backfillRequest = session.client.listContacts(page: backfill.nextPage, limit: pageSize, lane: .background, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            guard let self else { return }
            self.backfillRunning = false
            switch result {
            case .success(let fetched):
                let now = self.session.clock.now()
                guard self.session.mirrorTry({ try mirror.save(fetched, fetchedAt: now) }) != nil else { return }
                let next = MirrorSyncStep.backfillPage(backfill, fetched: fetched.count, pageSize: self.pageSize)
                self.session.mirrorTry { try mirror.setBackfill(next) }
                self.mirroredCount = self.session.mirrorTry { try mirror.contactCount() } ?? self.mirroredCount
                if self.contacts.count < self.pageSize || self.selection >= self.visible.count - max(10, self.pageSize / 4) {
                    self.reloadFromMirror()
                } else if !self.filterText.isEmpty || self.activeView != nil {
                    self.researchKeepingSelection()
                }
                self.backfillNext()
            case .failure(let error):
                if error == .cancelled { return }
                // Background work reports nothing on screen; it tries again after a pause.
                self.session.offline = error.meansUnreachable
                self.session.after(10) { [weak self] in self?.backfillNext() }
            }
        })
    }


    /// A mirror that failed to write is dropped (the session says so): the list goes on online.
    func fallBackToNetworkPages() {
        cursor = CRMPageCursor(limit: pageSize)
        requestPage(reset: true)
    }

    func searchMirror() -> [Contact]? {
        let text = filterText.trimmingCharacters(in: .whitespaces)
        guard let mirror = session.mirror, !text.isEmpty || activeView != nil else {
            searchMatched = 0
            return nil
        }
        if activeView != nil {
            guard let query = activeQuery() else {
                searchMatched = 0
                return []
            }
            if text.isEmpty {
                let found = session.mirrorTry { try mirror.contacts(matching: query, limit: Self.viewLimit) }
                searchMatched = found?.matched ?? 0
                return found?.contacts ?? []
            }
            // Typing within a view: the search's matches that the view shows.
            let found = (session.mirrorTry { try mirror.search(text, limit: ContactMirror.rankedMatches) }?.contacts ?? []).filter(query.matches)
            searchMatched = found.count
            return Array(found.prefix(Self.searchLimit))
        }
        let found = session.mirrorTry { try mirror.search(filterText, limit: Self.searchLimit) }
        searchMatched = found?.matched ?? 0
        return found?.contacts ?? []
    }
}
