import Foundation
import Observation
import VentiaAPI

/// One page of sales at a time (1-based server pages), with page N of M.
@Observable
@MainActor
public final class SalesListViewModel {
    public private(set) var sales: [Sale] = []
    public private(set) var state = LoadState.idle
    public private(set) var cursor: SalesPageCursor
    public private(set) var selection = 0

    @ObservationIgnored private let session: AppSession
    @ObservationIgnored private var request: RequestHandle?
    @ObservationIgnored private var generation = 0

    public init(session: AppSession, pageSize: Int = 50) {
        self.session = session
        cursor = SalesPageCursor(limit: pageSize)
    }

    public var selectedSale: Sale? { sales.indices.contains(selection) ? sales[selection] : nil }

    /// "page 2 of 4 · 187 sales"
    public var pageDescription: String {
        guard let total = cursor.totalPages, let items = cursor.totalItems else { return "page \(cursor.page)" }
        return "page \(min(cursor.page, max(total, 1))) of \(max(total, 1)) · \(items) sales"
    }

    public func start() {
        guard state == .idle else { return }
        load()
    }

    public func load() {
        request?.cancel()
        generation += 1
        let requestGeneration = generation
        state = sales.isEmpty ? .loading : .refreshing
        let page = cursor.page
        request = session.client.listSales(page: page, limit: cursor.limit, on: .main) { [weak self] result in
            MainActor.assumeIsolated {
                guard let self, self.generation == requestGeneration else { return }
                self.request = nil
                switch result {
                case .success(let answer):
                    self.cursor.record(answer.pagination)
                    // A page that went past the end (rows were removed) reloads the last real page.
                    if answer.data.isEmpty, page > 1, answer.pagination.totalPages >= 1, page > answer.pagination.totalPages {
                        self.cursor.go(to: answer.pagination.totalPages)
                        self.load()
                        return
                    }
                    self.sales = answer.data
                    self.selection = min(self.selection, max(0, answer.data.count - 1))
                    self.state = answer.data.isEmpty ? .empty : .loaded
                case .failure(let error):
                    if error == .cancelled { return }
                    self.state = .failed(error.description)
                    self.session.report(error)
                }
            }
        }
    }

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
        selection = sales.isEmpty ? 0 : min(max(selection + delta, 0), sales.count - 1)
    }

    public func select(_ index: Int) { move(by: index - selection) }
}
