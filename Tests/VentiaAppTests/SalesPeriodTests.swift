import Foundation
import Testing
import VentiaAPI
import VentiaCore
@testable import VentiaApp

/// The days a review covers and compares with, the chart's bars, amounts as a locale writes them,
/// and where reading pages stops.
struct SalesPeriodTests {
    func day(_ text: String) -> LocalDay { LocalDay(text)! }
    func range(_ first: String, _ last: String) -> DayRange { DayRange(day(first), day(last)) }

    @Test func periodsFromToday() {
        let today = day("2026-12-02")  // a Wednesday
        let expected: [(SalesPeriod, DayRange, DayRange?)] = [
            (.thisWeek, range("2026-11-30", "2026-12-02"), range("2026-11-23", "2026-11-25")),
            (.lastWeek, range("2026-11-23", "2026-11-29"), range("2026-11-16", "2026-11-22")),
            (.thisMonth, range("2026-12-01", "2026-12-02"), range("2026-11-01", "2026-11-02")),
            (.lastMonth, range("2026-11-01", "2026-11-30"), range("2026-10-01", "2026-10-30")),
            (.last30Days, range("2026-11-03", "2026-12-02"), range("2026-10-04", "2026-11-02")),
            (.last90Days, range("2026-09-04", "2026-12-02"), range("2026-06-06", "2026-09-03")),
            (.thisYear, range("2026-01-01", "2026-12-02"), range("2025-01-01", "2025-12-02")),
            (.all, range("2026-10-04", "2026-12-02"), nil),
            (.custom(range("2026-11-25", "2026-12-03")), range("2026-11-25", "2026-12-03"), range("2026-11-16", "2026-11-24")),
        ]
        for (period, days, previous) in expected {
            let covered = period.range(today: today, earliest: day("2026-10-04"), latest: day("2026-11-30"))
            #expect(covered == days, "\(period)")
            #expect(period.previous(of: covered) == previous, "\(period)")
        }
        #expect(SalesPeriod.cycle.map(\.next) == Array(SalesPeriod.cycle.dropFirst()) + [.thisWeek])
        #expect(SalesPeriod.custom(range("2026-01-01", "2026-01-02")).next == .thisWeek)
    }

    @Test func weeksStartOnMondayAndMonthsEndWhereTheyEnd() {
        #expect(SalesPeriod.thisWeek.range(today: day("2026-12-06")) == range("2026-11-30", "2026-12-06"), "a Sunday ends its week")
        #expect(SalesPeriod.thisWeek.range(today: day("2026-11-30")) == range("2026-11-30", "2026-11-30"), "a Monday starts one")
        // A leap February, and a month compared with a shorter one.
        #expect(SalesPeriod.lastMonth.range(today: day("2024-03-10")) == range("2024-02-01", "2024-02-29"))
        let march = SalesPeriod.lastMonth.range(today: day("2026-04-02"))
        #expect(SalesPeriod.lastMonth.previous(of: march) == range("2026-02-01", "2026-02-28"))
        #expect(SalesPeriod.lastMonth.range(today: day("2026-01-15")) == range("2025-12-01", "2025-12-31"))
        #expect(range("2026-12-05", "2026-12-01") == range("2026-12-01", "2026-12-05"), "days the wrong way round are ordered")
        #expect(LocalDay("2026-02-30") == nil && LocalDay("2026-13-01") == nil && LocalDay("soon") == nil)
        #expect(day("2024-02-28").adding(days: 1) == day("2024-02-29") && day("2026-12-31").adding(days: 1) == day("2027-01-01"))
    }

