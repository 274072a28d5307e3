import Foundation
import TextSearch
import VentiaAPI
import VentiaCore
import VentiaMirror

/// The list without a mirror (no cache folder, or one that failed): pages load as the user
/// scrolls, and a filter or a view works over the rows loaded.
@MainActor
final class NetworkContactSource: ContactSource {
    private unowned let list: ContactListViewModel
    private let session: AppSession
    private var cursor: CRMPageCursor
    private var pageRequest: RequestHandle?
    private var generation = 0
    /// The loaded contacts' searchable text, folded once, in `contacts` order.
    private var searchIndex = TextFilterIndex()

    init(list: ContactListViewModel, session: AppSession) {
        self.list = list
        self.session = session
        cursor = CRMPageCursor(limit: list.pageSize)
        searchIndex = TextFilterIndex(texts: list.contacts.map(Self.searchText))
    }

    func start() {
        list.state = .loading
        requestPage(reset: false)
    }

    func refresh() {
        pageRequest?.cancel()
        pageRequest = nil
        requestPage(reset: true)
    }

    func search() -> [Contact]? {
        list.searchMatched = 0
        return nil
    }

    func shown(_ rows: [Contact]) -> [Int] {
        let indices = searchIndex.filter(list.filterText.trimmingCharacters(in: .whitespaces))
        guard list.activeView != nil else { return indices }
        let query = list.activeQuery()
        return indices.filter { query?.matches(rows[$0], unreadIds: list.unread) ?? false }
    }

    func loadMore() {
        guard !list.reachedEnd, pageRequest == nil else { return }
        requestPage(reset: false)
    }

    /// Loads the pages not yet loaded, one after another, so a filter can search every contact.
    /// It stops early, and says so, when the rate budget gets down to its reserve.
    func loadAll() {
        guard !list.loadingAll else { return }
        list.loadingAll = true
        if pageRequest == nil, list.state != .loading { continueLoadingAll() }
    }

    /// The next page while loading them all, if the budget allows.
    private func continueLoadingAll() {
        guard list.loadingAll else { return }
        guard !list.reachedEnd else {
            list.loadingAll = false
            session.show(Notice("All \(list.contacts.count) contacts are loaded", kind: .success))
            return
        }
        let remaining = session.client.rateBudget.snapshot().remaining
        guard remaining > AppSession.budgetReserve else {
            list.loadingAll = false
            session.show(Notice("Stopped at \(list.contacts.count) contacts: \(remaining) requests are left this minute; load the rest when it refills", kind: .warning), for: 6)
            return
        }
        requestPage(reset: false)
    }

    func requestPage(reset: Bool) {
        generation += 1
        let requestGeneration = generation
        let pageCursor = reset ? CRMPageCursor(limit: list.pageSize) : cursor
        pageRequest = session.client.listContacts(page: pageCursor.nextPage, limit: pageCursor.limit, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            guard let self, self.generation == requestGeneration else { return }
            self.pageRequest = nil
            let list = self.list
            switch result {
            case .success(let page):
                let selectedId = list.selectedContact?.id
                if reset {
                    list.contacts = []
                    self.searchIndex.removeAll()
                }
                let fresh = page.unseen(by: \.id, known: Set(list.contacts.map(\.id)))
                var next = pageCursor
                next.advance(receivedCount: page.count, freshCount: fresh.count)
                self.cursor = next
                list.reachedEnd = next.reachedEnd
                list.contacts += fresh
                self.searchIndex.append(contentsOf: fresh.map(Self.searchText))
                list.state = list.contacts.isEmpty ? .empty : .loaded
                list.rebuildVisible(keepSelection: true, selectedId: selectedId)
                self.session.succeeded(.contacts)
                self.continueLoadingAll()
            case .failure(let error):
                if error == .cancelled { return }
                list.loadingAll = false
                list.state = list.contacts.isEmpty ? .failed(error.description) : .loaded
                self.session.report(error, from: .contacts)
            }
        })
    }

    func keep(_ contact: Contact) {}

    func changedElsewhere(_ contacts: [Contact]) {
        for contact in contacts { list.apply(contact) }
    }

    /// A write reorders the rows: the index is folded again (once per write, not per keystroke).
    func rowsChanged() {
        searchIndex = TextFilterIndex(texts: list.contacts.map(Self.searchText))
    }

    func lookUp(id: String) -> Contact? { nil }

    func counts(_ queries: [ContactQuery]) -> [Int] {
        queries.map { query in list.contacts.count { query.matches($0, unreadIds: list.unread) } }
    }

    func contacts(matching query: ContactQuery) -> [Contact] { list.contacts.filter { query.matches($0, unreadIds: list.unread) } }

    func opened(_ id: String) {}

    static func searchText(_ contact: Contact) -> String {
        [contact.fullName, contact.phones.joined(separator: " "), contact.emails.joined(separator: " "), contact.status ?? "", contact.agentFullName ?? ""].joined(separator: " ")
    }
}
