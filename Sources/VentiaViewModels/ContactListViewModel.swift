import Foundation
import Observation
import TextSearch
import VentiaAPI
import VentiaMirror

/// The columns the contact list can sort by.
public enum ContactColumn: Int, Sendable, CaseIterable {
    case name, phone, status, agent, lastInteraction
}

/// The contact list, sorted by a column, with one selected contact.
///
/// With the session's mirror (the normal case) the list is the local copy: it paints from it before
/// any request, a refresh fetches only what changed (newest `updatedAt` first, until it meets
/// contacts it has at that version), older pages fill in on leftover budget (`BackfillState`), and
/// a filter searches the whole copy through FTS5. Without one (no cache folder), pages load as the
/// user scrolls and a filter works over the loaded rows.
@Observable
@MainActor
public final class ContactListViewModel {
    /// The list in server order: the mirror's first rows, or the pages loaded.
    public internal(set) var contacts: [Contact] = []
    /// The mirror's matches for the filter, best first; nil when not searching the mirror.
    public internal(set) var searchResults: [Contact]?
    /// How many contacts the search matched (more than `searchResults` holds when many did;
    /// counted up to one more than `ContactMirror.rankedMatches`).
    public internal(set) var searchMatched = 0
    /// What the table shows `visible` of: the search results, else the list.
    public var rows: [Contact] { searchResults ?? contacts }
    /// Contacts held locally (what a search searches).
    public internal(set) var mirroredCount = 0
    /// Contacts with a WhatsApp message from them since they were last opened (marked in the list).
    public internal(set) var unread: Set<String> = []
    public internal(set) var state = LoadState.idle
    public internal(set) var reachedEnd = false
    /// Pages keep coming, one after another, until the list ends or the budget runs low (`A`).
    public internal(set) var loadingAll = false
    /// Indices into `rows`, filtered and sorted: what the table shows.
    public internal(set) var visible: [Int] = []
    public internal(set) var selection = 0
    public var filterText = "" {
        didSet { if filterText != oldValue { filterChanged() } }
    }
    /// Nil keeps the server's order (newest activity first).
    public internal(set) var sortColumn: ContactColumn?
    public internal(set) var sortAscending = true

    /// Contacts marked for a bulk action (by id: they survive paging, filters and refreshes).
    public internal(set) var marks = MarkSet()
    /// Each marked contact's name as it was marked (a bulk action names them).
    @ObservationIgnored var markedNames: [String: String] = [:]
    /// The named filters from config.yml; `v` cycles through them.
    public var savedViews: [SavedView] = [] {
        didSet { refreshViewCounts() }
    }
    /// The view in force (an index into `savedViews`), nil for every contact.
    public internal(set) var activeView: Int?
    /// How many contacts each view matches, nil while it cannot be counted.
    public internal(set) var viewCounts: [Int?] = []
    /// Why the active view shows nothing (an agent no user is called), for the message line.
    public internal(set) var viewProblem: String?
    /// Most rows a view shows (a bulk action on a view marks what it shows).
    public static let viewLimit = 1000

    public let pageSize: Int
    @ObservationIgnored let session: AppSession
    @ObservationIgnored var cursor: CRMPageCursor
    @ObservationIgnored var pageRequest: RequestHandle?
    @ObservationIgnored var generation = 0
    /// The loaded contacts' searchable text, folded once, in `contacts` order (without a mirror).
    @ObservationIgnored var searchIndex = TextFilterIndex()
    /// Most matches a mirror search shows (decoding each costs; a screen shows a few dozen).
    public static let searchLimit = 100
    /// How often an offline list tries the server again.
    static let offlineRetrySeconds = 15.0
    /// Pages a refresh walks before it leaves the rest to the backfill.
    static let refreshPageLimit = 20

    @ObservationIgnored var backfillRunning = false
    @ObservationIgnored var backfillRequest: RequestHandle?
    @ObservationIgnored let recount = CoalescedWork()
    @ObservationIgnored let viewRefresh = CoalescedWork()

    public init(session: AppSession, pageSize: Int = 100) {
        self.session = session
        self.pageSize = pageSize
        cursor = CRMPageCursor(limit: pageSize)
    }

    public var selectedContact: Contact? {
        let rows = self.rows
        guard visible.indices.contains(selection), rows.indices.contains(visible[selection]) else { return nil }
        return rows[visible[selection]]
    }

    /// The search's or view's rows again, the same contact staying selected: `visible` indexes
    /// the rows, so the selection is read before they change, never after.
    func researchKeepingSelection() {
        let selectedId = selectedContact?.id
        searchResults = searchMirror()
        rebuildVisible(keepSelection: true, selectedId: selectedId)
    }

