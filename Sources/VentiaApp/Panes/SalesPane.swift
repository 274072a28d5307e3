import Foundation
import TerminalUI
import VentiaAPI
import VentiaCore
import VentiaViewModels

/// Sales: server pages, the status filter, the sale writes (create, PATCH of what changed, upsert
/// by id, page size), and the review of a period (`SalesReviewView`) with its drill-down.
@MainActor
final class SalesPane: AppPane {
    static let registration = PaneRegistration(
        id: .sales, title: "Sales", showAction: .showSales, command: "sales", aliases: ["s"], commandHelp: "Go to sales")
    let context: PaneContext
    let sales: SalesListViewModel
    let review: SalesReviewViewModel
    let admin: AdminActions
    var table = TableState()
    var rowClick = RowClick()
    var showOverview = false

    init(services: PaneServices) {
        context = services.context
        sales = services.sales
        review = services.salesReview
        admin = services.admin
        review.confirmCost = { [context] requests, proceed in
            let cost = BulkCost(writes: requests, budget: context.session.client.rateBudget.snapshot())
            let pace = cost.minutes == 0 ? "under a minute at the current pace" : "about \(cost.minutes) min at the current pace"
            context.present(.question(QuestionModal(
                title: "Read \(requests) more page\(requests == 1 ? "" : "s") of sales?",
                message: "The period (and the one before) reach back about \(requests) more page\(requests == 1 ? "" : "s") of 100 sales: "
                    + "\(requests) request\(requests == 1 ? "" : "s") on the background lane, \(cost.remaining) left this minute, \(pace).",
                confirm: "Read", proceed: proceed)))
        }
    }

    var session: AppSession { context.session }
    var contexts: [KeymapContext] { showOverview ? [.salesOverview, .sales, .list] : [.sales, .list] }
    var statusSummary: String {
        if showOverview { return review.summary.map { "\($0.totals.count) sales in the period" } ?? (review.state.isBusy ? "reading sales" : "sales not read") }
        return sales.pageDescription + (sales.marks.isEmpty ? "" : " · " + sales.marks.statusText)
    }

    func activate() {
        sales.start()
        if session.usersState == .idle { session.loadUsers() }
        if showOverview { review.open() }
    }

    func refresh() { showOverview ? review.refresh() : sales.load() }

    func perform(_ action: AppAction) -> Bool {
        if showOverview { return performInOverview(action) }
        if let row = action.listTarget(from: sales.selection, count: sales.visible.count) {
            sales.select(row)
            revealSelection()
            return true
        }
        switch action {
        case .nextPage: sales.nextPage()
        case .previousPage: sales.previousPage()
        case .createSale:
            if session.users.isEmpty { session.loadUsers() }
            context.present(.form(create(withId: false)))
        case .upsertSale: context.present(.form(create(withId: true)))
        case .editSale:
            guard let sale = sales.selectedSale else { return true }
            if sale.lock { session.report(AdminActions.locked(sale)) } else { context.present(.form(edit(sale))) }
        case .filterStatus:
            sales.cycleStatusFilter()
            let scope = sales.drill == nil ? " of this page" : ""
            session.show(Notice(sales.statusFilter.map { "Showing \($0) sales\(scope)" } ?? "Showing all statuses"))
        case .pageSize: context.present(.form(pageSize()))
        case .mark:
            sales.toggleMark()
            revealSelection()
        case .markAll:
            let added = sales.markAllShown()
            session.show(Notice(sales.marks.statusText + (added == sales.marks.count ? "" : " (\(added) new)")), for: 4)
        case .clearMarks:
            guard !sales.marks.isEmpty else { return true }
            sales.clearMarks()
            session.show(Notice("Marks cleared"), for: 3)
        case .setStatus: setStatus()
        case .overview: openOverview()
        default: return false
        }
        return true
    }

    func openOverview() {
        showOverview = true
        review.usersChanged()
        if session.usersState != .loaded { session.whenUsersLoad.append { [review] in review.usersChanged() } }
        review.open()
    }

