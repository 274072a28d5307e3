import Foundation
import Observation
import VentiaAPI
import VentiaCore

/// One page of sales at a time (1-based server pages), with page N of M.
@Observable
@MainActor
public final class SalesListViewModel {
    public private(set) var sales: [Sale] = []
    public private(set) var state = LoadState.idle
    public private(set) var cursor: SalesPageCursor
    public private(set) var selection = 0
    /// Shows only sales of this status (on the page, and in the overview); nil shows all.
    public private(set) var statusFilter: String?
    /// Every page, fetched on request for the overview; nil until then, and again after a write.
    public private(set) var allSales: [Sale]?
    public private(set) var allSalesState = LoadState.idle
    /// Pages of the whole range fetched so far, while `allSalesState` is loading.
    public private(set) var allSalesPagesLoaded = 0

    /// Sales marked for a bulk status change (by id: they survive paging and the status filter).
    public private(set) var marks = MarkSet()
    /// Each marked sale as it was when marked.
    @ObservationIgnored private var markedSales: [String: Sale] = [:]
    @ObservationIgnored private let session: AppSession
    @ObservationIgnored private var request: RequestHandle?
    @ObservationIgnored private var generation = 0
    @ObservationIgnored private var rangeRequest: RequestHandle?
    @ObservationIgnored private var rangeGeneration = 0
    /// Sales a request for the whole range asks for: the most a page may hold.
    public static let rangePageSize = 100

    public init(session: AppSession, pageSize: Int = 50) {
        self.session = session
        cursor = SalesPageCursor(limit: pageSize)
    }

    /// The page's sales after the status filter.
    public var visible: [Sale] { statusFilter.map { status in sales.filter { $0.status?.uppercased() == status } } ?? sales }

    public var selectedSale: Sale? { visible.indices.contains(selection) ? visible[selection] : nil }

    /// Marks the selected sale (or unmarks it) and moves down.
    public func toggleMark() {
        guard let sale = selectedSale else { return }
        marks.toggle(sale.id)
        markedSales[sale.id] = marks.contains(sale.id) ? sale : nil
        move(by: 1)
    }

    /// Marks every sale the page shows (after the status filter); returns how many were new.
    @discardableResult
    public func markAllShown() -> Int {
        for sale in visible where !marks.contains(sale.id) { markedSales[sale.id] = sale }
        return marks.insert(contentsOf: visible.map(\.id))
    }

    public func clearMarks() {
        marks.removeAll()
        markedSales = [:]
    }

    /// The marked sales, newest copy known (this page's, else as marked), in the order marked.
    public var marked: [Sale] {
        marks.ids.compactMap { id in sales.first { $0.id == id } ?? markedSales[id] }
    }

    /// Statuses to offer: the API's known ones and any seen on the page.
    public var knownStatuses: [String] {
        var statuses = ["SOLD", "PENDING", "CANCELLED"]
        for status in sales.compactMap({ $0.status?.uppercased() }) where !statuses.contains(status) { statuses.append(status) }
        return statuses
    }

    /// All → SOLD → PENDING → … → all.
    public func cycleStatusFilter() {
        let statuses = knownStatuses
        if let current = statusFilter, let index = statuses.firstIndex(of: current) {
            statusFilter = index + 1 < statuses.count ? statuses[index + 1] : nil
        } else {
            statusFilter = statuses.first
        }
        selection = 0
    }

    /// Changes the page size (1…100) and goes back to page 1.
    public func setPageSize(_ size: Int) {
        cursor = SalesPageCursor(limit: size)
        selection = 0
        load()
    }

    /// "page 2 of 4 · 187 sales"
    public var pageDescription: String {
        guard let total = cursor.totalPages, let counted = cursor.totalItems else { return "page \(cursor.page)" }
        // The reference's own sample counts 0 items beside a page that holds one: trust the rows.
        let items = max(counted, (cursor.page - 1) * cursor.limit + sales.count)
        return "page \(min(cursor.page, max(total, 1))) of \(max(total, 1)) · \(items) sale\(items == 1 ? "" : "s")"
    }

    public func start() {
        guard state == .idle else { return }
        load()
    }