    @Test func theChartsBarsCoverThePeriodOnceAndFit() {
        for (days, room, unit) in [
            (range("2026-11-30", "2026-12-06"), 24, SalesBuckets.Unit.day), (range("2026-09-04", "2026-12-02"), 24, .week),
            (range("2026-01-01", "2026-12-02"), 24, .month), (range("2019-03-01", "2026-12-02"), 24, .year),
        ] {
            let buckets = SalesBuckets(days, fitting: room)
            #expect(buckets.unit == unit)
            #expect(buckets.ranges.count <= room)
            #expect(buckets.ranges.first?.first == days.first && buckets.ranges.last?.last == days.last)
            #expect(buckets.ranges.map(\.dayCount).reduce(0, +) == days.dayCount, "every day in one bar")
            for (a, b) in zip(buckets.ranges, buckets.ranges.dropFirst()) { #expect(a.last.adding(days: 1) == b.first) }
            if unit == .week { #expect(buckets.ranges.dropFirst().allSatisfy { $0.first.isoWeekday == 1 }, "weeks from Monday") }
            if unit == .month { #expect(buckets.ranges.dropFirst().allSatisfy { $0.first.day == 1 }) }
        }
        let week = range("2026-11-30", "2026-12-06")
        #expect(SalesBuckets(week, fitting: 3).sum([1, 2, 3, 4, 5, 6, 7], over: week) == [28])
        #expect(SalesReviewView.slices([1, 2, 3, 4, 5, 6, 7], into: 3) == [3, 7, 18])
    }

    @Test func amountsReadAsTheLocaleWritesThem() {
        let uruguay = MoneyFormat(locale: Locale(identifier: "es_UY"))
        #expect(uruguay.string(1_300_800.5) == "1.300.800,50")
        #expect(uruguay.string(1_300_800) == "1.300.800")
        #expect(uruguay.string(0) == "0")
        #expect(uruguay.string(7_717.0033) == "7.717", "cents that round to nothing show none")
        #expect(MoneyFormat(locale: Locale(identifier: "en_US")).string(1_300_800.5) == "1,300,800.50")
        let pesos = MoneyFormat(locale: Locale(identifier: "es_UY"), currency: "UYU").string(1_300_800.5)
        #expect(pesos.contains("1.300.800,50") && pesos.contains("$"))
        #expect(MoneyFormat.isKnownCurrency("UYU") && MoneyFormat.isKnownCurrency("usd") && !MoneyFormat.isKnownCurrency("XYZW") && !MoneyFormat.isKnownCurrency("ZZZ"))
        #expect(MoneyFormat.locale(fromEnvironment: ["LANG": "es_UY.UTF-8"]).identifier == "es_UY")
        #expect(MoneyFormat.locale(fromEnvironment: ["LANG": "en_US.UTF-8", "LC_NUMERIC": "de_DE.UTF-8"]).identifier == "de_DE")
        #expect(MoneyFormat.locale(fromEnvironment: ["LC_ALL": "fr_FR@euro", "LC_NUMERIC": "de_DE"]).identifier == "fr_FR")
        #expect(MoneyFormat.locale(fromEnvironment: ["LANG": "C.UTF-8"]).identifier == "en_US_POSIX")
        #expect(MoneyFormat.locale(fromEnvironment: [:]).identifier == "en_US_POSIX")
    }

    /// A page of sales as `GET /sale` answers it, dated by day.
    func page(_ days: [String?], page: Int, of pages: Int, firstId: Int) throws -> (SalesPage, JSONValue) {
        let data: [JSONValue] = days.enumerated().map { index, day in
            ["_id": .string(String(format: "%024d", firstId + index)), "date_sale": day.map { .string($0 + "T15:00:00.000Z") } ?? .null, "status": "SOLD", "value": 100]
        }
        let json: JSONValue = ["data": .array(data), "pagination": ["totalItems": .number(Double(pages * 3)), "totalPages": .number(Double(pages)), "currentPage": .number(Double(page))]]
        let bytes = try JSONEncoder().encode(json)
        return (try VentiaJSON.decoder().decode(SalesPage.self, from: bytes), json)
    }

    @Test func readingStopsOnlyWhenTheOrderSaysNoMoreCanCome() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // Newest first: the second page reaches before the 20th, so the third cannot hold it.
        var ordered = SalesCollector(calendar: calendar)
        var (sales, json) = try page(["2026-11-25", "2026-11-24", "2026-11-22"], page: 1, of: 4, firstId: 0)
        let more1 = ordered.add(sales, json: json, wanting: day("2026-11-20"))
        #expect(more1)
        (sales, json) = try page(["2026-11-21", "2026-11-19", "2026-11-18"], page: 2, of: 4, firstId: 10)
        let more2 = ordered.add(sales, json: json, wanting: day("2026-11-20"))
        #expect(!more2)
        #expect(ordered.coversFrom == day("2026-11-19") && ordered.sales.count == 6 && ordered.objects.count == 6)
        // Any other order (or a sale without a date) reads on.
        var unordered = SalesCollector(calendar: calendar)
        (sales, json) = try page(["2026-11-10", "2026-11-24", "2026-11-22"], page: 1, of: 2, firstId: 0)
        let more3 = unordered.add(sales, json: json, wanting: day("2026-11-20"))
        #expect(more3)
        (sales, json) = try page(["2026-11-01", nil, "2026-11-18"], page: 2, of: 2, firstId: 10)
        let more4 = unordered.add(sales, json: json, wanting: day("2026-11-20"))
        #expect(!more4, "the last page")
        #expect(unordered.coversFrom == nil, "every page read")
        // Going on from a copy: from its last full page, which must hold some of what it holds.
        let copy = SalesCopy(sales: ordered.sales, objects: ordered.objects, coversFrom: ordered.coversFrom, totalItems: 12, fetchedAt: Date())
        var goingOn = SalesCollector(calendar: calendar, continuing: copy, pageSize: 3)
        #expect(goingOn.nextPage == 2)
        (sales, json) = try page(["2026-11-21", "2026-11-19", "2026-11-18"], page: 2, of: 4, firstId: 10)
        let more7 = goingOn.add(sales, json: json, wanting: day("2026-11-10"))
        #expect(more7 && !goingOn.lostTrack && goingOn.nextPage == 3 && goingOn.sales.count == 6, "the overlap adds nothing twice")
        (sales, json) = try page(["2026-11-12", "2026-11-09", "2026-11-08"], page: 3, of: 4, firstId: 20)
        let more8 = goingOn.add(sales, json: json, wanting: day("2026-11-10"))
        #expect(!more8 && goingOn.coversFrom == day("2026-11-09") && goingOn.sales.count == 9)
        var lost = SalesCollector(calendar: calendar, continuing: copy, pageSize: 3)
        (sales, json) = try page(["2026-11-30", "2026-11-29", "2026-11-28"], page: 2, of: 4, firstId: 90)
        let more9 = lost.add(sales, json: json, wanting: day("2026-11-10"))
        #expect(!more9 && lost.lostTrack, "many sales came since: none of the copy's on that page")

        // A server that ignores `page` sends the first again: nothing new ends it.
        var repeating = SalesCollector(calendar: calendar)
        (sales, json) = try page(["2026-11-10", "2026-11-24"], page: 1, of: 5, firstId: 0)
        let more5 = repeating.add(sales, json: json, wanting: nil)
        #expect(more5)
        let more6 = repeating.add(sales, json: json, wanting: nil)
        #expect(!more6)
    }
}