    /// The review's keys: periods, bars, the seller table, Enter to drill down; `o` closes it.
    func performInOverview(_ action: AppAction) -> Bool {
        if let row = action.listTarget(from: review.sellerSelection, count: review.sellers.count) {
            review.selectSeller(row)
            return true
        }
        let buckets = SalesReviewView.buckets(for: review.range, in: context.bodyArea)
        switch action {
        case .nextPeriod:
            review.cyclePeriod()
        case .customPeriod: context.present(.form(customPeriod()))
        case .previousBar: review.moveBar(by: -1, in: buckets)
        case .nextBar: review.moveBar(by: 1, in: buckets)
        case .sort: review.cycleSort()
        case .sortReverse: review.reverseSort()
        case .open:
            guard let drill = review.drill(in: buckets) else { return true }
            sales.show(drill)
            showOverview = false
            table = TableState()
        case .overview:
            showOverview = false
            review.cancelRead()
        case .createSale, .upsertSale:
            showOverview = false
            return perform(action)
        default: return false
        }
        return true
    }

    /// `P`: the days from one date to another, typed as the sale form takes them.
    func customPeriod() -> FormModal {
        let range = review.range
        // As the sale form reads a day, and both are needed.
        let check: @Sendable (String) -> String? = { $0.trimmingSpaces.isEmpty ? "is required" : AdminWriteFields.checkDay($0) }
        let fields = [
            WriteField(.from, "From", initial: range.first.description, check: check),
            WriteField(.to, "To", initial: range.last.description, check: check),
        ]
        return FormModal(state: FormState(fields), title: "Review the sales from one day to another") { [review] state, finish in
            guard let first = LocalDay(state.values[.from]), let last = LocalDay(state.values[.to]) else { return }
            review.show(.custom(DayRange(first, last)))
            finish(.done(Notice("Reviewing \(PeriodText.text(DayRange(first, last)))", kind: .info)))
        }
    }

    /// A new status for the marked sales (or the selected one): picked, then confirmed with its
    /// cost, then sent through the outbox. Locked sales are left out and said.
    func setStatus() {
        let targets = sales.marks.isEmpty ? [sales.selectedSale].compactMap { $0 } : sales.marked
        guard !targets.isEmpty else { return }
        let statuses = sales.knownStatuses
        let what = targets.count == 1 ? "sale \(targets[0].ticketId ?? targets[0].id)" : "\(targets.count) sales"
        context.present(.picker(PickerModal(title: "Status of \(what)", items: statuses, values: statuses) { [self] status in
            switch admin.bulkStatus(status, on: targets) {
            case .failure(let error): session.report(error)
            case .success(let (run, locked)):
                if !locked.isEmpty {
                    let names = locked.prefix(3).map { $0.ticketId ?? $0.id }.joined(separator: ", ")
                    session.show(Notice("\(locked.count) locked sale\(locked.count == 1 ? "" : "s") left out (\(names)\(locked.count > 3 ? ", …" : ""))", kind: .warning), for: 8)
                }
                guard !run.items.isEmpty else { return }
                context.present(.bulk(BulkModal(run: run, noun: "status change") { [sales] in
                    sales.clearMarks()
                }))
            }
        }))
    }

    /// Closes the overview; leaves a drill-down for the overview it came from.
    func back() -> Bool {
        if showOverview {
            showOverview = false
            review.cancelRead()
            return true
        }
        guard sales.drill != nil else { return false }
        sales.clearDrill()
        table = TableState()
        showOverview = true
        return true
    }

    /// A click selects the sale under it; a second one opens it as Enter does.
    func click(at point: Point, in area: Rect) -> Bool {
        if showOverview { return clickInOverview(at: point, in: area) }
        guard let row = RowClick.row(at: point, table: table, in: SalesViews.tableArea(in: area), rowCount: sales.visible.count) else { return false }
        sales.select(row)
        revealSelection()
        if rowClick.click(row: row, now: context.clock.now()) { _ = perform(.open) }
        return true
    }