    /// Paints from the mirror, then refreshes; without one, loads the first page (once).
    public func start() {
        guard state == .idle else { return }
        if let mirror = session.mirror {
            let kept = session.mirrorTry { try mirror.contacts(offset: 0, limit: pageSize) } ?? []
            contacts = kept
            mirroredCount = session.mirrorTry { try mirror.contactCount() } ?? kept.count
            unread = session.mirrorTry { try mirror.unreadContacts() } ?? []
            session.caughtUpAt = session.mirrorTry { try mirror.caughtUpAt() } ?? nil
            state = kept.isEmpty ? .loading : .loaded
            rebuildVisible(keepSelection: false)
            // After this frame is drawn: the mirror's rows reach the screen before any request.
            MainQueue.after(0) { [weak self] in self?.refreshFromNetwork() }
            return
        }
        state = .loading
        requestPage(reset: false)
    }

    /// Fetches what changed (with a mirror) or reloads from the first page, keeping the rows on
    /// screen until the answer arrives.
    public func refresh() {
        pageRequest?.cancel()
        pageRequest = nil
        loadingAll = false
        state = contacts.isEmpty ? .loading : .refreshing
        if session.mirror != nil {
            refreshFromNetwork()
        } else {
            requestPage(reset: true)
        }
    }

    func filterChanged() {
        if session.mirror != nil {
            searchResults = searchMirror()
            rebuildVisible(keepSelection: false)
        } else {
            rebuildVisible(keepSelection: false)
        }
    }

    /// Loads the pages not yet loaded, one after another, so a filter can search every contact.
    /// It stops early, and says so, when the rate budget gets down to its reserve.
    public func loadAll() {
        if session.mirror != nil {
            // Every contact comes into the mirror by itself; this only says where that stands.
            let held = mirroredCount.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
            session.show(Notice(session.syncProgress == nil && session.caughtUpThisRun
                ? "All \(held) contacts are kept locally: / searches them all"
                : "\(held) contacts kept so far; the rest come in the background on leftover budget (sync in the status line)"), for: 6)
            backfillNext()
            return
        }
        guard !loadingAll else { return }
        loadingAll = true
        if pageRequest == nil, state != .loading { continueLoadingAll() }
    }

    /// The next page while loading them all, if the budget allows.
    func continueLoadingAll() {
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

    /// Asks for the next page when the selection nears the end of what is loaded: from the mirror
    /// while it has more, else from the server. A filter never pulls more pages by itself.
    public func loadMoreIfNeeded() {
        guard state != .idle, state != .loading, filterText.isEmpty, activeView == nil, selection >= visible.count - max(10, pageSize / 4) else { return }
        if let mirror = session.mirror {
            guard contacts.count < mirroredCount else { return backfillNext() }
            let more = session.mirrorTry { try mirror.contacts(offset: contacts.count, limit: pageSize) } ?? []
            let fresh = more.unseen(by: \.id, known: Set(contacts.map(\.id)))
            guard !fresh.isEmpty else { return }
            contacts += fresh
            rebuildVisible(keepSelection: true)
            return
        }
        guard !reachedEnd, pageRequest == nil else { return }
        requestPage(reset: false)
    }

    func requestPage(reset: Bool) {
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
        if let mirror = session.mirror {
            let now = session.clock.now()
            session.mirrorTry { try mirror.save([contact], fetchedAt: now) }
            mirroredCount = session.mirrorTry { try mirror.contactCount() } ?? mirroredCount
            if let index = searchResults?.firstIndex(where: { $0.id == contact.id }) { searchResults?[index] = contact }
            // A write can take a contact into or out of the view in force, and changes the counts:
            // both are looked at again once a burst of writes (a bulk action) has passed.
            if activeView != nil {
                viewRefresh.ask(after: 0.3, on: session) { [weak self] in
                    guard let self, self.activeView != nil else { return }
                    self.researchKeepingSelection()
                }
            }
            recountSoon()
        }
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

    public func contact(id: String) -> Contact? {
        contacts.first { $0.id == id } ?? searchResults?.first { $0.id == id } ?? session.mirror.flatMap { mirror in session.mirrorTry { try mirror.contact(id: id) } ?? nil }
    }

    func rebuildVisible(keepSelection: Bool, selectedId: String? = nil) {
        let keep = selectedId ?? (keepSelection ? selectedContact?.id : nil)
        let rows = self.rows
        var indices = searchResults != nil || session.mirror != nil ? Array(rows.indices) : searchIndex.filter(filterText.trimmingCharacters(in: .whitespaces))
        if session.mirror == nil, activeView != nil {
            let query = activeQuery()
            indices = indices.filter { query?.matches(rows[$0]) ?? false }
        }
        if let column = sortColumn {
            let ascending = sortAscending
            indices.sort { lhs, rhs in
                let order = Self.compare(rows[lhs], rows[rhs], by: column)
                return order == .orderedSame ? lhs < rhs : (ascending ? order == .orderedAscending : order == .orderedDescending)
            }
        }
        visible = indices
        if let keep, let position = visible.firstIndex(where: { rows[$0].id == keep }) {
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
