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
    /// Requests made by this read.
    public private(set) var pagesRead = 0
    /// The page to ask for next (1-based).
    public private(set) var nextPage = 1
    public private(set) var totalPages: Int?
    public private(set) var totalItems: Int?
    /// The first day every sale of is known to be read; nil once every page is read.
    public private(set) var coversFrom: LocalDay?
    /// A read that went on from a kept copy found none of its sales on the page where it went on
    /// (many sales came since): it must start again from the first page.
    public private(set) var lostTrack = false
    private var seen: Set<String> = []
    private var newestFirst = true
    private var continuing = false
    private var newestDate: Date?
    private var lastDate: Date?
    private var lastDay: LocalDay?
    private let calendar: Calendar
    /// Sales a page holds.
    public let pageSize: Int

    public init(calendar: Calendar, pageSize: Int = SalesPageCursor.maximumLimit) {
        self.calendar = calendar
        self.pageSize = pageSize
    }

    /// Goes on from a copy an earlier read stopped early (newest day first): from the last page it
    /// read in full, so that sales come since (which push the pages down) are not missed.
    public init(calendar: Calendar, continuing copy: SalesCopy, pageSize: Int = SalesPageCursor.maximumLimit) {
        self.init(calendar: calendar, pageSize: pageSize)
        for (sale, object) in zip(copy.sales, copy.objects) { note(sale, object) }
        totalItems = copy.totalItems
        nextPage = max(1, copy.sales.count / pageSize)
        continuing = true
    }

    /// Adds the page asked for (with the JSON it came as); says whether another page is needed to
    /// hold every sale from `firstDay` on (nil: every sale).
    public mutating func add(_ page: SalesPage, json: JSONValue, wanting firstDay: LocalDay?) -> Bool {
        pagesRead += 1
        totalPages = page.pagination.totalPages
        totalItems = page.pagination.totalItems
        let raw = json["data"]?.arrayValue ?? []
        var fresh = 0
        var known = 0
        for (index, sale) in page.data.enumerated() {
            guard !seen.contains(sale.id) else {
                known += 1
                continue
            }
            fresh += 1
            note(sale, raw.indices.contains(index) ? raw[index] : .null)
        }
        let wentOn = continuing
        continuing = false
        if wentOn, known == 0, !page.data.isEmpty {
            lostTrack = true
            return false
        }
        // The page count ends it; so does a page with nothing new (a server ignoring `page`).
        if page.data.isEmpty || (fresh == 0 && !wentOn) || nextPage >= page.pagination.totalPages {
            coversFrom = nil
            return false
        }
        nextPage += 1
        if newestFirst, let firstDay, let lastDay, lastDay < firstDay {
            // Sales of `lastDay` itself may go on over the next page.
            coversFrom = lastDay.adding(days: 1)
            return false
        }
        coversFrom = lastDay
        return true
    }

    private mutating func note(_ sale: Sale, _ object: JSONValue) {
        guard seen.insert(sale.id).inserted else { return }
        sales.append(sale)
        objects.append(object)
        let date = sale.dateSale ?? sale.date
        let day = date.map { LocalDay($0, in: calendar) }
        if let day, let last = lastDay, day > last { newestFirst = false }
        if day == nil { newestFirst = false }
        if newestDate == nil { newestDate = date }
        lastDate = date ?? lastDate
        lastDay = day ?? lastDay
    }

    /// Pages left at most.
    public var pagesLeft: Int? { totalPages.map { max(0, $0 - nextPage + 1) } }

    /// Whether the pace of the pages so far says much: three pages' worth, or an order that
    /// leaves every page to read anyway.
    public var paceIsKnown: Bool { sales.count >= 3 * pageSize || !newestFirst }

    /// Requests still likely needed to hold every sale from `firstDay` on: every page left unless
    /// the pages come newest day first; then as many as the time left back to `firstDay` needs at
    /// the pace of the sales held so far (never more than there are).
    public func estimatedPagesLeft(wanting firstDay: LocalDay?) -> Int {
        let all = pagesLeft ?? 0
        guard newestFirst, let firstDay, let newest = newestDate, let last = lastDate, let lastDay else { return all }
        guard lastDay >= firstDay else { return 0 }
        let covered = newest.timeIntervalSince(last)
        guard covered > 0 else { return all }
        let left = last.timeIntervalSince(firstDay.start(in: calendar))
        let more = Int((left / covered * Double(sales.count) / Double(pageSize)).rounded(.up))
        return min(all, max(1, more))
    }
}

/// The sales kept in the mirror between runs, with what they cover.
public struct SalesCopy: Sendable, Decodable {
    public var sales: [Sale]
    /// Each sale's JSON as the server sent it.
    public var objects: [JSONValue]
    /// The first day every sale of is held; nil when every page was read.
    public var coversFrom: LocalDay?
    public var totalItems: Int?
    public var fetchedAt: Date

    /// The mirror's key for it.
    public static let mirrorKey = "sales-copy"

    public init(sales: [Sale], objects: [JSONValue], coversFrom: LocalDay?, totalItems: Int?, fetchedAt: Date) {
        self.sales = sales
        self.objects = objects
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
        let kept = try c.decode([Kept<Sale>].self, forKey: .sales)
        sales = kept.map(\.value)
        objects = kept.map(\.json)
        coversFrom = try c.decodeIfPresent(String.self, forKey: .coversFrom).flatMap(LocalDay.init)
        totalItems = try c.decodeIfPresent(Int.self, forKey: .totalItems)
        fetchedAt = Date(timeIntervalSince1970: 0)
    }
}
