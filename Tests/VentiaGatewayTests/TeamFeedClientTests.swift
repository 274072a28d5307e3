import Foundation
import Testing
import VentiaAPI
import VentiaCore
import VentiaMirror
import VentiaServer
import VentiaViewModels
@testable import VentiaGateway

/// ventia behind a gateway: it finds the feed by itself, and a colleague's write reaches its list,
/// its open timeline and, when it concerns this agent, its status line.
@Suite(.serialized) @MainActor struct TeamFeedClientTests {
    struct Agent {
        let session: AppSession
        let list: ContactListViewModel
        let timeline: TimelineViewModel
    }

    func agent(_ token: String, at gateway: TeamGateway) throws -> Agent {
        let client = VentiaClient(configuration: VentiaConfiguration(baseURL: gateway.baseURL, apiKey: APIKey(token)), retryPolicy: .never)
        let session = AppSession(client: client, connection: ConnectionInfo(mode: .live, host: "gateway"), mirror: try ContactMirror.temporary())
        return Agent(session: session, list: ContactListViewModel(session: session), timeline: TimelineViewModel(session: session))
    }

    /// Polls `condition` on the main actor every 20 ms, for at most `seconds`.
    func within(_ seconds: Double, _ what: String, _ condition: @MainActor () -> Bool) async {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("not within \(seconds) s: \(what)")
                return
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func aColleaguesTransferReachesTheListTheTimelineAndTheAgentItConcerns() async throws {
        let team = try await GatewayTeam.start(contacts: 80, cacheSeconds: 0, syncSeconds: 1)
        let users = try #require(try JSONSerialization.jsonObject(with: Data(try await GatewayHarness.get(
            team.upstream.baseURL, "/user", token: GatewayHarness.upstreamKey.secret).body.utf8)) as? [[String: Any]])
        let contacts = try #require(try JSONSerialization.jsonObject(with: Data(try await GatewayHarness.get(
            team.upstream.baseURL, "/contact?page=0&limit=100", token: GatewayHarness.upstreamKey.secret).body.utf8)) as? [[String: Any]])
        let contact = try #require(contacts.last)
        let contactId = try #require(contact["_id"] as? String)
        let target = try #require(users.first { ($0["_id"] as? String) != (contact["agent"] as? String) })
        let targetId = try #require(target["_id"] as? String)
        // Bruno's token names him as the account knows him (his email): ventia finds who he is.
        let bruno = try agent(try await GatewayHarness.token(try #require(target["email"] as? String), in: team.url), at: team.gateway)
        let ana = try agent(try await GatewayHarness.token("ana", in: team.url), at: team.gateway)

        bruno.session.loadDirectory()
        bruno.list.start()
        bruno.session.account.feed.start()
        await within(20, "bruno's list caught up behind the gateway") { bruno.session.caughtUpThisRun && bruno.list.mirroredCount == 80 }
        await within(10, "the feed found") { bruno.session.account.feed.capabilities?.changes == true && bruno.session.teamUser?.id == targetId }
        bruno.timeline.show(contactId: contactId)
        await within(10, "the timeline loaded") { bruno.timeline.state == .loaded || bruno.timeline.state == .empty }
        let entries = bruno.timeline.interactions.count

        let outcome = await withCheckedContinuation { continuation in
            ana.session.client.transferContact(contactId: contactId, to: targetId, on: .main) { continuation.resume(returning: $0) }
        }
        #expect((try? outcome.get()) != nil, "the transfer went through the gateway")
        await within(5, "the transfer is on bruno's screen") { bruno.list.contact(id: contactId)?.agent == targetId }
        await within(5, "his open timeline shows it") { bruno.timeline.interactions.count == entries + 1 }
        #expect(bruno.session.notice?.text.hasPrefix("◆ ") == true && bruno.session.notice?.text.hasSuffix("was transferred to you by ana") == true)
        #expect(ana.session.notice == nil, "ana, who is not its agent and did it herself, is told nothing")
        bruno.session.account.feed.stop()
        await team.stop()
    }

    @Test func aFeedThatDropsResumesFromItsCursorLosingAndRepeatingNothing() async throws {
        let team = try await GatewayTeam.start(contacts: 30, cacheSeconds: 0, syncSeconds: 600)
        let bruno = try agent(try await GatewayHarness.token("bruno", in: team.url), at: team.gateway)
        let ana = try await GatewayHarness.token("ana", in: team.url)
        var transfers: [TeamChange] = []
        bruno.session.account.listen { event in
            if case .teamChanged(let changes, _) = event { transfers += changes.filter { $0.kind == "note" } }
        }
        bruno.session.account.feed.pause = { _ in try? await Task.sleep(for: .milliseconds(100)) }
        bruno.session.account.feed.start()
        await within(10, "the feed found") { bruno.session.account.feed.capabilities != nil }
        let contacts = try #require(try JSONSerialization.jsonObject(with: Data(try await GatewayHarness.get(
            team.upstream.baseURL, "/contact?page=0&limit=5", token: GatewayHarness.upstreamKey.secret).body.utf8)) as? [[String: Any]])
        let ids = contacts.compactMap { $0["_id"] as? String }
        try await Task.sleep(for: .milliseconds(300))  // bruno's first poll is waiting
        _ = try await GatewayHarness.send("POST", team.gateway.baseURL, "/contact/\(ids[0])/note", token: ana, body: "{\"body\":\"uno\"}")
        await within(5, "the first note") { transfers.count == 1 }

        // The replica goes away; a note is written while bruno's ventia cannot poll; it comes back.
        let port = team.gateway.port
        await team.gateway.stop()
        var configuration = GatewayHarness.configuration(team.url, upstream: team.upstream.baseURL, cacheSeconds: 0, syncSeconds: 600)
        let other = try await TeamGateway.start(configuration)
        _ = try await GatewayHarness.send("POST", other.baseURL, "/contact/\(ids[1])/note", token: ana, body: "{\"body\":\"dos\"}")
        configuration.port = port
        let again = try await TeamGateway.start(configuration)
        _ = try await GatewayHarness.send("POST", again.baseURL, "/contact/\(ids[2])/note", token: ana, body: "{\"body\":\"tres\"}")
        await within(10, "the notes written while it was away, and after") { transfers.count == 3 }
        #expect(transfers.map(\.contactId) == [ids[0], ids[1], ids[2]], "each once, in order")
        bruno.session.account.feed.stop()
        await other.stop()
        await again.stop()
        await team.upstream.stop()
    }

    @Test func aMirrorStillFillingSearchesTheTeamsCopyAndSaysSo() async throws {
        let team = try await GatewayTeam.start(contacts: 300, cacheSeconds: 0, syncSeconds: 600)
        let token = try await GatewayHarness.token("bruno", in: team.url)
        // The copy has every contact (its last page is served from it).
        let deadline = ContinuousClock.now + .seconds(30)
        while try await GatewayHarness.get(team.gateway.baseURL, "/contact?page=2&limit=100", token: token).header("Ventia-Cache") != "copy",
            ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(100))
        }
        let client = VentiaClient(configuration: VentiaConfiguration(baseURL: team.gateway.baseURL, apiKey: APIKey(token)), retryPolicy: .never)
        let session = AppSession(client: client, connection: ConnectionInfo(mode: .live, host: "gateway"), mirror: try ContactMirror.temporary())
        let list = ContactListViewModel(session: session)
        session.account.feed.start()
        await within(10, "the gateway found") { session.account.feed.capabilities?.search == true }
        // A first start: nothing here yet, the backfill under way.
        session.account.syncProgress = 0
        list.filterText = "a"
        #expect(list.searchedTeamCopy == nil && list.rows.isEmpty, "the empty mirror answers at once")
        await within(5, "the team's copy answers") { list.searchedTeamCopy == 300 }
        #expect(list.searchMatched > 0 && list.rows.count == min(100, list.searchMatched))
        // Once the mirror holds every contact, it is the one searched.
        session.account.syncProgress = nil
        list.filterText = "an"
        #expect(list.searchedTeamCopy == nil)
        session.account.feed.stop()
        await team.stop()
    }

    @Test func aCustomerOfMineWritingOnWhatsAppIsMarkedAndANotice() async throws {
        let team = try await GatewayTeam.start(contacts: 60, cacheSeconds: 0, syncSeconds: 1)
        let users = try #require(try JSONSerialization.jsonObject(with: Data(try await GatewayHarness.get(
            team.upstream.baseURL, "/user", token: GatewayHarness.upstreamKey.secret).body.utf8)) as? [[String: Any]])
        let contacts = try VentiaJSON.decoder().decode(
            [Contact].self, from: Data(try await GatewayHarness.get(team.upstream.baseURL, "/contact?page=0&limit=60", token: GatewayHarness.upstreamKey.secret).body.utf8))
        // The customer who will write: the newest with a phone whose agent is one of the users.
        let withPhones = contacts.filter { !$0.phones.isEmpty }
        let index = try #require(withPhones.firstIndex { contact in users.contains { $0["_id"] as? String == contact.agent } })
        let customer = withPhones[index]
        let agentEmail = try #require(users.first { $0["_id"] as? String == customer.agent }?["email"] as? String)
        let otherEmail = try #require(users.first { $0["_id"] as? String != customer.agent }?["email"] as? String)
        var watchers: [Agent] = []
        for email in [agentEmail, otherEmail] {
            let watcher = try agent(try await GatewayHarness.token(email, in: team.url), at: team.gateway)
            watcher.session.loadDirectory()
            watcher.list.start()
            watcher.session.account.feed.start()
            watchers.append(watcher)
        }
        await within(30, "both caught up behind the gateway") {
            watchers.allSatisfy { $0.session.caughtUpThisRun && $0.session.account.feed.capabilities != nil && $0.session.teamUser != nil }
        }
        team.upstream.service.simulateInboundWhatsApp(choosing: { _ in index })
        let (mine, theirs) = (watchers[0], watchers[1])
        await within(15, "its agent is told") { mine.session.notice?.text == "● \(customer.fullName) wrote on WhatsApp" }
        await within(5, "and the contact carries the ● mark") { mine.list.unread.contains(customer.id) }
        #expect(theirs.session.notice == nil, "a colleague whose customer it is not is not told")
        for watcher in watchers { watcher.session.account.feed.stop() }
        await team.stop()
    }

    @Test func aGatewayUnreachableAtStartIsFoundOnceItAnswers() async throws {
        let team = try await GatewayTeam.start(contacts: 10, cacheSeconds: 0, syncSeconds: 600)
        let bruno = try agent(try await GatewayHarness.token("bruno", in: team.url), at: team.gateway)
        var configuration = GatewayHarness.configuration(team.url, upstream: team.upstream.baseURL, cacheSeconds: 0, syncSeconds: 600)
        configuration.port = team.gateway.port
        await team.gateway.stop()
        bruno.session.account.feed.pause = { _ in try? await Task.sleep(for: .milliseconds(100)) }
        bruno.session.account.feed.start()
        try await Task.sleep(for: .milliseconds(500))
        #expect(bruno.session.account.feed.capabilities == nil)
        let again = try await TeamGateway.start(configuration)
        await within(10, "the feed found once the gateway answers") { bruno.session.account.feed.capabilities?.changes == true }
        bruno.session.account.feed.stop()
        await again.stop()
        await team.upstream.stop()
    }

    @Test func aPlainVentiaServerHasNoFeedAndCostsOneUnansweredQuestion() async throws {
        let log = UpstreamLog()
        let server = try await GatewayHarness.upstream(contacts: 5, log: log)
        let client = VentiaClient(configuration: VentiaConfiguration(baseURL: server.baseURL, apiKey: GatewayHarness.upstreamKey), retryPolicy: .never)
        let account = AccountSession(client: client, mirror: try ContactMirror.temporary())
        var events: [AccountEvent] = []
        account.listen { events.append($0) }
        guard case .failure(.notFound) = await client.gatewayCapabilities() else { Issue.record("a plain server's 404 expected"); return }
        account.feed.start()
        try await Task.sleep(for: .milliseconds(300))
        #expect(account.feed.capabilities == nil && events.isEmpty)
        #expect(log.all.map(\.path).allSatisfy { $0.hasSuffix("/_ventia/capabilities") } && log.count <= 2, "nothing but the question")
        #expect(client.rateBudget.snapshot().remaining == client.rateBudget.snapshot().limit, "and nothing spent of the budget")
        account.feed.stop()
        await server.stop()
    }
}