    public func load() {
        request?.cancel()
        generation += 1
        let requestGeneration = generation
        let page = cursor.page
        let key = "sales?page=\(page)&limit=\(cursor.limit)"
        if let mirror = session.mirror, let kept = session.mirrorTry({ try mirror.kept(SalesPage.self, as: key) }) ?? nil {
            // The page as an earlier run saw it, at once; the answer replaces it.
            sales = kept.value.data
            cursor.record(kept.value.pagination)
            selection = min(selection, max(0, visible.count - 1))
        }
        state = sales.isEmpty ? .loading : .refreshing
        request = session.client.send(
            .listSales, query: VentiaClient.pageQuery(page, cursor.limit), as: Kept<SalesPage>.self, on: MainQueue.answers,
            completion: MainQueue.deliver { [weak self] result in
            guard let self, self.generation == requestGeneration else { return }
            self.request = nil
            switch result {
            case .success(let kept):
                let answer = kept.value
                if let mirror = self.session.mirror {
                    let now = self.session.clock.now()
                    self.session.mirrorTry { try mirror.keep(answer: kept.data, as: key, fetchedAt: now) }
                }
                self.cursor.record(answer.pagination)
                // A page that went past the end (rows were removed) reloads the last real page.
                if answer.data.isEmpty, page > 1, answer.pagination.totalPages >= 1, page > answer.pagination.totalPages {
                    self.cursor.go(to: answer.pagination.totalPages)
                    self.load()
                    return
                }
                self.sales = answer.data
                self.selection = min(self.selection, max(0, self.visible.count - 1))
                self.state = answer.data.isEmpty ? .empty : .loaded
                self.session.succeeded(.sales)
            case .failure(let error):
                if error == .cancelled { return }
                self.state = self.sales.isEmpty ? .failed(error.description) : .loaded
                self.session.report(error, from: .sales)
            }
        })
    }

    /// What the overview counts: every page once loaded, else the page on screen; both filtered.
    public var overviewSales: [Sale] {
        guard let allSales else { return visible }
        return statusFilter.map { status in allSales.filter { $0.status?.uppercased() == status } } ?? allSales
    }

    /// Requests loading every page takes (100 sales each), once the total is known.
    public var requestsForAllPages: Int? {
        cursor.totalItems.map { max(1, ($0 + Self.rangePageSize - 1) / Self.rangePageSize) }
    }

    /// Fetches every page for the overview, one request per 100 sales, one after another, unless
    /// that would spend more of this minute's budget than is left; then it says why and waits.
    public func loadAllPages() {
        guard !allSalesState.isBusy else { return }
        guard let needed = requestsForAllPages else {
            session.show(Notice("The number of sales is not known yet; wait for the first page", kind: .warning))
            return
        }
        let budget = session.client.rateBudget.snapshot()
        guard needed + AppSession.budgetReserve <= budget.remaining else {
            session.show(Notice(
                "All \(cursor.totalItems ?? 0) sales take \(needed) requests; \(budget.remaining) are left this minute and \(AppSession.budgetReserve) stay in reserve. Try again when the budget refills",
                kind: .warning), for: 6)
            return
        }
        rangeRequest?.cancel()
        rangeGeneration += 1
        allSalesState = allSales == nil ? .loading : .refreshing
        allSalesPagesLoaded = 0
        fetchRangePage(1, accumulated: [], generation: rangeGeneration)
    }

    private func fetchRangePage(_ page: Int, accumulated: [Sale], generation: Int) {
        rangeRequest = session.client.listSales(page: page, limit: Self.rangePageSize, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            guard let self, self.rangeGeneration == generation else { return }
            switch result {
            case .success(let answer):
                let fresh = answer.data.unseen(by: \.id, known: Set(accumulated.map(\.id)))
                let all = accumulated + fresh
                self.allSalesPagesLoaded = page
                // The answer's page count ends it; so does a page with nothing new (a server ignoring `page`).
                if page < answer.pagination.totalPages, !fresh.isEmpty {
                    self.fetchRangePage(page + 1, accumulated: all, generation: generation)
                } else {
                    self.rangeRequest = nil
                    self.allSales = all
                    self.allSalesState = all.isEmpty ? .empty : .loaded
                    self.session.succeeded(.allSales)
                }
            case .failure(let error):
                self.rangeRequest = nil
                if error == .cancelled { return }
                self.allSales = nil
                self.allSalesState = .failed(error.description)
                self.session.report(error, from: .allSales)
            }
        })
    }

    /// After a write: the page reloads and the whole range, now stale, is dropped.
    /// After a write the whole range is stale and dropped at once; the page reloads, and writes
    /// delivered close together (a bulk status change) share one reload instead of a request each.
    public func reloadAfterWrite() {
        rangeRequest?.cancel()
        rangeGeneration += 1
        allSales = nil
        allSalesState = .idle
        reload.ask(after: 0.5, on: session) { [weak self] in self?.load() }
    }

    @ObservationIgnored private let reload = CoalescedWork()

    public func nextPage() {
        guard cursor.hasNextPage else { return }
        cursor.goToNextPage()
        selection = 0
        load()
    }

    public func previousPage() {
        guard cursor.hasPreviousPage else { return }
        cursor.goToPreviousPage()
        selection = 0
        load()
    }

    public func move(by delta: Int) {
        let count = visible.count
        selection = count == 0 ? 0 : min(max(selection + delta, 0), count - 1)
    }

    public func select(_ index: Int) { move(by: index - selection) }
}