    /// A click selects a bar or a seller; a second one on it lists its sales, as Enter does.
    func clickInOverview(at point: Point, in area: Rect) -> Bool {
        guard let target = SalesReviewView.target(at: point, review: review, area: area) else { return false }
        switch target {
        case .bar(let index): review.selectBar(index, in: SalesReviewView.buckets(for: review.range, in: area))
        case .seller(let index): review.selectSeller(index)
        }
        // Bars count as negative rows, so that a bar then a seller never make a double click.
        let row: Int
        switch target {
        case .bar(let index): row = -1 - index
        case .seller(let index): row = index
        }
        if rowClick.click(row: row, now: context.clock.now()) { _ = perform(.open) }
        return true
    }

    /// Scrolls the table so the selected sale shows, when the selection moves (not when drawing).
    func revealSelection() {
        table.selected = sales.selection
        table.scrollToSelection(visibleRows: Table.visibleRows(in: SalesViews.tableArea(in: context.bodyArea)), rowCount: sales.visible.count)
    }

    func draw(_ buffer: inout CellBuffer, area: Rect, now: Date) -> Point? {
        if showOverview {
            SalesReviewView(review: review, money: context.money, dates: context.dates, hints: context.hints).draw(into: &buffer, area: area, now: now)
            return nil
        }
        var table = self.table  // drawing reads the scroll position, never moves it
        SalesViews(session: session, dates: context.dates, hints: context.hints, money: context.money).sales(sales, into: &buffer, area: area, state: &table)
        return nil
    }

    func shows(errorFrom source: ErrorSource?) -> Bool {
        switch source {
        case nil, .action?, .groups?, .sales?, .allSales?: return true
        default: return false
        }
    }

    // MARK: Writes

    /// A new sale (POST), or with `withId` a sale created or updated by its id (PUT).
    func create(withId: Bool) -> FormModal {
        let users = session.users
        let state = FormState(AdminWriteFields.sale(statuses: sales.knownStatuses, users: users, today: context.clock.now(), withId: withId))
        let title = withId ? "Create or update a sale by id (PUT)" : "New sale"
        return FormModal(state: state, title: title) { [admin] state, finish in
            let input = AdminWriteFields.saleInput(state.values, users: users)
            if withId {
                let id = state.values[.id]
                admin.upsertSale(id: id, input) { finish(.of($0, "Sale", Notice("Sale \(id.trimmingSpaces) saved (created if it was new)", kind: .success))) }
            } else {
                admin.createSale(input) { finish(.of($0, "New sale", Notice("Sale \(state.values[.ticketId]) created", kind: .success))) }
            }
        }
    }

    func edit(_ sale: Sale) -> FormModal {
        let users = session.users
        return FormModal(
            state: FormState(AdminWriteFields.saleChanges(sale, statuses: sales.knownStatuses, users: users)), title: "Change sale \(sale.ticketId ?? "") (PATCH)"
        ) { [admin] state, finish in
            let patch = AdminWriteFields.salePatch(state.values, sale: sale, users: users)
            admin.updateSale(sale, patch) { outcome in
                finish(.of(outcome, "Sale edit", patch.isEmpty
                    ? Notice("Nothing changed: nothing was sent", kind: .info) : Notice("Sale \(sale.ticketId ?? "") saved", kind: .success)))
            }
        }
    }

    func pageSize() -> FormModal {
        FormModal(state: FormState(AdminWriteFields.pageSize(current: sales.cursor.limit)), title: "Sales per page") { [sales] state, finish in
            let size = Int(state.values[.limit].trimmingSpaces) ?? sales.cursor.limit
            sales.setPageSize(size)
            finish(.done(Notice("\(size) sales per page", kind: .success)))
        }
    }
}

extension PaneID {
    static let sales = PaneID(rawValue: "sales")
}
