import Foundation

/// Paging through a CRM list: pages are 0-based, `limit` is 1..100, and a page shorter than
/// `limit` is the last one (there is no total).
public struct CRMPageCursor: Sendable, Equatable {
    public static let maximumLimit = 100

    public let limit: Int
    public private(set) var nextPage: Int
    public private(set) var reachedEnd: Bool

    public init(limit: Int = 100, startPage: Int = 0) {
        self.limit = min(max(limit, 1), Self.maximumLimit)
        self.nextPage = max(startPage, 0)
        self.reachedEnd = false
    }

    /// Records a page that arrived with `count` items, `fresh` of them not on an earlier page. A
    /// full page with nothing new ends the list too: a server that ignores `page` would otherwise
    /// be asked for the same items until the rate budget ran out.
    public mutating func advance(receivedCount count: Int, freshCount fresh: Int? = nil) {
        nextPage += 1
        if count < limit || (count > 0 && fresh == 0) { reachedEnd = true }
    }

    public var query: [URLQueryItem] {
        [URLQueryItem(name: "page", value: String(nextPage)), URLQueryItem(name: "limit", value: String(limit))]
    }
}

/// Paging through sales: pages are 1-based and the answer says how many there are.
public struct SalesPageCursor: Sendable, Equatable {
    public static let maximumLimit = 100

    public let limit: Int
    public private(set) var page: Int
    public private(set) var totalPages: Int?
    public private(set) var totalItems: Int?

    public init(limit: Int = 50, page: Int = 1) {
        self.limit = min(max(limit, 1), Self.maximumLimit)
        self.page = max(page, 1)
    }

    public mutating func record(_ pagination: SalesPagination) {
        totalPages = pagination.totalPages
        totalItems = pagination.totalItems
    }

    public var hasNextPage: Bool { totalPages.map { page < $0 } ?? true }
    public var hasPreviousPage: Bool { page > 1 }

    public mutating func goToNextPage() { if hasNextPage { page += 1 } }
    public mutating func goToPreviousPage() { if hasPreviousPage { page -= 1 } }
    /// Jumps to `page`, clamped to the known range.
    public mutating func go(to page: Int) {
        page < 1 ? (self.page = 1) : (self.page = min(page, max(totalPages ?? page, 1)))
    }

    public var query: [URLQueryItem] {
        [URLQueryItem(name: "page", value: String(page)), URLQueryItem(name: "limit", value: String(limit))]
    }
}

extension Array {
    /// The items whose id is neither in `known` nor earlier in this page: what a page adds.
    public func unseen<ID: Hashable>(by id: (Element) -> ID, known: Set<ID>) -> [Element] {
        var seen = known
        return filter { seen.insert(id($0)).inserted }
    }
}
