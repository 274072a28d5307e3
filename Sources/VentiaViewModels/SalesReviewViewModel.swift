import Foundation
import Observation
import VentiaAPI
import VentiaCore

/// A supervisor's review of a period's sales: the period, its sales (kept in the mirror, read
/// again on request on the background lane), their figures beside the period before, the chart's
/// selected bar and the seller table's selection and order.
@Observable
@MainActor
public final class SalesReviewViewModel {
    /// Where Enter drills down from: the chart's selected bar or the selected seller.
    public enum Focus: Sendable { case chart, sellers }

    /// The seller table's columns, in the order `s` steps through them.
    public enum SellerColumn: Int, CaseIterable, Sendable {
        case seller, sales, soldValue, averageTicket, cancelledRate, share
    }

    public private(set) var period: SalesPeriod = .thisWeek
    /// The sales read so far (from the mirror or the network), with what they cover.
    public private(set) var copy: SalesCopy?
    public private(set) var state = LoadState.idle
    /// Pages of the list behind a read under way, and how many there are.
    public private(set) var pagesRead = 0
    public private(set) var pagesTotal: Int?
    /// A sale was written since the copy was read: its figures may be off until ctrl-r.
    public private(set) var changedSinceRead = false
    public private(set) var summary: SalesSummary?
    public var focus = Focus.sellers
    /// The chart's selected bar, as the first day of the bar that holds it.
    public private(set) var selectedDay: LocalDay?
    public private(set) var sellerSelection = 0
    public private(set) var sortColumn = SellerColumn.soldValue
    public private(set) var sortDescending = true

    /// Asked before a read of more than `askAbove` requests: the number, and what goes on.
    @ObservationIgnored public var confirmCost: (@MainActor (_ requests: Int, _ proceed: @escaping @MainActor () -> Void) -> Void)?
    /// Reads above this many requests are asked first.
    public static let askAbove = 20
    public let calendar: Calendar
    @ObservationIgnored private let session: AppSession
    @ObservationIgnored private var request: RequestHandle?
    @ObservationIgnored private var generation = 0
    /// The first day the read under way wants (nil inside: every sale); nil when none runs.
    @ObservationIgnored private var readingFrom: LocalDay??

    /// Today, and when a copy was read.
    @ObservationIgnored private let clock: any VentiaClock

    public init(session: AppSession, timeZone: TimeZone, clock: (any VentiaClock)? = nil) {
        self.session = session
        self.clock = clock ?? session.clock
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        self.calendar = calendar
    }

    public var today: LocalDay { LocalDay(clock.now(), in: calendar) }

    /// The period's days; for `all`, from the earliest sale held to the latest (or today).
    public var range: DayRange {
        period.range(today: today, earliest: copySpan.earliest, latest: copySpan.latest)
    }

    /// The first and last day of the copy's sales, found once a copy (drawing asks every frame).
    @ObservationIgnored private var copySpan: (earliest: LocalDay?, latest: LocalDay?) = (nil, nil)

    private func hold(_ copy: SalesCopy) {
        let days = copy.sales.compactMap { ($0.dateSale ?? $0.date).map { LocalDay($0, in: calendar) } }
        copySpan = (days.min(), days.max())
        self.copy = copy
    }

    /// The first day the figures need: the previous period's (nil for `all`: every sale).
    var firstDayNeeded: LocalDay? {
        if period == .all { return nil }
        let range = self.range
        return period.previous(of: range)?.first ?? range.first
    }

    /// When the review is shown: the mirror's copy at once, then a read when it does not cover the period.
    public func open() {
        takeKeptCopy()
        recompute()
        load(force: false)
    }

    /// The copy an earlier run kept, unless one is held already.
    private func takeKeptCopy() {
        guard copy == nil, let mirror = session.mirror, let kept = session.mirrorTry({ try mirror.kept(SalesCopy.self, as: SalesCopy.mirrorKey) }) ?? nil else { return }
        var held = kept.value
        held.fetchedAt = kept.fetchedAt
        hold(held)
    }

    public func cyclePeriod() { show(period.next) }

    public func show(_ period: SalesPeriod) {
        self.period = period
        selectedDay = nil
        sellerSelection = 0
        takeKeptCopy()
        recompute()
        guard summary == nil || !covered(from: firstDayNeeded) else { return }
        // Periods stepped through quickly (`p p p`) share one read, for the one shown when it starts.
        if !state.isBusy { state = copy == nil ? .loading : .refreshing }
        let ticket = generation
        periodRead.ask(after: 0.25, on: session) { [weak self] in
            guard let self, self.generation == ticket else { return }
            self.load(force: false)
        }
    }

