import AsyncHTTPClient
import Foundation
import NIOCore
import PostgresTesting
import Testing
import VentiaAPI
import VentiaMirror
import VentiaServer
@testable import VentiaGateway

/// The team's copy of the account in PostgreSQL: kept current as ventia keeps its mirror, read
/// instead of upstream once caught up, and told to every agent through the change feed.
@Suite struct TeamCopyTests {
    /// Upstream's own answer to `path`, with the account's real key.
    func upstream(_ team: GatewayTeam, _ path: String) async throws -> GatewayHarness.Answer {
        try await GatewayHarness.get(team.upstream.baseURL, path, token: GatewayHarness.upstreamKey.secret)
    }

    /// A team whose copy is fresh for one second after a round, rounds only when a read asks.
    func teamFreshFor(oneSecond contacts: Int) async throws -> GatewayTeam {
        let url = try await GatewayHarness.database()
        let log = UpstreamLog()
        let server = try await GatewayHarness.upstream(contacts: contacts, log: log)
        var configuration = GatewayHarness.configuration(url, upstream: server.baseURL, cacheSeconds: 0, syncSeconds: 600)
        configuration.freshSeconds = 1
        return GatewayTeam(url: url, log: log, upstream: server, gateway: try await TeamGateway.start(configuration))
    }

    /// Waits (bounded) until the gateway answers `path` (the first page) from its copy.
    func servedFromCopy(_ team: GatewayTeam, token: String, path: String = "/contact?page=0&limit=100") async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if try await GatewayHarness.get(team.gateway.baseURL, path, token: token).header("Ventia-Cache") == "copy" { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the copy never caught up")
    }

    @Test func pagesFromTheCopyAreUpstreamsOwnBytes() async throws {
        let team = try await GatewayTeam.start(contacts: 250, cacheSeconds: 0, syncSeconds: 1)
        let ana = try await GatewayHarness.token("ana", in: team.url)
        try await servedFromCopy(team, token: ana, path: "/contact?page=2&limit=100")
        for path in ["/contact", "/contact?page=0&limit=100", "/contact?page=1&limit=100", "/contact?page=2&limit=100", "/contact?page=3&limit=7", "/contact?limit=13&page=4", "/contact?page=9"] {
            let fromCopy = try await GatewayHarness.get(team.gateway.baseURL, path, token: ana)
            let fromUpstream = try await upstream(team, path)
            #expect(fromCopy.header("Ventia-Cache") == "copy", "\(path) is answered from the copy")
            #expect(fromCopy.status == fromUpstream.status && fromCopy.body == fromUpstream.body, "\(path): the same bytes as upstream")
            #expect(fromCopy.header("Content-Type") == fromUpstream.header("Content-Type"))
        }
        // What the copy cannot say goes upstream: a limit out of range is upstream's 400.
        let refused = try await GatewayHarness.get(team.gateway.baseURL, "/contact?limit=500", token: ana)
        #expect(refused.status == 400 && refused.header("Ventia-Cache") != "copy")
        await team.stop()
    }

