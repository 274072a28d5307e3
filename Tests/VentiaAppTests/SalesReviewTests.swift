import Foundation
import Testing
import VentiaAPI
import VentiaCommandLine
import VentiaCore
import VentiaMirror
@testable import VentiaServer
@testable import VentiaViewModels

/// The supervisor's review of sales: its sums held against a count made here from the server's
/// JSON with nothing of ventia's (a period across a month's end, in Montevideo, with free sales,
/// sales with cents, a former seller's and some kept out of goals), by the view model and by
/// `ventia sales summary`; and how the review spends the budget and keeps its copy.
@Suite(.serialized) @MainActor struct SalesReviewTests {
    static let now = Date(timeIntervalSince1970: 1_796_302_800)  // 2026-12-03 13:00 UTC, a Thursday
    static let zone = TimeZone(identifier: "America/Montevideo")!
    static let period = (from: "2026-11-24", to: "2026-12-02")
    static let previous = (from: "2026-11-15", to: "2026-11-23")

    /// The figures of one group, counted from JSON.
    struct Sums: Equatable {
        var count = 0
        var value = 0.0
        var sold = 0
        var pending = 0
        var cancelled = 0
    }

    /// The sales' JSON and the users', read page by page as any client would.
    static func serverJSON(_ client: VentiaClient) async throws -> (sales: [[String: JSONValue]], users: [[String: JSONValue]]) {
        var sales: [[String: JSONValue]] = []
        var page = 1
        while true {
            let answer = try await client.send(.listSales, query: VentiaClient.pageQuery(page, 100), as: JSONValue.self)
            let data = answer["data"]?.arrayValue ?? []
            sales += data.compactMap(\.objectValue)
            if data.isEmpty || page >= Int(answer["pagination"]?["totalPages"]?.numberValue ?? 0) { break }
            page += 1
        }
        let users = try await client.send(.listUsers, query: VentiaClient.pageQuery(0, 100), as: JSONValue.self).arrayValue?.compactMap(\.objectValue) ?? []
        return (sales, users)
    }

