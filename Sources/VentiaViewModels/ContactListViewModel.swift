import Foundation
import TextSearch
import Observation
import VentiaAPI

/// The columns the contact list can sort by.
public enum ContactColumn: Int, Sendable, CaseIterable {
    case name, phone, status, agent, lastInteraction
}

/// The contact list: pages loaded as the user scrolls (never all at start), filtered over the loaded
/// rows as the user types, sorted by a column, with one selected contact.
@Observable
@MainActor
public final class ContactListViewModel {
    public private(set) var contacts: [Contact] = []
    public private(set) var state = LoadState.idle
    public private(set) var reachedEnd = false
    /// Pages keep coming, one after another, until the list ends or the budget runs low (`A`).
    public private(set) var loadingAll = false
    /// Indices into `contacts`, filtered and sorted: what the table shows.
    public private(set) var visible: [Int] = []
    public private(set) var selection = 0
    public var filterText = "" {
        didSet { if filterText != oldValue { rebuildVisible(keepSelection: false) } }
    }
    /// Nil keeps the server's order (newest activity first).
    public private(set) var sortColumn: ContactColumn?
    public private(set) var sortAscending = true

    public let pageSize: Int
    @ObservationIgnored private let session: AppSession
    @ObservationIgnored private var cursor: CRMPageCursor
    @ObservationIgnored private var pageRequest: RequestHandle?
    @ObservationIgnored private var generation = 0
    /// The loaded contacts' searchable text, folded once, in `contacts` order.
    @ObservationIgnored private var searchIndex = TextFilterIndex()

    public init(session: AppSession, pageSize: Int = 100) {
        self.session = session
        self.pageSize = pageSize
        cursor = CRMPageCursor(limit: pageSize)
    }

    public var selectedContact: Contact? {
        visible.indices.contains(selection) ? contacts[visible[selection]] : nil
    }

    /// Loads the first page (once).
    public func start() {
        guard state == .idle else { return }
        state = .loading
        requestPage(reset: false)
    }

    /// Reloads from the first page, keeping the rows on screen until the answer arrives.
    public func refresh() {
        pageRequest?.cancel()
        pageRequest = nil
        loadingAll = false
        state = contacts.isEmpty ? .loading : .refreshing
        requestPage(reset: true)
    }

    /// Loads the pages not yet loaded, one after another, so a filter can search every contact.
    /// It stops early, and says so, when the rate budget gets down to its reserve.
    public func loadAll() {
        guard !loadingAll else { return }
        loadingAll = true
        if pageRequest == nil, state != .loading { continueLoadingAll() }
    }

    /// The next page while loading them all, if the budget allows.
    private func continueLoadingAll() {
        guard loadingAll else { return }
        guard !reachedEnd else {
            loadingAll = false
            session.show(Notice("All \(contacts.count) contacts are loaded", kind: .success))
            return
        }
        let remaining = session.client.rateBudget.snapshot().remaining
        guard remaining > AppSession.budgetReserve else {
            loadingAll = false
            session.show(Notice("Stopped at \(contacts.count) contacts: \(remaining) requests are left this minute; load the rest when it refills", kind: .warning), for: 6)
            return
        }
        requestPage(reset: false)
    }

    /// Asks for the next page when the selection nears the end of what is loaded. A filter works
    /// on the loaded rows only, so it never pulls more pages by itself.
    public func loadMoreIfNeeded() {
        guard !reachedEnd, pageRequest == nil, state != .idle, state != .loading, filterText.isEmpty else { return }
        if selection >= visible.count - max(10, pageSize / 4) {
            requestPage(reset: false)
        }
    }