    @Test func agentsStartingTogetherPayForEachPageOnce() async throws {
        let team = try await GatewayTeam.start(contacts: 1000, cacheSeconds: 0, syncSeconds: 600)
        let second = try await TeamGateway.start(GatewayHarness.configuration(team.url, upstream: team.upstream.baseURL, cacheSeconds: 0, syncSeconds: 600))
        var tokens: [String] = []
        for name in ["ana", "bruno", "carla", "dora"] { tokens.append(try await GatewayHarness.token(name, in: team.url)) }
        // Each walks every page as ventia's first start does, newest first, until a short page;
        // half of them through the other replica.
        try await withThrowingTaskGroup(of: Int.self) { group in
            for (index, token) in tokens.enumerated() {
                let gateway = index % 2 == 0 ? team.gateway : second
                group.addTask {
                    var page = 0
                    var held = 0
                    while true {
                        let answer = try await GatewayHarness.get(gateway.baseURL, "/contact?page=\(page)&limit=100", token: token, lane: "background")
                        guard answer.status == 200 else { continue }
                        let count = (try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [Any])?.count ?? 0
                        held += count
                        if count < 100 { return held }
                        page += 1
                    }
                }
            }
            for try await held in group { #expect(held == 1000) }
        }
        let pages = team.log.all.filter { $0.path.hasSuffix("/contact") }.count
        // Alone, each agent pays 11 pages (the last one empty); the team pays about that once.
        #expect(pages <= 14, "\(pages) pages upstream for four agents on two replicas")
        await second.stop()
        await team.stop()
    }

    @Test func theCopysSearchFindsWhatTheMirrorsFinds() async throws {
        let team = try await GatewayTeam.start(contacts: 300, cacheSeconds: 0, syncSeconds: 600)
        let ana = try await GatewayHarness.token("ana", in: team.url)
        try await servedFromCopy(team, token: ana, path: "/contact?page=2&limit=100")
        // A mirror holding the same contacts, searched as ventia searches it.
        let mirror = try ContactMirror.temporary()
        var all: [Contact] = []
        for page in 0..<3 {
            all += try VentiaJSON.decoder().decode([Contact].self, from: Data(try await upstream(team, "/contact?page=\(page)&limit=100").body.utf8))
        }
        _ = try mirror.save(all, fetchedAt: Date())
        let phone = try #require(all.first { !$0.phones.isEmpty }?.phones.first)
        let spaced = String(phone.filter(\.isNumber).suffix(8)).enumerated().map { $0.offset == 3 ? " \($0.element)" : String($0.element) }.joined()
        for typed in ["olivera", "MARTÍN", "mart oliv", "gmail", spaced, phone, "nadie-se-llama-asi", "josé"] {
            let answer = try await GatewayHarness.get(team.gateway.baseURL, "/_ventia/search?q=\(typed.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&limit=100", token: ana)
            #expect(answer.status == 200)
            let found = try VentiaJSON.decoder().decode(TeamSearchAnswer.self, from: Data(answer.body.utf8))
            let local = try mirror.search(typed, limit: 100)
            #expect(found.matched == local.matched, "\(typed): \(found.matched) in the copy, \(local.matched) in the mirror")
            #expect(Set(found.contacts.map(\.id)) == Set(local.contacts.map(\.id)), "\(typed): the same contacts")
            #expect(found.held == 300)
        }
        #expect(try await GatewayHarness.get(team.gateway.baseURL, "/_ventia/search?q=", token: ana).status == 400)
        await team.stop()
    }

    @Test func aPageTheCopyHoldsButIsTooOldForCostsOneSharedRoundNotThePage() async throws {
        let team = try await teamFreshFor(oneSecond: 250)
        let (log, gateway) = (team.log, team.gateway)
        let ana = try await GatewayHarness.token("ana", in: team.url)
        try await servedFromCopy(team, token: ana, path: "/contact?page=2&limit=100")
        try await Task.sleep(for: .seconds(1.5))  // the copy is now older than --fresh-seconds
        let before = log.all.count
        async let first = GatewayHarness.get(gateway.baseURL, "/contact?page=1&limit=100", token: ana)
        async let second = GatewayHarness.get(gateway.baseURL, "/contact?page=2&limit=100", token: ana)
        let answers = try await [first, second]
        #expect(answers.allSatisfy { $0.header("Ventia-Cache") == "copy" })
        let asked = log.all.dropFirst(before).map(\.path)
        #expect(asked == ["/api/v1.0/contact"], "one round's page 0, for both readers: \(asked)")
        await team.stop()
    }

    @Test func aContactsOwnAnswerComesFromTheCopyWhileItIsTheListedVersion() async throws {
        let team = try await GatewayTeam.start(contacts: 40, cacheSeconds: 0, syncSeconds: 1)
        let ana = try await GatewayHarness.token("ana", in: team.url)
        try await servedFromCopy(team, token: ana)
        let contacts = try VentiaJSON.decoder().decode([Contact].self, from: Data(try await upstream(team, "/contact?page=0&limit=40").body.utf8))
        let id = try #require(contacts.last?.id)
        let first = try await GatewayHarness.get(team.gateway.baseURL, "/contact/\(id)", token: ana)
        #expect(first.header("Ventia-Cache") == "fetched")
        let second = try await GatewayHarness.get(team.gateway.baseURL, "/contact/\(id)", token: ana)
        let own = try await upstream(team, "/contact/\(id)")
        #expect(second.header("Ventia-Cache") == "copy" && second.body == own.body, "upstream's own answer, its own shape")
        // A note changes the contact: until a read brings its new answer, it is asked upstream.
        _ = try await GatewayHarness.send("POST", team.gateway.baseURL, "/contact/\(id)/note", token: ana, body: "{\"body\":\"otra\"}")
        try await servedFromCopy(team, token: ana)
        let after = try await GatewayHarness.get(team.gateway.baseURL, "/contact/\(id)", token: ana)
        let changed = try await upstream(team, "/contact/\(id)")
        #expect(after.header("Ventia-Cache") == "fetched" && after.body == changed.body && changed.body != own.body)
        let again = try await GatewayHarness.get(team.gateway.baseURL, "/contact/\(id)", token: ana)
        #expect(again.header("Ventia-Cache") == "copy" && again.body == changed.body)

        // Its timeline likewise: kept at the version it was read at, served while that is listed.
        let timeline = "/contact/\(id)/interactions?page=0&limit=100"
        #expect(try await GatewayHarness.get(team.gateway.baseURL, timeline, token: ana).header("Ventia-Cache") == "fetched")
        let keptTimeline = try await GatewayHarness.get(team.gateway.baseURL, timeline, token: ana)
        let upstreamTimeline = try await upstream(team, timeline)
        #expect(keptTimeline.header("Ventia-Cache") == "copy" && keptTimeline.body == upstreamTimeline.body)
        _ = try await GatewayHarness.send("POST", team.gateway.baseURL, "/contact/\(id)/note", token: ana, body: "{\"body\":\"y otra\"}")
        try await servedFromCopy(team, token: ana)
        let newer = try await GatewayHarness.get(team.gateway.baseURL, timeline, token: ana)
        #expect(newer.header("Ventia-Cache") == "fetched" && newer.body.contains("y otra"))

        // Users for --fresh-seconds, and not after a write to them.
        #expect(try await GatewayHarness.get(team.gateway.baseURL, "/user", token: ana).header("Ventia-Cache") == "fetched")
        let users = try await GatewayHarness.get(team.gateway.baseURL, "/user", token: ana)
        let upstreamUsers = try await upstream(team, "/user")
        #expect(users.header("Ventia-Cache") == "copy" && users.body == upstreamUsers.body)
        let someone = try #require((try JSONSerialization.jsonObject(with: Data(users.body.utf8)) as? [[String: Any]])?.first?["_id"] as? String)
        let patched = try await GatewayHarness.send("PATCH", team.gateway.baseURL, "/user/\(someone)", token: ana, body: "{\"lastname\":\"Otro\"}")
        #expect(patched.status == 200)
        let afterPatch = try await GatewayHarness.get(team.gateway.baseURL, "/user", token: ana)
        #expect(afterPatch.header("Ventia-Cache") == "fetched" && afterPatch.body.contains("Otro"))

        // Sales pages seen, likewise; a change to a sale drops them.
        #expect(try await GatewayHarness.get(team.gateway.baseURL, "/sale?page=1&limit=50", token: ana).header("Ventia-Cache") == "fetched")
        let sales = try await GatewayHarness.get(team.gateway.baseURL, "/sale?page=1&limit=50", token: ana)
        let upstreamSales = try await upstream(team, "/sale?page=1&limit=50")
        #expect(sales.header("Ventia-Cache") == "copy" && sales.body == upstreamSales.body)
        let sale = try #require(((try JSONSerialization.jsonObject(with: Data(sales.body.utf8)) as? [String: Any])?["data"] as? [[String: Any]])?
            .first { ($0["lock"] as? Bool) != true }?["_id"] as? String)
        let changedSale = try await GatewayHarness.send("PATCH", team.gateway.baseURL, "/sale/\(sale)", token: ana, body: "{\"status\":\"CANCELLED\"}")
        #expect(changedSale.status == 200)
        #expect(try await GatewayHarness.get(team.gateway.baseURL, "/sale?page=1&limit=50", token: ana).header("Ventia-Cache") == "fetched")
        await team.stop()
    }

