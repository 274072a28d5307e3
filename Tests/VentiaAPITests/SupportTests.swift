import Foundation
import Testing
@testable import VentiaAPI

@Suite struct DateAndKeyTests {
    @Test func parsesTheDateFormsTheAPIUses() throws {
        let precise = try #require(VentiaDate.parse("2023-05-23T19:21:17.107Z"))
        #expect(VentiaDate.format(precise) == "2023-05-23T19:21:17.107Z")
        #expect(VentiaDate.parse("2024-01-01T12:00:00Z").map(VentiaDate.format) == "2024-01-01T12:00:00.000Z")
        #expect(VentiaDate.parse("2024-01-01T09:00:00-03:00").map(VentiaDate.format) == "2024-01-01T12:00:00.000Z")
        #expect(VentiaDate.parse("2024/02/24").map(VentiaDate.formatDay) == "2024-02-24")
        #expect(VentiaDate.parseDateTime("2024-02-24") == nil)
        #expect(VentiaDate.parseDay("2024-02-30") == nil)
        #expect(VentiaDate.parse("2024-01-01T12:00:00") == nil)
        #expect(VentiaDate.parse("not a date") == nil)
        #expect(VentiaDate.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(VentiaDate.parseDay("2024-02-29").map(VentiaDate.formatDay) == "2024-02-29")
        // Only ASCII digits are digits; other scripts' digits and stray marks are not a date.
        #expect(VentiaDate.parse("２０２４-01-01T12:00:00Z") == nil)
        #expect(VentiaDate.parse("2024-0١-01") == nil)
        #expect(VentiaDate.parse("2024-01-01T12:00:00Z\u{301}") == nil)
        #expect(VentiaDate.parse("2024-01-01T12:00:00.5+05:30").map(VentiaDate.format) == "2024-01-01T06:30:00.500Z")
        #expect(VentiaDate.parse("2024-01-01t12:00:00z").map(VentiaDate.format) == "2024-01-01T12:00:00.000Z")
    }

    @Test func keysAreCheckedAndNeverPrinted() {
        #expect(APIKey.isWellFormed("AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD"))
        #expect(!APIKey.isWellFormed("AAAAAAA-BBBBBBB-CCCCCCC"))
        #expect(!APIKey.isWellFormed("AAAAAA!-BBBBBBB-CCCCCCC-DDDDDDD"))
        #expect(APIKey.isWellFormed("demo0a1-ventia0-local00-key0001"))
        for malformed in [
            "ÁAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD", "AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDDD", "AAAAAAA--BBBBBB-CCCCCCC-DDDDDDD",
            "AAAAAAA BBBBBBB CCCCCCC DDDDDDD", "AAAAAAA-BBBBBBB-CCCCCCC-DDDDDD-", "",
        ] {
            #expect(!APIKey.isWellFormed(malformed), "\(malformed)")
        }
        let key = APIKey("SECRET1-SECRET2-SECRET3-SECRET4")
        #expect(!"\(key)".contains("SECRET1"))
        #expect(!String(reflecting: key).contains("SECRET1"))
        #expect(key.redact("echo SECRET1-SECRET2-SECRET3-SECRET4!") == "echo [api-key]!")
    }

    @Test func excerptsAreShortAndClean() {
        let html = "<html><head><style>body{}</style></head><body><h1>502 Bad Gateway</h1>\u{1B}[2J nginx</body></html>"
        let excerpt = ErrorExcerpt.make(from: Data(html.utf8), key: nil)
        #expect(excerpt == "502 Bad Gateway [2J nginx")
        #expect(ErrorExcerpt.make(from: String(repeating: "x", count: 500), key: nil).count == 120)
    }

    @Test func everyEndpointHasOneRoute() {
        #expect(Endpoint.allCases.count == 28)
        let routes = Set(Endpoint.allCases.map(\.description))
        #expect(routes.count == 28)
        #expect(Endpoint.sendWhatsAppMessage.path(["ch 1", "c/2"]) == "/whatsapp/ch%201/c%2F2/message")
    }

    @Test func pageCursorsFollowBothConventions() {
        var crm = CRMPageCursor(limit: 500)
        #expect(crm.limit == 100)
        crm.advance(receivedCount: 100)
        #expect(!crm.reachedEnd && crm.nextPage == 1)
        crm.advance(receivedCount: 3)
        #expect(crm.reachedEnd)
        var repeating = CRMPageCursor(limit: 2)
        repeating.advance(receivedCount: 2, freshCount: 2)
        #expect(!repeating.reachedEnd)
        repeating.advance(receivedCount: 2, freshCount: 0)
        #expect(repeating.reachedEnd, "a full page of nothing new ends the list")
        #expect(["a", "b", "b", "c"].unseen(by: { $0 }, known: ["a"]) == ["b", "c"])
        var sales = SalesPageCursor(limit: 0)
        #expect(sales.limit == 1 && sales.page == 1)
        sales.record(SalesPagination(totalItems: 5, totalPages: 5, currentPage: 1))
        sales.go(to: 9)
        #expect(sales.page == 5 && !sales.hasNextPage)
        sales.goToPreviousPage()
        #expect(sales.page == 4)
    }
}

