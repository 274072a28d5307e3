import Foundation
import VentiaAPI
import VentiaCore

/// The sales list narrowed to some days, and maybe one seller, from the review.
public struct SalesDrill: Sendable, Equatable {
    public let range: DayRange
    public let seller: String?
    /// Its sales, newest first.
    public let sales: [Sale]

    public init(range: DayRange, seller: String?, sales: [Sale], calendar: Calendar) {
        self.range = range
        self.seller = seller
        let key = seller.map(SalesSummary.nameKey)
        self.sales = sales.filter { sale in
            guard let date = sale.dateSale ?? sale.date, range.contains(LocalDay(date, in: calendar)) else { return false }
            return key.map { SalesSummary.nameKey(SalesSummary.sellerName(sale, usersById: [:])) == $0 } ?? true
        }.sorted { ($0.dateSale ?? $0.date ?? .distantPast) > ($1.dateSale ?? $1.date ?? .distantPast) }
    }
}