    @Test func aCopyThatCannotBeKeptCurrentIsNotServedAsFresh() async throws {
        let team = try await teamFreshFor(oneSecond: 40)
        let (server, gateway) = (team.upstream, team.gateway)
        let ana = try await GatewayHarness.token("ana", in: team.url)
        try await servedFromCopy(team, token: ana)
        await server.stop()
        try await Task.sleep(for: .seconds(1.5))
        // Its round cannot reach upstream: the read is upstream's failure, not a stale page.
        let answer = try await GatewayHarness.get(gateway.baseURL, "/contact?page=0&limit=100", token: ana)
        #expect(answer.status == 502 && answer.header("Ventia-Cache") != "copy")
        await gateway.stop()
    }

    @Test func anUnchangedAccountCostsOneRequestARound() async throws {
        let url = try await GatewayHarness.database()
        let log = UpstreamLog()
        let server = try await GatewayHarness.upstream(contacts: 250, log: log)
        let database = try await GatewayHarness.open(url)
        // The copy is the account's: its id is the ledger's.
        let ledger = try await BudgetLedger.open(database, account: "default", limit: 200, reserve: 0, window: 60, shift: LedgerTimeShift())
        let sync = CopySync(copy: try await TeamCopy.open(database, accountID: ledger.accountID), interval: 10, logger: GatewayHarness.quiet)
        let pages = PageCounter()
        let fetch: CopySync.Fetch = { page, limit, _ in
            pages.note(page)
            let answer = try? await GatewayHarness.get(server.baseURL, "/contact?page=\(page)&limit=\(limit)", token: GatewayHarness.upstreamKey.secret)
            return GatewayAnswer(status: answer?.status ?? 502, headers: [:], body: Data((answer?.body ?? "").utf8))
        }
        #expect(try await sync.round(fetch), "the first round: one page, the rest is the backfill's")
        while try await sync.backfillStep(fetch) {}
        #expect(pages.all == [0, 1, 2])
        #expect(try await sync.copy.count() == 250)
        #expect(try await sync.round(fetch))
        #expect(pages.all == [0, 1, 2, 0], "nothing changed: one request")
        database.close()
        await server.stop()
    }

