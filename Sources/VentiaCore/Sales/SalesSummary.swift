import Foundation
import VentiaAPI

/// The figures of a period's sales beside the period before: in all, by status, by seller and by
/// day. A sale's day is the local day of its `date_sale` (its `date` when it has none); sales
/// with neither are counted apart in `undated`.
public struct SalesSummary: Sendable, Equatable {
    /// One status's sales (the status as the sales spell it, upper-cased; nil when missing).
    public struct StatusFigures: Sendable, Equatable {
        public var status: String?
        public var figures: SalesFigures
    }

    /// One seller's sales: named as the sales name them, matched to a user of the account by name.
    public struct Seller: Sendable, Equatable {
        public var name: String
        /// The user of that name, when exactly one matches.
        public var userId: String?
        /// No user of the account has this name: the list holds active users only, so the seller
        /// has left (or was renamed).
        public var isInactive: Bool
        public var figures: SalesFigures
        /// Sales a day, aligned with the period's days.
        public var perDay: [Int]
        /// The seller's share of the period's sold value, 0…1; nil when nothing was sold.
        public var share: Double?
    }

    public let range: DayRange
    public let previousRange: DayRange?
    public var totals = SalesFigures()
    public var previous: SalesFigures?
    public var byStatus: [StatusFigures] = []
    public var sellers: [Seller] = []
    /// Figures a day, aligned with `range.days`.
    public var perDay: [SalesFigures]
    public var undated = 0

    public init(sales: [Sale], range: DayRange, previous previousRange: DayRange?, users: [User], calendar: Calendar) {
        self.range = range
        self.previousRange = previousRange
        let dayCount = range.dayCount
        perDay = Array(repeating: SalesFigures(), count: dayCount)
        var previousFigures = previousRange.map { _ in SalesFigures() }
        var statuses: [String?: SalesFigures] = [:]
        var sellers: [String: Seller] = [:]
        let usersByName = Dictionary(grouping: users) { Self.nameKey($0.fullName) }
        let usersById = Dictionary(users.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for sale in sales {
            guard let date = sale.dateSale ?? sale.date else {
                undated += 1
                continue
            }
            let day = LocalDay(date, in: calendar)
            if let previousRange, previousRange.contains(day) { previousFigures?.add(sale) }
            guard range.contains(day) else { continue }
            totals.add(sale)
            perDay[range.first.days(to: day)].add(sale)
            statuses[sale.status?.uppercased(), default: SalesFigures()].add(sale)
            let name = Self.sellerName(sale, usersById: usersById)
            let key = Self.nameKey(name)
            if sellers[key] == nil {
                let matches = usersByName[key] ?? []
                sellers[key] = Seller(
                    name: name, userId: matches.count == 1 ? matches[0].id : nil, isInactive: matches.isEmpty && !users.isEmpty,
                    figures: SalesFigures(), perDay: Array(repeating: 0, count: dayCount), share: nil)
            }
            sellers[key]?.figures.add(sale)
            sellers[key]?.perDay[range.first.days(to: day)] += 1
        }
        previous = previousFigures
        let known = ["SOLD", "PENDING", "CANCELLED"]
        byStatus = statuses.map { StatusFigures(status: $0.key, figures: $0.value) }.sorted { a, b in
            let (ia, ib) = (known.firstIndex(of: a.status ?? "") ?? known.count, known.firstIndex(of: b.status ?? "") ?? known.count)
            return ia != ib ? ia < ib : (a.status ?? "\u{10FFFF}") < (b.status ?? "\u{10FFFF}")
        }
        let soldValue = totals.soldValue
        self.sellers = sellers.values.map { seller in
            var seller = seller
            seller.share = soldValue > 0 ? seller.figures.soldValue / soldValue : nil
            return seller
        }.sorted { $0.figures.soldValue != $1.figures.soldValue ? $0.figures.soldValue > $1.figures.soldValue : $0.name < $1.name }
    }

    /// The seller's full name as the sale gives it: `{name, lastname}` in lists, an id in a create
    /// answer (named from the users then), else `user_string`.
    public static func sellerName(_ sale: Sale, usersById: [String: User]) -> String {
        switch sale.user {
        case .person?:
            let name = sale.userDisplayName
            return name.isEmpty ? "—" : name
        case .id(let id)?:
            return usersById[id]?.fullName ?? sale.userString.flatMap { $0.isEmpty ? nil : $0 } ?? id
        case nil:
            return sale.userString.flatMap { $0.isEmpty ? nil : $0 } ?? "—"
        }
    }

    /// Names compared without case, accents or repeated spaces.
    public static func nameKey(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The figures of the days of `days` that the period holds (a bar of the chart).
    public func figures(in days: DayRange) -> SalesFigures {
        var sum = SalesFigures()
        for index in range.offsets(of: days) ?? 1...0 { sum.add(perDay[index]) }
        return sum
    }
}
