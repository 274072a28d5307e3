import Foundation
import Observation
import TextSearch
import VentiaAPI
import VentiaCore
import VentiaMirror

/// The columns the contact list can sort by.
public enum ContactColumn: Int, Sendable, CaseIterable {
    case name, phone, status, agent, lastInteraction
}

/// The contact list, sorted by a column, with one selected contact.
///
/// Its rows come from a `ContactSource`: the account's mirror (painted before any request, caught up
/// by the account's sync, searched through FTS5), or without one the server's pages as the user
/// scrolls, filtered over the rows loaded.
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
    /// The search was answered by the team gateway's copy (the mirror still fills): how many
    /// contacts that copy holds; nil when the mirror was searched.
    public internal(set) var searchedTeamCopy: Int?
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
    /// The mirror, or the server's pages when there is none (or it failed).
    @ObservationIgnored private(set) lazy var source: any ContactSource = makeSource()
    /// Most matches a mirror search shows (decoding each costs; a screen shows a few dozen).
    public static let searchLimit = 100
    /// How often an offline list tries the server again.
    static let offlineRetrySeconds = 15.0
    /// Pages a refresh walks before it leaves the rest to the backfill.
    static let refreshPageLimit = 20

    @ObservationIgnored let recount = CoalescedWork()
    @ObservationIgnored let viewRefresh = CoalescedWork()

    public init(session: AppSession, pageSize: Int = 100) {
        self.session = session
        self.pageSize = pageSize
        session.account.listen { [weak self] event in
            switch event {
            case .mirrorDropped: self?.useNetwork()
            case .teamChanged(_, let contacts) where !contacts.isEmpty: self?.source.changedElsewhere(contacts)
            case .teamFeedReset: self?.refresh()
            default: break
            }
        }
    }

    private func makeSource() -> any ContactSource {
        guard let mirror = session.mirror else { return NetworkContactSource(list: self, session: session) }
        return MirrorContactSource(list: self, session: session, mirror: mirror)
    }

    /// The mirror failed and was dropped (the session says so): the list goes on online, from the first page.
    func useNetwork() {
        guard !(source is NetworkContactSource) else { return }
        let network = NetworkContactSource(list: self, session: session)
        source = network
        searchResults = nil
        network.refresh()
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
        searchResults = source.search()
        rebuildVisible(keepSelection: true, selectedId: selectedId)
    }

    /// Paints from the mirror, then refreshes; without one, loads the first page (once).
    public func start() {
        guard state == .idle else { return }
        source.start()
    }

    /// Fetches what changed (with a mirror) or reloads from the first page, keeping the rows on
    /// screen until the answer arrives.
    public func refresh() {
        loadingAll = false
        state = contacts.isEmpty ? .loading : .refreshing
        source.refresh()
    }

    func filterChanged() {
        searchResults = source.search()
        rebuildVisible(keepSelection: false)
    }

    /// Every contact: the mirror says where its sync stands; without one, pages load one after
    /// another until the budget gets down to its reserve.
    public func loadAll() { source.loadAll() }

    /// Asks for more rows when the selection nears the end of what is shown. A filter never pulls
    /// more pages by itself.
    public func loadMoreIfNeeded() {
        guard state != .idle, state != .loading, filterText.isEmpty, activeView == nil, selection >= visible.count - max(10, pageSize / 4) else { return }
        source.loadMore()
    }

    /// The user opened the contact: its messages are read.
    public func opened(_ id: String) { source.opened(id) }

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
        source.keep(contact)
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
        source.rowsChanged()
        rebuildVisible(keepSelection: true, selectedId: contact.id)
    }

    public func contact(id: String) -> Contact? {
        contacts.first { $0.id == id } ?? searchResults?.first { $0.id == id } ?? source.lookUp(id: id)
    }

    func rebuildVisible(keepSelection: Bool, selectedId: String? = nil) {
        let keep = selectedId ?? (keepSelection ? selectedContact?.id : nil)
        let rows = self.rows
        var indices = searchResults != nil ? Array(rows.indices) : source.shown(rows)
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