    /// `yyyy-MM-dd` of a sale's `date_sale` in Montevideo.
    static func localDay(_ sale: [String: JSONValue]) -> String? {
        guard let text = sale["date_sale"]?.stringValue else { return nil }
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        guard let date = parser.date(from: text) ?? plain.date(from: text) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    static func sellerName(_ sale: [String: JSONValue]) -> String {
        [sale["user"]?["name"]?.stringValue ?? "", sale["user"]?["lastname"]?.stringValue ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Totals, by status and by seller of the sales whose local day is in `from...to`.
    static func count(_ sales: [[String: JSONValue]], from: String, to: String) -> (total: Sums, byStatus: [String: Sums], byUser: [String: Sums]) {
        var total = Sums()
        var byStatus: [String: Sums] = [:]
        var byUser: [String: Sums] = [:]
        for sale in sales {
            guard let day = localDay(sale), day >= from, day <= to else { continue }
            let value = sale["value"]?.numberValue ?? 0
            let status = sale["status"]?.stringValue?.uppercased() ?? ""
            func add(_ sums: inout Sums) {
                sums.count += 1
                sums.value += value
                if status == "SOLD" { sums.sold += 1 }
                if status == "PENDING" { sums.pending += 1 }
                if status == "CANCELLED" { sums.cancelled += 1 }
            }
            add(&total)
            add(&byStatus[status, default: Sums()])
            add(&byUser[sellerName(sale), default: Sums()])
        }
        return (total, byStatus, byUser)
    }

    static func server(sales: Int = 400, rateLimit: Int = 1000) async throws -> VentiaLocalServer {
        try await VentiaLocalServer.start(
            ServerConfiguration(port: 0, seed: 7, contactCount: 60, saleCount: sales, rateLimit: rateLimit, clock: ManualClock(now)))
    }

    func session(_ server: VentiaLocalServer, mirror: ContactMirror? = nil, transport: RecordingTransport = RecordingTransport()) -> AppSession {
        let client = VentiaClient(
            configuration: VentiaConfiguration(baseURL: server.baseURL, apiKey: APIKey(DemoKeys.primaryAccount[0])), transport: transport, retryPolicy: .never)
        return AppSession(client: client, connection: ConnectionInfo(mode: .live, host: "test"), mirror: mirror, clock: ManualClock(Self.now))
    }

    @Test func theReviewAndTheCommandAgreeWithAnIndependentCount() async throws {
        let server = try await Self.server()
        let session = session(server)
        let (sales, users) = try await Self.serverJSON(session.client)
        let inPeriod = sales.filter { Self.localDay($0).map { $0 >= Self.period.from && $0 <= Self.period.to } ?? false }
        // The period holds each case the sums must get right.
        #expect(inPeriod.contains { $0["value"]?.numberValue == 0 }, "a free sale")
        #expect(inPeriod.contains { ($0["value"]?.numberValue ?? 0).rounded() != $0["value"]?.numberValue }, "a sale with cents")
        #expect(inPeriod.contains { $0["remove_from_goal"]?.boolValue == true }, "a sale kept out of goals")
        let listed = Set(users.map { "\($0["name"]?.stringValue ?? "") \($0["lastname"]?.stringValue ?? "")" })
        #expect(inPeriod.contains { !listed.contains(Self.sellerName($0)) }, "a seller who has left")
        #expect(inPeriod.contains { Self.localDay($0) != String(($0["date_sale"]?.stringValue ?? "").prefix(10)) }, "a sale whose local day is not its UTC day")
        #expect(Set(inPeriod.compactMap { Self.localDay($0)?.prefix(7) }).count == 2, "the period crosses a month's end")

        let expected = Self.count(sales, from: Self.period.from, to: Self.period.to)
        let expectedBefore = Self.count(sales, from: Self.previous.from, to: Self.previous.to)

        // The view model, reading through the app's session.
        session.loadUsers()
        await eventually("users") { session.usersState == .loaded }
        let review = SalesReviewViewModel(session: session, timeZone: Self.zone)
        let range = DayRange(try #require(LocalDay(Self.period.from)), try #require(LocalDay(Self.period.to)))
        review.show(.custom(range))
        await eventually("the review") { review.state == .loaded }
        let summary = try #require(review.summary)
        #expect(summary.previousRange?.description == "\(Self.previous.from) – \(Self.previous.to)")
        #expect(summary.totals.count == expected.total.count && abs(summary.totals.value - expected.total.value) < 0.005)
        #expect(summary.previous?.count == expectedBefore.total.count)
        #expect(abs((summary.previous?.value ?? -1) - expectedBefore.total.value) < 0.005)
        for status in summary.byStatus {
            let sums = try #require(expected.byStatus[status.status ?? ""])
            #expect(status.figures.count == sums.count && abs(status.figures.value - sums.value) < 0.005, "\(status.status ?? "—")")
        }
        #expect(summary.byStatus.count == expected.byStatus.count)
        #expect(summary.sellers.count == expected.byUser.count)
        for seller in summary.sellers {
            let sums = try #require(expected.byUser[seller.name])
            #expect(seller.figures.count == sums.count && seller.figures.sold == sums.sold && seller.figures.pending == sums.pending)
            #expect(seller.figures.cancelled == sums.cancelled && abs(seller.figures.value - sums.value) < 0.005, "\(seller.name)")
            #expect(seller.isInactive == !listed.contains(seller.name))
        }
        let offGoal = inPeriod.filter { $0["remove_from_goal"]?.boolValue == true }
        #expect(summary.totals.offGoal == offGoal.count)
        let soldTowardGoal = inPeriod.filter { $0["status"]?.stringValue == "SOLD" && $0["remove_from_goal"]?.boolValue != true }
        #expect(abs(summary.totals.soldTowardGoal - soldTowardGoal.reduce(0) { $0 + ($1["value"]?.numberValue ?? 0) }) < 0.005)

        // The command, as a script runs it.
        let port = try #require(server.baseURL.port)
        let cli = CommandLineTests()
        let run = try cli.ventia(["sales", "summary", "--from", Self.period.from, "--to", Self.period.to, "--json"], port: port, environment: ["TZ": "America/Montevideo"])
        #expect(run.status == 0, "\(run.errors)")
        let json = try #require(try run.json() as? [String: Any])
        #expect(json["from"] as? String == Self.period.from && json["to"] as? String == Self.period.to)
        let total = try #require(json["total"] as? [String: Any])
        #expect(total["count"] as? Int == expected.total.count)
        #expect(abs((total["value"] as? Double ?? -1) - expected.total.value) < 0.005)
        let byStatus = try #require(json["byStatus"] as? [[String: Any]])
        #expect(byStatus.count == expected.byStatus.count)
        for entry in byStatus {
            let sums = try #require(expected.byStatus[entry["status"] as? String ?? ""])
            #expect(entry["count"] as? Int == sums.count && abs((entry["value"] as? Double ?? -1) - sums.value) < 0.005)
        }
        let byUser = try #require(json["byUser"] as? [[String: Any]])
        #expect(byUser.count == expected.byUser.count)
        for entry in byUser {
            let name = try #require(entry["name"] as? String)
            let sums = try #require(expected.byUser[name])
            #expect(entry["count"] as? Int == sums.count && entry["sold"] as? Int == sums.sold)
            #expect(entry["pending"] as? Int == sums.pending && entry["cancelled"] as? Int == sums.cancelled)
            #expect(abs((entry["value"] as? Double ?? -1) - sums.value) < 0.005, "\(name)")
            let matches = users.filter { "\($0["name"]?.stringValue ?? "") \($0["lastname"]?.stringValue ?? "")" == name }
            #expect((entry["userId"] as? String) == (matches.count == 1 ? matches[0]["_id"]?.stringValue : nil), "\(name)")
        }
        let previous = try #require(json["previous"] as? [String: Any])
        #expect(previous["from"] as? String == Self.previous.from && previous["to"] as? String == Self.previous.to)
        #expect((previous["total"] as? [String: Any])?["count"] as? Int == expectedBefore.total.count)

        // CSV: the same numbers, plain.
        let csv = try cli.ventia(["sales", "summary", "--from", Self.period.from, "--to", Self.period.to, "--csv"], port: port, environment: ["TZ": "America/Montevideo"]).csv()
        #expect(csv.header == SalesSummaryReport.csvColumns)
        let totalRow = try #require(csv.rows.first { $0[0] == "total" })
        #expect(Int(totalRow[6]) == expected.total.count && abs((Double(totalRow[7]) ?? -1) - expected.total.value) < 0.005)
        #expect(csv.rows.filter { $0[0] == "user" }.count == expected.byUser.count)
        // Text: amounts as the locale writes them.
        let text = try cli.ventia(["sales", "summary", "--from", Self.period.from, "--to", Self.period.to], port: port, environment: ["TZ": "America/Montevideo", "LANG": "es_UY.UTF-8"])
        let written = MoneyFormat(locale: Locale(identifier: "es_UY")).string((expected.total.value * 100).rounded() / 100)
        #expect(written.contains(".") && text.output.split(separator: "\n").contains { $0.hasPrefix("Value") && $0.contains(written) }, "\(text.output)")
        try? FileManager.default.removeItem(at: cli.home)
        await server.stop()
    }

    @Test func aLongReadAsksFirstAndTheCopyServesTheNextOpening() async throws {
        let server = try await Self.server(sales: 2_300)
        let mirror = try ContactMirror.temporary()
        let transport = RecordingTransport()
        let first = session(server, mirror: mirror, transport: transport)
        let review = SalesReviewViewModel(session: first, timeZone: Self.zone)
        var asked: [Int] = []
        var proceed: (@MainActor () -> Void)?
        review.confirmCost = { requests, go in
            asked.append(requests)
            proceed = go
        }
        review.show(.all)
        await eventually("the question") { !asked.isEmpty }
        #expect(asked == [22], "23 pages of 100: the first is read, 22 are asked for")
        #expect(transport.recorded.count == 1)
        proceed?()
        await eventually("every page") { review.state == .loaded }
        #expect(transport.recorded.count == 23)
        #expect(transport.recorded.allSatisfy { $0.headers[RequestLane.headerName] == RequestLane.background.headerValue })
        #expect(review.summary?.totals.count == 2_300)

        // Another run: the copy answers at once, and says when it was read.
        let second = SalesReviewViewModel(session: session(server, mirror: mirror, transport: transport), timeZone: Self.zone)
        second.confirmCost = { _, _ in Issue.record("nothing to ask: the copy covers the period") }
        second.show(.lastMonth)
        second.open()
        #expect(second.summary?.totals.count ?? 0 > 0)
        #expect(second.copy?.fetchedAt == Self.now)
        #expect(transport.recorded.count == 23, "no request")
        await server.stop()
    }

    @Test func aDeclinedReadWaitsForCtrlRAndAWriteSaysTheFiguresMayBeOff() async throws {
        let server = try await Self.server(sales: 2_300)
        let transport = RecordingTransport()
        let session = session(server, transport: transport)
        let review = SalesReviewViewModel(session: session, timeZone: Self.zone)
        var asked = 0
        var proceed: (@MainActor () -> Void)?
        review.confirmCost = { _, go in
            asked += 1
            proceed = go
        }
        review.show(.all)
        await eventually("the question") { asked == 1 }
        #expect(review.state == .idle && review.summary == nil, "declined (never answered): nothing reads")
        review.refresh()
        await eventually("asked again") { asked == 2 }
        proceed?()
        await eventually("every page") { review.state == .loaded }
        #expect(!review.changedSinceRead)

        // A sale written through the sales list: the review says its figures may be off, ctrl-r reads again.
        session.loadUsers()
        await eventually("users") { session.usersState == .loaded }
        let sales = SalesListViewModel(session: session)
        sales.onWrite = { review.saleChanged() }
        let admin = AdminActions(session: session, sales: sales)
        let seller = try #require(session.users.first)
        _ = try await answered { admin.createSale(SaleInput(status: "sold", ticketId: "T-NEW", dateSale: SaleDay("2026-12-01"), phone: "+59899000222", user: seller.id), completion: $0) }.get()
        await eventually("told") { review.changedSinceRead }
        review.refresh()
        await eventually("asked for the read") { asked == 3 }
        proceed?()
        await eventually("read again") { review.state == .loaded && !review.changedSinceRead }
        #expect(review.summary?.totals.count == 2_301)
        await server.stop()
    }

    @Test func readingStopsWhenThePagesReachBeforeThePeriod() async throws {
        let server = try await Self.server(sales: 1_000)
        let transport = RecordingTransport()
        let review = SalesReviewViewModel(session: session(server, transport: transport), timeZone: Self.zone)
        review.show(.thisWeek)
        await eventually("the week") { review.state == .loaded }
        // The server lists the newest sale day first: this week and the last are on the first pages.
        #expect(transport.recorded.count < 10)
        #expect(review.copy?.coversFrom.map { $0 <= LocalDay("2026-11-23")! } == true)

        // A period reaching further back goes on from the last page read in full, not from the first.
        func pages() -> [Int] {
            transport.recorded.compactMap { request in
                URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "page" }?.value.flatMap(Int.init)
            }
        }
        let weekPages = pages()
        let held = review.copy?.sales.count ?? 0
        review.show(.lastMonth)
        await eventually("last month") { review.state == .loaded && review.summary?.previous != nil }
        let monthPages = Array(pages().dropFirst(weekPages.count))
        #expect(monthPages.first == held / 100, "one page of overlap: \(monthPages)")
        #expect(monthPages == Array(monthPages[0]..<(monthPages[0] + monthPages.count)))
        #expect(Set(review.copy?.sales.map(\.id) ?? []).count == review.copy?.sales.count, "no sale twice")
        let expected = Self.count(try await Self.serverJSON(session(server).client).sales, from: "2026-11-01", to: "2026-11-30")
        #expect(review.summary?.totals.count == expected.total.count)
        await server.stop()
    }
}