@Suite struct RateBudgetTests {
    @Test func countsARollingWindow() {
        let clock = ManualClock()
        let budget = RateBudget(limit: 3, window: 60, clock: clock)
        #expect(budget.snapshot().statusText == "API 3/3")
        let first = budget.recordSend()
        budget.recordAnswer(sentAt: first, status: 200, headers: [:])
        clock.advance(by: 10)
        _ = budget.recordSend()
        _ = budget.recordSend()
        #expect(budget.snapshot().remaining == 0)
        #expect(budget.waitBeforeSending() == 50)
        #expect(budget.snapshot().statusText == "API 0/3 · 50s")
        clock.advance(by: 50.5)
        #expect(budget.snapshot().remaining == 1)
        #expect(budget.waitBeforeSending() == nil)
    }

    @Test func unauthorizedAndRefusedRequestsDoNotCount() {
        let clock = ManualClock()
        let budget = RateBudget(limit: 5, clock: clock)
        let sent = budget.recordSend()
        budget.recordAnswer(sentAt: sent, status: 401, headers: [:])
        #expect(budget.snapshot().remaining == 5)
        let throttled = budget.recordSend()
        budget.recordAnswer(sentAt: throttled, status: 429, headers: ["retry-after": "17"])
        let snapshot = budget.snapshot()
        #expect(snapshot.isThrottled && snapshot.remaining == 0 && snapshot.secondsUntilSlot == 17)
        clock.advance(by: 17)
        #expect(!budget.snapshot().isThrottled)
        #expect(budget.snapshot().remaining == 5)
    }

    @Test func whatATeamGatewayAnsweredWithoutGoingUpstreamDoesNotCount() {
        let budget = RateBudget(limit: 5, clock: ManualClock())
        for cache in ["copy", "cached"] {
            budget.recordAnswer(sentAt: budget.recordSend(), status: 200, headers: ["ventia-cache": cache])
        }
        #expect(budget.snapshot().remaining == 5, "a first start filling from the team's copy is not paced by the API's limit")
        budget.recordAnswer(sentAt: budget.recordSend(), status: 200, headers: ["ventia-cache": "fetched"])
        budget.recordAnswer(sentAt: budget.recordSend(), status: 200, headers: ["ventia-cache": "joined"])
        #expect(budget.snapshot().remaining == 3, "what went upstream (or waited on a request that did) counts")
    }

    /// Requests earlier in the window do not stretch the server's Retry-After: the wait is the server's.
    @Test func aRefusalWaitsForRetryAfterNotForTheOldestRequest() {
        let clock = ManualClock()
        let budget = RateBudget(clock: clock)
        for _ in 0..<3 { budget.recordAnswer(sentAt: budget.recordSend(), status: 200, headers: [:]) }
        clock.advance(by: 5)
        budget.recordAnswer(sentAt: budget.recordSend(), status: 429, headers: ["retry-after": "17"])
        #expect(budget.snapshot().secondsUntilSlot == 17)
        #expect(budget.waitBeforeSending() == 17)
        #expect(budget.snapshot().statusText == "API 0/200 · 17s", "3 of a believed 200: others spent the window, nothing is learned")
        clock.advance(by: 17)
        #expect(budget.waitBeforeSending() == nil)
    }

    @Test func afterRetryAfterOneRequestMayGoEvenWhenTheLearnedLimitIsStillSpent() {
        let clock = ManualClock()
        let budget = RateBudget(clock: clock)
        for _ in 0..<30 { budget.recordAnswer(sentAt: budget.recordSend(), status: 200, headers: [:]) }
        clock.advance(by: 5)
        budget.recordAnswer(sentAt: budget.recordSend(), status: 429, headers: ["retry-after": "17"])
        #expect(budget.snapshot().statusText == "API 0/30 learned · 17s", "no rate headers: the 30 counted requests were the limit")
        clock.advance(by: 17)
        #expect(budget.waitBeforeSending() == nil, "Retry-After passed: one may go although 30 are still in the window")
        _ = budget.recordSend()
        #expect(budget.waitBeforeSending() == 38, "then the learned limit paces the rest")
    }

