import Foundation
import VentiaAPI

/// Sales read page after page (100 a request) for a period: it says when to stop, and what the
/// pages read so far cover. The API documents no order for `GET /sale`; while every page has come
/// newest day first, pages past one that reached before the period cannot hold its sales, so
/// reading stops there. Any other order reads every page.
public struct SalesCollector: Sendable {
    public private(set) var sales: [Sale] = []
    /// Each sale's JSON as the server sent it, for the mirror.
    public private(set) var objects: [JSONValue] = []
    public private(set) var pagesRead = 0
    public private(set) var totalPages: Int?
    public private(set) var totalItems: Int?
    /// The first day every sale of is known to be read; nil once every page is read.
    public private(set) var coversFrom: LocalDay?
    private var seen: Set<String> = []
    private var newestFirst = true
    private var lastDay: LocalDay?
    private let calendar: Calendar

    public init(calendar: Calendar) { self.calendar = calendar }

    /// Adds the next page (with the JSON it came as); says whether another page is needed to hold
    /// every sale from `firstDay` on (nil: every sale).
    public mutating func add(_ page: SalesPage, json: JSONValue, wanting firstDay: LocalDay?) -> Bool {
        pagesRead += 1
        totalPages = page.pagination.totalPages
        totalItems = page.pagination.totalItems
        let raw = json["data"]?.arrayValue ?? []
        var fresh = 0
        for (index, sale) in page.data.enumerated() where seen.insert(sale.id).inserted {
            fresh += 1
            sales.append(sale)
            objects.append(raw.indices.contains(index) ? raw[index] : .null)
            let day = (sale.dateSale ?? sale.date).map { LocalDay($0, in: calendar) }
            if let day, let last = lastDay, day > last { newestFirst = false }
            if day == nil { newestFirst = false }
            lastDay = day ?? lastDay
        }
        // The page count ends it; so does a page with nothing new (a server ignoring `page`).
        if page.data.isEmpty || fresh == 0 || pagesRead >= page.pagination.totalPages {
            coversFrom = nil
            return false
        }
        if newestFirst, let firstDay, let lastDay, lastDay < firstDay {
            // Sales of `lastDay` itself may go on over the next page.
            coversFrom = lastDay.adding(days: 1)
            return false
        }
        coversFrom = lastDay
        return true
    }

    /// Pages left at most, once the first is read.
    public var pagesLeft: Int? { totalPages.map { max(0, $0 - pagesRead) } }
}

/// The sales kept in the mirror between runs, with what they cover.
public struct SalesCopy: Sendable, Decodable {
    public var sales: [Sale]
    /// The first day every sale of is held; nil when every page was read.
    public var coversFrom: LocalDay?
    public var totalItems: Int?
    public var fetchedAt: Date

    /// The mirror's key for it.
    public static let mirrorKey = "sales-copy"

    public init(sales: [Sale], coversFrom: LocalDay?, totalItems: Int?, fetchedAt: Date) {
        self.sales = sales
        self.coversFrom = coversFrom
        self.totalItems = totalItems
        self.fetchedAt = fetchedAt
    }

    /// Whether it holds every sale from `day` on.
    public func covers(from day: LocalDay) -> Bool { coversFrom.map { $0 <= day } ?? true }

    enum CodingKeys: String, CodingKey { case sales, coversFrom, totalItems }

    /// The kept form: the sales' JSON as they came, and the coverage.
    public static func encoded(objects: [JSONValue], coversFrom: LocalDay?, totalItems: Int?) -> Data {
        let json: JSONValue = [
            "sales": .array(objects), "coversFrom": .optional(coversFrom?.description),
            "totalItems": totalItems.map { .number(Double($0)) } ?? .null,
        ]
        return (try? JSONEncoder().encode(json)) ?? Data()
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sales = try c.decode([Sale].self, forKey: .sales)
        coversFrom = try c.decodeIfPresent(String.self, forKey: .coversFrom).flatMap(LocalDay.init)
        totalItems = try c.decodeIfPresent(Int.self, forKey: .totalItems)
        fetchedAt = Date(timeIntervalSince1970: 0)
    }
}