    private func requestPage(reset: Bool) {
        generation += 1
        let requestGeneration = generation
        let pageCursor = reset ? CRMPageCursor(limit: pageSize) : cursor
        pageRequest = session.client.listContacts(page: pageCursor.nextPage, limit: pageCursor.limit, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            guard let self, self.generation == requestGeneration else { return }
            self.pageRequest = nil
            switch result {
            case .success(let page):
                let selectedId = self.selectedContact?.id
                if reset {
                    self.contacts = []
                    self.searchIndex.removeAll()
                }
                let fresh = page.unseen(by: \.id, known: Set(self.contacts.map(\.id)))
                var next = pageCursor
                next.advance(receivedCount: page.count, freshCount: fresh.count)
                self.cursor = next
                self.reachedEnd = next.reachedEnd
                self.contacts += fresh
                self.searchIndex.append(contentsOf: fresh.map(Self.searchText))
                self.state = self.contacts.isEmpty ? .empty : .loaded
                self.rebuildVisible(keepSelection: true, selectedId: selectedId)
                self.session.succeeded(.contacts)
                self.continueLoadingAll()
            case .failure(let error):
                if error == .cancelled { return }
                self.loadingAll = false
                self.state = self.contacts.isEmpty ? .failed(error.description) : .loaded
                self.session.report(error, from: .contacts)
            }
        })
    }

    static func searchText(_ contact: Contact) -> String {
        [contact.fullName, contact.phones.joined(separator: " "), contact.emails.joined(separator: " "), contact.status ?? "", contact.agentFullName ?? ""].joined(separator: " ")
    }

    // MARK: Selection

    public func move(by delta: Int) {
        select(selection + delta)
    }

    public func select(_ index: Int) {
        selection = visible.isEmpty ? 0 : min(max(index, 0), visible.count - 1)
        loadMoreIfNeeded()
    }

    public func selectLast() { select(visible.count - 1) }

    // MARK: Sorting

    /// Sorts by the next column (server order → name → … → last interaction → server order).
    public func cycleSort() {
        switch sortColumn {
        case nil: sortColumn = .name
        case .some(let column):
            sortColumn = ContactColumn(rawValue: column.rawValue + 1)
        }
        sortAscending = sortColumn != .lastInteraction
        rebuildVisible(keepSelection: true)
    }

    public func reverseSort() {
        if sortColumn == nil { sortColumn = .lastInteraction }
        sortAscending.toggle()
        rebuildVisible(keepSelection: true)
    }

    // MARK: Changes from actions

    /// Applies a changed contact (after a write) without a reload; it moves to the top in server order.
    public func apply(_ contact: Contact, movedToTop: Bool = true) {
        if let index = contacts.firstIndex(where: { $0.id == contact.id }) {
            if movedToTop {
                contacts.remove(at: index)
                contacts.insert(contact, at: 0)
            } else {
                contacts[index] = contact
            }
        } else {
            contacts.insert(contact, at: 0)
            if state == .empty { state = .loaded }
        }
        // A write reorders the rows: the index is folded again (once per write, not per keystroke).
        searchIndex = TextFilterIndex(texts: contacts.map(Self.searchText))
        rebuildVisible(keepSelection: true, selectedId: contact.id)
    }

    public func contact(id: String) -> Contact? { contacts.first { $0.id == id } }

    private func rebuildVisible(keepSelection: Bool, selectedId: String? = nil) {
        let keep = selectedId ?? (keepSelection ? selectedContact?.id : nil)
        var indices = searchIndex.filter(filterText.trimmingCharacters(in: .whitespaces))
        if let column = sortColumn {
            let ascending = sortAscending
            indices.sort { lhs, rhs in
                let order = Self.compare(contacts[lhs], contacts[rhs], by: column)
                return order == .orderedSame ? lhs < rhs : (ascending ? order == .orderedAscending : order == .orderedDescending)
            }
        }
        visible = indices
        if let keep, let position = visible.firstIndex(where: { contacts[$0].id == keep }) {
            selection = position
        } else {
            selection = min(keepSelection ? selection : 0, max(0, visible.count - 1))
        }
    }

    static func compare(_ lhs: Contact, _ rhs: Contact, by column: ContactColumn) -> ComparisonResult {
        switch column {
        case .name: return TextFolding.fold(lhs.fullName).compare(TextFolding.fold(rhs.fullName))
        case .phone: return (lhs.phones.first ?? "").compare(rhs.phones.first ?? "")
        case .status: return (lhs.status ?? "").compare(rhs.status ?? "")
        case .agent: return TextFolding.fold(lhs.agentFullName ?? "").compare(TextFolding.fold(rhs.agentFullName ?? ""))
        case .lastInteraction:
            let left = lhs.lastInteraction ?? .distantPast
            let right = rhs.lastInteraction ?? .distantPast
            return left == right ? .orderedSame : (left < right ? .orderedAscending : .orderedDescending)
        }
    }
}