    @Test func aWriteIsInTheFeedAtOnceAndTheCopyShowsItAfterTheNextRound() async throws {
        let team = try await GatewayTeam.start(contacts: 120, cacheSeconds: 0, syncSeconds: 1)
        let ana = try await GatewayHarness.token("ana", in: team.url)
        let bruno = try await GatewayHarness.token("bruno", in: team.url)
        try await servedFromCopy(team, token: ana)
        let start = try await GatewayHarness.get(team.gateway.baseURL, "/_ventia/changes?since=0", token: bruno)
        let cursor = try #require(try json(start.body)["cursor"] as? String)

        let contacts = try #require(try JSONSerialization.jsonObject(with: Data(try await upstream(team, "/contact?page=1&limit=1").body.utf8)) as? [[String: Any]])
        let contactId = try #require(contacts.first?["_id"] as? String)
        let users = try #require(try JSONSerialization.jsonObject(with: Data(try await upstream(team, "/user").body.utf8)) as? [[String: Any]])
        let target = try #require(users.first { ($0["_id"] as? String) != (contacts.first?["agent"] as? String) }?["_id"] as? String)

        // Bruno waits on the feed; Ana transfers the contact.
        async let waited = GatewayHarness.get(team.gateway.baseURL, "/_ventia/changes?since=\(cursor)&wait=20", token: bruno)
        try await Task.sleep(for: .milliseconds(200))
        let transfer = try await GatewayHarness.send("POST", team.gateway.baseURL, "/contact/\(contactId)/transfer", token: ana, body: "{\"to\":\"\(target)\"}")
        #expect(transfer.status == 200)
        // The wait ends with the first change: under load a sync round's may come before the transfer.
        var feed = try json(try await waited.body)
        var transferred = (feed["changes"] as? [[String: Any]])?.first { $0["kind"] as? String == "transfer" }
        let transferDeadline = ContinuousClock.now + .seconds(20)
        while transferred == nil, ContinuousClock.now < transferDeadline {
            let after = feed["cursor"] as? String ?? cursor
            feed = try json(try await GatewayHarness.get(team.gateway.baseURL, "/_ventia/changes?since=\(after)&wait=5", token: bruno).body)
            transferred = (feed["changes"] as? [[String: Any]])?.first { $0["kind"] as? String == "transfer" }
        }
        let first = try #require(transferred)
        #expect(first["by"] as? String == "ana" && first["contactId"] as? String == contactId)
        #expect(((first["detail"] as? [String: Any])?["request"] as? [String: Any])?["to"] as? String == target)

        // The next round reads the contact back: a `contact` change with its list answer, and the copy serves it.
        let deadline = ContinuousClock.now + .seconds(20)
        var seen = (feed["changes"] as? [[String: Any]])?.first {
            $0["kind"] as? String == "contact" && $0["contactId"] as? String == contactId
                && ((($0["detail"] as? [String: Any])?["contact"] as? [String: Any])?["agent"] as? String) == target
        }
        var since = feed["cursor"] as? String ?? cursor
        while seen == nil, ContinuousClock.now < deadline {
            let next = try json(try await GatewayHarness.get(team.gateway.baseURL, "/_ventia/changes?since=\(since)&wait=5", token: bruno).body)
            since = next["cursor"] as? String ?? since
            seen = (next["changes"] as? [[String: Any]])?.first { $0["kind"] as? String == "contact" && $0["contactId"] as? String == contactId }
        }
        let contact = try #require((seen?["detail"] as? [String: Any])?["contact"] as? [String: Any])
        #expect(contact["agent"] as? String == target && seen?["by"] as? String == "sync")
        try await servedFromCopy(team, token: ana)
        let page = try await GatewayHarness.get(team.gateway.baseURL, "/contact?page=0&limit=100", token: ana)
        #expect(page.body == (try await upstream(team, "/contact?page=0&limit=100")).body, "the copy is upstream's state again")
        await team.stop()
    }

