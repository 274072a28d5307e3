import Foundation
import Observation
import TextSearch
import VentiaAPI
import VentiaMirror

/// Saved views (their queries and live counts) and marks.
extension ContactListViewModel {
    // MARK: Saved views

    /// The active view's query now, or nil (with `viewProblem` set) when it cannot run.
    func activeQuery() -> ContactQuery? {
        guard let index = activeView, savedViews.indices.contains(index) else { return nil }
        let view = savedViews[index]
        if !view.agents.isEmpty, session.users.isEmpty {
            viewProblem = "loading the users to resolve \"\(view.name)\"…"
            session.whenUsersLoad.append { [weak self] in
                self?.viewsChanged()
                self?.refreshViewCounts()
            }
            session.loadUsers()
            return nil
        }
        switch view.query(users: session.users, now: session.clock.now(), me: session.me) {
        case .success(let query):
            viewProblem = nil
            return query
        case .failure(let error):
            viewProblem = error.description
            return nil
        }
    }

    /// The next saved view, then every contact again.
    public func cycleView() {
        guard !savedViews.isEmpty else { return }
        show(view: activeView.map { $0 + 1 < savedViews.count ? $0 + 1 : nil } ?? 0)
    }

    /// Shows the view at `index` (nil: every contact).
    public func show(view index: Int?) {
        activeView = index.flatMap { savedViews.indices.contains($0) ? $0 : nil }
        viewProblem = nil
        viewsChanged()
    }

    /// Another view is shown (the counts stay: they change with the contacts, not with the view).
    func viewsChanged() {
        searchResults = source.search()
        rebuildVisible(keepSelection: false)
    }

    /// Recounts the views a moment after writes change contacts: a bulk action of hundreds
    /// recounts once, not once a write.
    func recountSoon() {
        session.account.reminders.contactsChanged()
        guard !savedViews.isEmpty else { return }
        recount.ask(after: 1, on: session) { [weak self] in self?.refreshViewCounts() }
    }


    /// Recounts every view (over the mirror, else the loaded rows).
    public func refreshViewCounts() {
        let now = session.clock.now()
        let queries = savedViews.map { view -> ContactQuery? in
            if !view.agents.isEmpty, session.users.isEmpty { return nil }
            return try? view.query(users: session.users, now: now, me: session.me).get()
        }
        var next = source.counts(queries.compactMap { $0 }).makeIterator()
        viewCounts = queries.map { $0 == nil ? nil : next.next() }
    }

    // MARK: Marks

    /// Marks the selected contact (or unmarks it) and moves down, as mutt's `t` does.
    public func toggleMark() {
        guard let contact = selectedContact else { return }
        marks.toggle(contact.id)
        markedNames[contact.id] = marks.contains(contact.id) ? contact.fullName : nil
        move(by: 1)
    }

    /// Marks every row the filter, search or view shows; returns how many were not marked yet.
    @discardableResult
    public func markAllShown() -> Int {
        let rows = self.rows
        let shown = visible.map { rows[$0] }
        for contact in shown where !marks.contains(contact.id) { markedNames[contact.id] = contact.fullName }
        return marks.insert(contentsOf: shown.map(\.id))
    }

    public func clearMarks() {
        marks.removeAll()
        markedNames = [:]
    }

    /// Takes these off the marks (a bulk action was confirmed on them).
    public func unmark(_ ids: [String]) {
        for id in ids {
            marks.remove(id)
            markedNames[id] = nil
        }
    }

    /// Every contact these agents hold: the mirror's (all of the account's the sync has brought),
    /// else the loaded rows'. For handing a colleague's contacts over.
    public func contacts(ofAgents agentIds: [String]) -> [(id: String, name: String)] {
        var query = ContactQuery()
        query.agents = agentIds
        return source.contacts(matching: query).map { ($0.id, $0.fullName) }
    }

    /// The marked contacts with their names, in the order marked.
    public var markedContacts: [(id: String, name: String)] {
        marks.ids.map { id in (id, markedNames[id] ?? contact(id: id)?.fullName ?? id) }
    }
}
