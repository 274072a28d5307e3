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
    /// Sales marked for a bulk status change (by id: they survive paging and the status filter).
    public private(set) var marks = MarkSet()
    /// Each marked sale as it was when marked.
    @ObservationIgnored private var markedSales: [String: Sale] = [:]
    @ObservationIgnored private let session: AppSession
    @ObservationIgnored private var request: RequestHandle?
    @ObservationIgnored private var generation = 0
    public init(session: AppSession, pageSize: Int = 50) {
        self.session = session
        cursor = SalesPageCursor(limit: pageSize)
    }

    /// The sales of a bar or a seller of the review, shown instead of the server's pages until cleared.
    public private(set) var drill: SalesDrill?

    /// The page's sales (or the drill's) after the status filter.
    public var visible: [Sale] {
        let shown = drill?.sales ?? sales
        return statusFilter.map { status in shown.filter { $0.status?.uppercased() == status } } ?? shown
    }

    /// Shows the review's drill-down instead of the pages.
    public func show(_ drill: SalesDrill) {
        self.drill = drill
        statusFilter = nil
        selection = 0
    }

    /// Back to the server's pages.
    public func clearDrill() {
        drill = nil
        selection = 0
    }

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
        if let drill {
            return "\(drill.sales.count) sale\(drill.sales.count == 1 ? "" : "s") of the review" + (drill.seller.map { " by \($0)" } ?? "")
        }
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

    /// Told of every sale written (the review's figures may be off from then on).
    @ObservationIgnored public var onWrite: (@MainActor () -> Void)?

    /// After a write the page reloads, and writes delivered close together (a bulk status change)
    /// share one reload instead of a request each.
    public func reloadAfterWrite() {
        onWrite?()
        reload.ask(after: 0.5, on: session) { [weak self] in self?.load() }
    }

    @ObservationIgnored private let reload = CoalescedWork()

    public func nextPage() {
        guard drill == nil, cursor.hasNextPage else { return }
        cursor.goToNextPage()
        selection = 0
        load()
    }

    public func previousPage() {
        guard drill == nil, cursor.hasPreviousPage else { return }
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