    @Test func aWriteStraightToUpstreamIsBroughtByTheNextRoundAndAnnounced() async throws {
        let team = try await GatewayTeam.start(contacts: 40, cacheSeconds: 0, syncSeconds: 1)
        let ana = try await GatewayHarness.token("ana", in: team.url)
        try await servedFromCopy(team, token: ana)
        let cursor = try #require(try json(try await GatewayHarness.get(team.gateway.baseURL, "/_ventia/changes?since=now", token: ana).body)["cursor"] as? String)
        // Someone at the Ventia web app: the gateway never sees the write itself.
        let contacts = try #require(try JSONSerialization.jsonObject(with: Data(try await upstream(team, "/contact?page=0&limit=40").body.utf8)) as? [[String: Any]])
        let contactId = try #require(contacts.last?["_id"] as? String)
        let note = try await GatewayHarness.send(
            "POST", team.upstream.baseURL, "/contact/\(contactId)/note", token: GatewayHarness.upstreamKey.secret, body: "{\"body\":\"desde la web\"}")
        #expect(note.status == 200)
        let next = try json(try await GatewayHarness.get(team.gateway.baseURL, "/_ventia/changes?since=\(cursor)&wait=10", token: ana).body)
        let change = try #require((next["changes"] as? [[String: Any]])?.first)
        #expect(change["kind"] as? String == "contact" && change["contactId"] as? String == contactId && change["by"] as? String == "sync")
        try await servedFromCopy(team, token: ana)
        let page = try await GatewayHarness.get(team.gateway.baseURL, "/contact?page=0&limit=40", token: ana)
        #expect(page.body == (try await upstream(team, "/contact?page=0&limit=40")).body)
        await team.stop()
    }