    @Test func aRefusalWithoutRateHeadersTeachesTheLimitAndHeadersOverruleIt() {
        let clock = ManualClock()
        let budget = RateBudget(clock: clock)
        for _ in 0..<20 { budget.recordAnswer(sentAt: budget.recordSend(), status: 200, headers: [:]) }
        #expect(budget.snapshot().learnedLimit == nil)
        budget.recordAnswer(sentAt: budget.recordSend(), status: 429, headers: ["retry-after": "40"])
        #expect(budget.snapshot().learnedLimit == 20)
        #expect(budget.snapshot().limit == 20)
        clock.advance(by: 61)
        #expect(budget.snapshot().statusText == "API 20/20 learned")
        budget.recordAnswer(sentAt: budget.recordSend(), status: 200, headers: ["x-ratelimit-limit": "50", "x-ratelimit-remaining": "49"])
        #expect(budget.snapshot().learnedLimit == nil)
        #expect(budget.snapshot().limit == 50)
        let another = RateBudget(clock: clock)
        another.recordAnswer(sentAt: another.recordSend(), status: 429, headers: ["retry-after": "5", "x-ratelimit-limit": "200", "x-ratelimit-remaining": "0"])
        #expect(another.snapshot().learnedLimit == nil, "a 429 with rate headers teaches nothing new")
        budget.recordAnswer(sentAt: budget.recordSend(), status: 429, headers: ["retry-after": "5"])
        #expect(budget.snapshot().learnedLimit == nil && budget.snapshot().limit == 50, "this server sends headers: a bare 429 teaches nothing")
        let restarted = RateBudget(clock: clock)
        restarted.adopt(learnedLimit: 20)
        restarted.recordAnswer(sentAt: restarted.recordSend(), status: 429, headers: ["retry-after": "30"])
        #expect(restarted.snapshot().learnedLimit == 20, "one request refused at once: an earlier run spent the window, the limit stands")
        clock.advance(by: 61)
        for _ in 0..<11 { restarted.recordAnswer(sentAt: restarted.recordSend(), status: 200, headers: [:]) }
        restarted.recordAnswer(sentAt: restarted.recordSend(), status: 429, headers: ["retry-after": "30"])
        #expect(restarted.snapshot().learnedLimit == 20, "refused after 11: colleagues spent the rest; the limit learned stands")
        let adopted = RateBudget(clock: clock)
        adopted.adopt(learnedLimit: 20)
        #expect(adopted.snapshot().statusText == "API 20/20 learned")
        #expect(adopted.snapshot().learnedLimit == 20)
    }

    @Test func adoptsServerHeaders() {
        let clock = ManualClock()
        let budget = RateBudget(clock: clock)
        let sent = budget.recordSend()
        let reset = clock.now().addingTimeInterval(40).timeIntervalSince1970
        budget.recordAnswer(
            sentAt: sent, status: 200,
            headers: ["x-ratelimit-limit": "200", "x-ratelimit-remaining": "12", "x-ratelimit-reset": String(Int(reset))])
        #expect(budget.snapshot().remaining == 12)
        _ = budget.recordSend()
        #expect(budget.snapshot().remaining == 11)
        clock.advance(by: 41)
        #expect(budget.snapshot().remaining == 198)
    }

    @Test func observersHearEveryChange() async {
        let budget = RateBudget(limit: 10, clock: ManualClock())
        let seen = Locked<[Int]>([])
        let observation = budget.observe(on: testQueue) { snapshot in seen.withLock { $0.append(snapshot.remaining) } }
        _ = budget.recordSend()
        _ = budget.recordSend()
        await withCheckedContinuation { continuation in testQueue.async { continuation.resume() } }
        #expect(seen.withLock { $0 } == [10, 9, 8])
        observation.cancel()
        _ = budget.recordSend()
        await withCheckedContinuation { continuation in testQueue.async { continuation.resume() } }
        #expect(seen.withLock { $0 }.count == 3)
    }
}

/// Dates are written digit by digit for speed; they must read as `%04d-%02d-%02dT…` always did.
@Suite struct DateWritingTests {
    @Test func writesWhatPrintfWrote() {
        var generator = SystemRandomNumberGenerator()
        let edges: [Double] = [0, -1, -0.0005, 0.0005, 1_700_000_000.9995, -62_135_596_800, 253_402_300_799.999, -100_000_000_000]
        let samples = edges + (0..<3000).map { _ in Double.random(in: -80_000_000_000...300_000_000_000, using: &generator) }
        for seconds in samples {
            let date = Date(timeIntervalSince1970: seconds)
            let fields = VentiaDate.utcFields(date)
            let printf = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second,
                fields.millisecond)
            #expect(VentiaDate.format(date) == printf, "\(seconds)")
            #expect(VentiaDate.formatDay(date) == String(format: "%04d-%02d-%02d", fields.year, fields.month, fields.day), "\(seconds)")
            if VentiaDate.format(date) != printf { break }
        }
    }
}