    @ObservationIgnored private let periodRead = CoalescedWork()

    /// Whether the copy holds every sale from `day` on (nil: every sale).
    private func covered(from day: LocalDay?) -> Bool {
        guard let copy else { return false }
        return day.map { copy.covers(from: $0) } ?? (copy.coversFrom == nil)
    }

    /// ctrl-r: every page the period needs, read again.
    public func refresh() { load(force: true) }

    /// After a sale is written: the figures are marked as possibly off until read again.
    public func saleChanged() {
        if copy != nil { changedSinceRead = true }
    }

    func load(force: Bool) {
        let wanted = firstDayNeeded
        if !force, covered(from: wanted) {
            if state.isBusy, readingFrom == nil { state = .loaded }  // a read was about to start
            return
        }
        // A read under way that reaches back far enough serves; one that does not is started again.
        if !force, state.isBusy, let reading = readingFrom, reading.map({ day in wanted.map { day <= $0 } ?? false }) ?? true { return }
        request?.cancel()
        // The first page tells how many there are and how far back a page reaches: the question, if any, comes after it.
        read(wanting: wanted, confirmed: false, fresh: force)
    }

    private func read(wanting firstDay: LocalDay?, confirmed: Bool, fresh: Bool) {
        generation += 1
        readingFrom = .some(firstDay)
        state = copy == nil ? .loading : .refreshing
        pagesRead = 0
        pagesTotal = nil
        // A copy that stopped early newest-first goes on where it stopped; ctrl-r reads from the first page.
        let collector = copy.flatMap { $0.coversFrom == nil || fresh ? nil : SalesCollector(calendar: calendar, continuing: $0) }
        readPage(into: collector ?? SalesCollector(calendar: calendar), wanting: firstDay, confirmed: confirmed, generation: generation)
    }

    private func readPage(into collector: SalesCollector, wanting firstDay: LocalDay?, confirmed: Bool, generation: Int) {
        request = session.client.send(
            .listSales, query: VentiaClient.pageQuery(collector.nextPage, collector.pageSize), as: Kept<SalesPage>.self, lane: .background, on: MainQueue.answers,
            completion: MainQueue.deliver { [weak self] result in
                guard let self, self.generation == generation else { return }
                switch result {
                case .success(let kept):
                    var collector = collector
                    let more = collector.add(kept.value, json: kept.json, wanting: firstDay)
                    self.pagesRead = collector.nextPage - 1
                    self.pagesTotal = collector.totalPages
                    if collector.lostTrack {
                        // Too many sales came since the copy: from the first page again.
                        return self.readPage(into: SalesCollector(calendar: self.calendar), wanting: firstDay, confirmed: confirmed, generation: generation)
                    }
                    guard more else { return self.finish(collector) }
                    let left = collector.estimatedPagesLeft(wanting: firstDay)
                    // A pace read from one page is rough: the question waits for three pages' worth.
                    if !confirmed, firstDay == nil || collector.paceIsKnown, collector.pagesRead + left > Self.askAbove, let confirmCost = self.confirmCost {
                        // Nothing reads while the question is open; declined, the review says how to read.
                        self.request = nil
                        self.readingFrom = nil
                        self.state = self.copy == nil ? .idle : .loaded
                        confirmCost(left) { [weak self] in
                            guard let self, self.generation == generation else { return }
                            self.readingFrom = .some(firstDay)
                            self.state = self.copy == nil ? .loading : .refreshing
                            self.readPage(into: collector, wanting: firstDay, confirmed: true, generation: generation)
                        }
                        return
                    }
                    self.readPage(into: collector, wanting: firstDay, confirmed: confirmed, generation: generation)
                case .failure(let error):
                    self.request = nil
                    if error == .cancelled { return }
                    self.readingFrom = nil
                    self.state = self.copy == nil ? .failed(error.description) : .loaded
                    self.session.report(error, from: .allSales)
                }
            })
    }

    private func finish(_ collector: SalesCollector) {
        request = nil
        readingFrom = nil
        let now = clock.now()
        hold(SalesCopy(sales: collector.sales, objects: collector.objects, coversFrom: collector.coversFrom, totalItems: collector.totalItems, fetchedAt: now))
        changedSinceRead = false
        if let mirror = session.mirror, !collector.objects.contains(.null) {
            let data = SalesCopy.encoded(objects: collector.objects, coversFrom: collector.coversFrom, totalItems: collector.totalItems)
            session.mirrorTry { try mirror.keep(answer: data, as: SalesCopy.mirrorKey, fetchedAt: now) }
        }
        state = collector.sales.isEmpty ? .empty : .loaded
        session.succeeded(.allSales)
        recompute()
        load(force: false)  // the period may have changed to one reaching further back meanwhile
    }