    @Test func theFeedResumesFromItsCursorStreamsEventsAndSaysResetWhenTooOld() async throws {
        let team = try await GatewayTeam.start(contacts: 30, cacheSeconds: 0, syncSeconds: 60)
        let ana = try await GatewayHarness.token("ana", in: team.url)
        try await servedFromCopy(team, token: ana)
        let all = try json(try await GatewayHarness.get(team.gateway.baseURL, "/_ventia/changes?since=0", token: ana).body)
        let changes = try #require(all["changes"] as? [[String: Any]])
        #expect(changes.count == 30, "the first sync: one change a contact")
        let seqs = changes.compactMap { $0["seq"] as? Int }
        #expect(seqs == seqs.sorted() && Set(seqs).count == 30)
        let middle = seqs[14]
        let rest = try json(try await GatewayHarness.get(team.gateway.baseURL, "/_ventia/changes?since=\(middle)", token: ana).body)
        #expect((rest["changes"] as? [[String: Any]])?.compactMap { $0["seq"] as? Int } == Array(seqs[15...]), "neither lost nor repeated")

        // The same from the event stream: ids are the cursors.
        var request = HTTPClientRequest(url: team.gateway.baseURL.absoluteString + "/_ventia/changes?since=\(middle)&api-key=\(ana)")
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response = try await GatewayHarness.http.execute(request, timeout: .seconds(30))
        #expect(response.headers.first(name: "Content-Type") == "text/event-stream")
        var text = ""
        for try await buffer in response.body {
            text += String(buffer: buffer)
            if text.components(separatedBy: "event: change").count - 1 >= 15 { break }
        }
        let ids = text.split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { Int($0.dropFirst(4)) }
        #expect(ids == Array(seqs[15...]))

        // A cursor older than the log keeps: reset, and the agent walks its delta instead.
        try await GatewayHarness.psql("DELETE FROM gateway_changes WHERE seq <= \(seqs[20])", in: team.url)
        let old = try json(try await GatewayHarness.get(team.gateway.baseURL, "/_ventia/changes?since=\(seqs[2])", token: ana).body)
        #expect(old["reset"] as? Bool == true && (old["changes"] as? [Any])?.isEmpty == true)
        let capabilities = try json(try await GatewayHarness.get(team.gateway.baseURL, "/_ventia/capabilities", token: ana).body)
        #expect(capabilities["changes"] as? Bool == true && capabilities["copy"] as? Bool == true && capabilities["agent"] as? String == "ana")
        #expect(try await GatewayHarness.get(team.gateway.baseURL, "/_ventia/capabilities", token: nil).status == 401)
        await team.stop()
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

/// The pages a sync asked for, in order.
final class PageCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var pages: [Int] = []
    func note(_ page: Int) { lock.withLock { pages.append(page) } }
    var all: [Int] { lock.withLock { pages } }
}