    /// Stops a read that waits for the budget or an answer (the review was closed).
    public func cancelRead() {
        guard state.isBusy else { return }
        request?.cancel()
        request = nil
        readingFrom = nil
        generation += 1
        state = copy == nil ? .idle : .loaded
    }

    func recompute() {
        guard let copy else {
            summary = nil
            return
        }
        let range = self.range
        // Figures from a copy that does not reach back far enough would be short: none until read.
        guard period == .all ? copy.coversFrom == nil : copy.covers(from: range.first) else {
            summary = nil
            return
        }
        let previous = period.previous(of: range).flatMap { copy.covers(from: $0.first) ? $0 : nil }
        summary = SalesSummary(sales: copy.sales, range: range, previous: previous, users: session.users, calendar: calendar)
        sellerSelection = min(sellerSelection, max(0, sellers.count - 1))
    }

    /// Recomputes with the users once they load (they tell active sellers and ids).
    public func usersChanged() { recompute() }

    // MARK: Sellers

    /// The period's sellers in the table's order.
    public var sellers: [SalesSummary.Seller] {
        guard let summary else { return [] }
        let sorted = summary.sellers.sorted { a, b in
            let order = Self.compare(a, b, by: sortColumn)
            return order == .orderedSame ? a.name < b.name : (order == .orderedAscending) != sortDescending
        }
        return sorted
    }

    static func compare(_ a: SalesSummary.Seller, _ b: SalesSummary.Seller, by column: SellerColumn) -> ComparisonResult {
        func order<T: Comparable>(_ x: T, _ y: T) -> ComparisonResult { x < y ? .orderedAscending : (x > y ? .orderedDescending : .orderedSame) }
        switch column {
        case .seller: return a.name.localizedStandardCompare(b.name)
        case .sales: return order(a.figures.count, b.figures.count)
        case .soldValue: return order(a.figures.soldValue, b.figures.soldValue)
        case .averageTicket: return order(a.figures.averageTicket ?? -1, b.figures.averageTicket ?? -1)
        case .cancelledRate: return order(a.figures.cancelledRate ?? -1, b.figures.cancelledRate ?? -1)
        case .share: return order(a.share ?? -1, b.share ?? -1)
        }
    }

    /// `s`: the next column (names ascending, figures largest first).
    public func cycleSort() {
        let all = SellerColumn.allCases
        sortColumn = all[(sortColumn.rawValue + 1) % all.count]
        sortDescending = sortColumn != .seller
        sellerSelection = 0
    }

    /// `S`: the same column the other way.
    public func reverseSort() {
        sortDescending.toggle()
        sellerSelection = 0
    }

    public func selectSeller(_ index: Int) {
        focus = .sellers
        sellerSelection = min(max(index, 0), max(0, sellers.count - 1))
    }

    public var selectedSeller: SalesSummary.Seller? {
        let sellers = self.sellers
        return sellers.indices.contains(sellerSelection) ? sellers[sellerSelection] : nil
    }

    // MARK: The chart

    /// The bar holding the selected day among `buckets` (the last bar when none is selected).
    public func selectedBar(in buckets: SalesBuckets) -> Int? {
        guard !buckets.ranges.isEmpty else { return nil }
        guard let selectedDay else { return buckets.ranges.count - 1 }
        return buckets.ranges.firstIndex { $0.contains(selectedDay) } ?? buckets.ranges.count - 1
    }

    /// Selects bar `index` of `buckets` (a click).
    public func selectBar(_ index: Int, in buckets: SalesBuckets) {
        focus = .chart
        guard buckets.ranges.indices.contains(index) else { return }
        selectedDay = buckets.ranges[index].first
    }

    /// `h`/`l`: the bar `delta` bars away.
    public func moveBar(by delta: Int, in buckets: SalesBuckets) {
        focus = .chart
        guard let current = selectedBar(in: buckets) else { return }
        let index = min(max(current + delta, 0), buckets.ranges.count - 1)
        selectedDay = buckets.ranges[index].first
    }

    /// What Enter opens: the selected bar's days, or the selected seller over the period.
    public func drill(in buckets: SalesBuckets) -> SalesDrill? {
        guard let copy, let summary else { return nil }
        switch focus {
        case .chart:
            guard let bar = selectedBar(in: buckets) else { return nil }
            return SalesDrill(range: buckets.ranges[bar], seller: nil, sales: copy.sales, calendar: calendar)
        case .sellers:
            guard let seller = selectedSeller else { return nil }
            return SalesDrill(range: summary.range, seller: seller.name, sales: copy.sales, calendar: calendar)
        }
    }
}
