import Foundation
import PostgresTesting
import ScriptedServers
import Testing
import VentiaAPI
import VentiaServer
@testable import VentiaGateway

/// A gateway in front of the local server, driven over HTTP as agents' ventias drive it.
@Suite struct GatewayServiceTests {
    @Test func tokensNameAgentsAndEverythingElseGetsTheAPIs401() async throws {
        let team = try await GatewayTeam.start()
        let (url, log, gateway) = (team.url, team.log, team.gateway)
        let ana = try await GatewayHarness.token("ana", in: url)
        let bruno = try await GatewayHarness.token("bruno", in: url)
        #expect(APIKey.isWellFormed(ana))

        #expect(try await GatewayHarness.get(gateway.baseURL, "/user", token: ana).status == 200)
        let refusals: [(String?, [(String, String)], String)] = [
            (nil, [], "Missing API key: pass it as the api-key query parameter"),
            ("not-a-key", [], "Malformed API key: expected four groups of seven letters or digits joined by '-'"),
            (GatewayHarness.upstreamKey.secret, [], "Unknown API key"),
            ("ZZZZZZZ-ZZZZZZZ-ZZZZZZZ-ZZZZZZZ", [], "Unknown API key"),
            (ana, [("X-API-KEY", bruno)], "Ambiguous API key: the api-key parameter and the X-API-KEY header differ"),
        ]
        for (token, headers, message) in refusals {
            let answer = try await GatewayHarness.get(gateway.baseURL, "/user", token: token, headers: headers)
            #expect(answer.status == 401)
            #expect(answer.body == "{\"message\":\"\(message)\",\"success\":false}")
        }
        let opened = try await GatewayHarness.open(url)
        try await TokenStore(opened).revoke(agent: "ana")
        opened.close()
        #expect(try await GatewayHarness.get(gateway.baseURL, "/user", token: ana).status == 401)
        #expect(try await GatewayHarness.get(gateway.baseURL, "/user", token: bruno, headers: [("X-API-KEY", bruno)]).status == 200)
        // Refused requests never reach the upstream; of the two accepted, the second was cached.
        #expect(log.count == 1)
        await team.stop()
    }

    @Test func theDatabaseKeepsOnlyAHashOfEachToken() async throws {
        let url = try await GatewayHarness.database()
        let token = try await GatewayHarness.token("ana", in: url)
        let dump = try await GatewayHarness.psql("SELECT row_to_json(t)::text FROM gateway_tokens t", in: url)
        #expect(!dump.contains(token))
        #expect(dump.contains(AgentToken.sha256(token)))
    }

    @Test func everyAnswerCarriesTheTeamsBudget() async throws {
        let team = try await GatewayTeam.start(limit: 50, reserve: 5, cacheSeconds: 0)
        let (url, log, gateway) = (team.url, team.log, team.gateway)
        let ana = try await GatewayHarness.token("ana", in: url)
        let first = try await GatewayHarness.get(gateway.baseURL, "/contact?limit=1", token: ana)
        let second = try await GatewayHarness.get(gateway.baseURL, "/group", token: ana)
        #expect(first.header("RateLimit-Policy") == "\"account\";q=50;w=60")
        #expect(first.header("X-RateLimit-Limit") == "50")
        #expect(first.header("X-RateLimit-Remaining") == "44")
        #expect(second.header("X-RateLimit-Remaining") == "43")
        #expect(second.header("RateLimit")?.hasPrefix("\"account\";r=43;t=") == true)
        let reset = Int(second.header("X-RateLimit-Reset") ?? "") ?? 0
        #expect(abs(reset - Int(Date().timeIntervalSince1970) - 61) <= 2)
        // The upstream's own rate headers never reach agents: the budget is the team's.
        #expect(log.count == 2)
        await team.stop()
    }

    /// What ventia's status line shows is its budget: pointed at the gateway, it is the team's.
    @Test func aVentiaClientPointedAtTheGatewaySeesTheTeamsBudget() async throws {
        let team = try await GatewayTeam.start(reserve: 10, cacheSeconds: 0)
        let ana = try await GatewayHarness.token("ana", in: team.url)
        let bruno = try await GatewayHarness.token("bruno", in: team.url)
        for page in 0..<5 { _ = try await GatewayHarness.get(team.gateway.baseURL, "/contact?limit=1&page=\(page)", token: ana) }
        let client = VentiaClient(configuration: VentiaConfiguration(baseURL: team.gateway.baseURL, apiKey: APIKey(bruno)))
        let users = try await client.send(.listUsers, as: [User].self)
        #expect(!users.isEmpty)
        let budget = client.rateBudget.snapshot()
        // 200 less the reserve of 10, less Ana's five and Bruno's one.
        #expect(budget.limit == 200)
        #expect(budget.remaining == 184)
        await team.stop()
    }

    @Test func aReadIsCachedUntilAWriteToItsContactDropsIt() async throws {
        let team = try await GatewayTeam.start(cacheSeconds: 60)
        let (url, log, gateway) = (team.url, team.log, team.gateway)
        let ana = try await GatewayHarness.token("ana", in: url)
        let bruno = try await GatewayHarness.token("bruno", in: url)
        let list = try await GatewayHarness.get(gateway.baseURL, "/contact?page=0&limit=5", token: ana)
        let contactID = try #require(((try JSONSerialization.jsonObject(with: Data(list.body.utf8))) as? [[String: Any]])?.first?["_id"] as? String)
        let timeline = try await GatewayHarness.get(gateway.baseURL, "/contact/\(contactID)/interactions", token: ana)
        // Another agent, the same reads (the query's order aside): from the cache.
        #expect(try await GatewayHarness.get(gateway.baseURL, "/contact?limit=5&page=0", token: bruno).body == list.body)
        #expect(try await GatewayHarness.get(gateway.baseURL, "/contact/\(contactID)/interactions", token: bruno).body == timeline.body)
        #expect(log.count == 2)
        let note = try await GatewayHarness.send("POST", gateway.baseURL, "/contact/\(contactID)/note", token: bruno, lane: "write", body: "{\"body\":\"Called back\"}")
        #expect(note.status == 200)
        let fresh = try await GatewayHarness.get(gateway.baseURL, "/contact/\(contactID)/interactions", token: ana)
        #expect(fresh.body.contains("Called back"))
        _ = try await GatewayHarness.get(gateway.baseURL, "/contact?page=0&limit=5", token: ana)
        #expect(log.all.map(\.method) == ["GET", "GET", "POST", "GET", "GET"])
        await team.stop()
    }

    @Test func aWriteThroughOneReplicaDropsTheCachedReadsOfTheOther() async throws {
        let url = try await GatewayHarness.database()
        let log = UpstreamLog()
        let upstream = try await GatewayHarness.upstream(log: log)
        let first = try await TeamGateway.start(GatewayHarness.configuration(url, upstream: upstream.baseURL, cacheSeconds: 60))
        let second = try await TeamGateway.start(GatewayHarness.configuration(url, upstream: upstream.baseURL, cacheSeconds: 60))
        let ana = try await GatewayHarness.token("ana", in: url)
        let list = try await GatewayHarness.get(second.baseURL, "/contact?limit=1", token: ana)
        let contactID = try #require(((try JSONSerialization.jsonObject(with: Data(list.body.utf8))) as? [[String: Any]])?.first?["_id"] as? String)
        #expect(try await GatewayHarness.get(second.baseURL, "/contact/\(contactID)/notes", token: ana).header("Ventia-Cache") == "fetched")
        #expect(try await GatewayHarness.get(second.baseURL, "/contact/\(contactID)/notes", token: ana).header("Ventia-Cache") == "cached")
        _ = try await GatewayHarness.send("POST", first.baseURL, "/contact/\(contactID)/note", token: ana, body: "{\"body\":\"Seen by both\"}")
        try await waitUntil { log.count == 3 }
        var notes = try await GatewayHarness.get(second.baseURL, "/contact/\(contactID)/notes", token: ana)
        let deadline = ContinuousClock.now + .seconds(5)
        while !notes.body.contains("Seen by both"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            notes = try await GatewayHarness.get(second.baseURL, "/contact/\(contactID)/notes", token: ana)
        }
        #expect(notes.body.contains("Seen by both"))
        await first.stop()
        await second.stop()
        await upstream.stop()
    }

    @Test func identicalReadsInFlightGoUpstreamOnceEvenWhenTheFirstCallerLeaves() async throws {
        let url = try await GatewayHarness.database()
        let upstream = try ScriptedServer { connection in
            while connection.readRequest() != nil {
                usleep(400_000)
                connection.answer(200, json: "[{\"_id\":\"64b7c0a1f1e2d3c4b5a69788\",\"name\":\"Ventas\"}]")
            }
        }
        let gateway = try await TeamGateway.start(GatewayHarness.configuration(url, upstream: upstream.baseURL, cacheSeconds: 0))
        let ana = try await GatewayHarness.token("ana", in: url)
        let leaving = Task { try await GatewayHarness.get(gateway.baseURL, "/group", token: ana) }
        try await Task.sleep(for: .milliseconds(100))
        leaving.cancel()
        let answers = try await withThrowingTaskGroup(of: GatewayHarness.Answer.self) { group in
            for _ in 0..<12 { group.addTask { try await GatewayHarness.get(gateway.baseURL, "/group", token: ana) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.count == 12)
        #expect(answers.allSatisfy { $0.status == 200 && $0.body.contains("Ventas") })
        #expect(upstream.requests.count == 1)
        await gateway.stop()
    }

    @Test func whenTheBudgetIsSpentARequestWaitsThenGets429FromTheGatewayNeverFromUpstream() async throws {
        let team = try await GatewayTeam.start(upstreamLimit: 3, limit: 3, maxWait: 0.5, cacheSeconds: 0)
        let (url, log, gateway) = (team.url, team.log, team.gateway)
        let ana = try await GatewayHarness.token("ana", in: url)
        for page in 0..<3 { #expect(try await GatewayHarness.get(gateway.baseURL, "/contact?limit=1&page=\(page)", token: ana).status == 200) }
        let started = ContinuousClock.now
        let refused = try await GatewayHarness.get(gateway.baseURL, "/contact?limit=1&page=3", token: ana)
        #expect(ContinuousClock.now - started >= .milliseconds(450))
        #expect(refused.status == 429)
        #expect(refused.body.hasPrefix("{\"message\":\"Too many requests: the team's budget of 3 requests per 60 seconds is spent. Retry in "))
        let retryAfter = Int(refused.header("Retry-After") ?? "") ?? 0
        #expect((58...61).contains(retryAfter))
        #expect(log.count == 3)
        #expect(log.refusals == 0)
        await team.stop()
    }

    @Test func anUpstream429StopsTheWholeTeamUntilItsRetryAfter() async throws {
        // Keys outside the gateway spent most of the window: the upstream allows 2 more, the gateway thinks 10.
        let team = try await GatewayTeam.start(upstreamLimit: 2, limit: 10, maxWait: 0.3, cacheSeconds: 0)
        let (url, log, gateway) = (team.url, team.log, team.gateway)
        let ana = try await GatewayHarness.token("ana", in: url)
        let bruno = try await GatewayHarness.token("bruno", in: url)
        for page in 0..<2 { #expect(try await GatewayHarness.get(gateway.baseURL, "/contact?limit=1&page=\(page)", token: ana).status == 200) }
        let refused = try await GatewayHarness.get(gateway.baseURL, "/contact?limit=1&page=2", token: ana)
        #expect(refused.status == 429)
        #expect((55...60).contains(Int(refused.header("Retry-After") ?? "") ?? 0))
        // The team now waits out the upstream's window: nobody's request goes up to meet another 429.
        for page in 3..<6 { #expect(try await GatewayHarness.get(gateway.baseURL, "/contact?limit=1&page=\(page)", token: bruno).status == 429) }
        #expect(log.count == 3)
        #expect(log.refusals == 1)
        #expect(gateway.service.metrics.text().contains("ventia_gateway_upstream_refusals_total 1"))
        await team.stop()
    }

    @Test func healthReadinessAndMetrics() async throws {
        let team = try await GatewayTeam.start()
        let (url, log, upstream, gateway) = (team.url, team.log, team.upstream, team.gateway)
        let ana = try await GatewayHarness.token("ana", in: url)
        let root = try #require(URL(string: "http://127.0.0.1:\(gateway.port)"))
        _ = try await GatewayHarness.get(gateway.baseURL, "/group", token: ana, lane: "background")
        _ = try await GatewayHarness.get(gateway.baseURL, "/group", token: ana)
        #expect(try await GatewayHarness.get(root, "/healthz", token: nil).status == 200)
        #expect(try await GatewayHarness.get(root, "/readyz", token: nil).body == "{\"success\":true,\"status\":\"ready\"}")
        let metrics = try await GatewayHarness.get(root, "/metrics", token: nil).body
        for line in [
            "ventia_gateway_requests_total{agent=\"ana\",lane=\"background\"} 1",
            "ventia_gateway_requests_total{agent=\"ana\",lane=\"interactive\"} 1",
            "ventia_gateway_upstream_requests_total{status=\"200\"} 1",
            "ventia_gateway_cache_hits_total 1",
            "ventia_gateway_ledger_transaction_seconds_count 1",
            "ventia_gateway_queue_depth_requests{lane=\"background\"} 0.0",
        ] {
            #expect(metrics.split(separator: "\n").contains(Substring(line)), "\(line)")
        }
        // The upstream gone: not ready, and says why. (The readiness probe costs no budget: a request without a key.)
        await upstream.stop()
        let notReady = try await GatewayHarness.get(root, "/readyz", token: nil)
        #expect(notReady.status == 503)
        #expect(notReady.body.contains("upstream: 127.0.0.1 does not answer"))
        #expect(log.all.filter { $0.status != 401 }.count == 1)
        await gateway.stop()
    }

    @Test func twoReplicasAndManyAgentsNeverSendTheUpstreamMoreThanItsLimit() async throws {
        let url = try await GatewayHarness.database()
        let log = UpstreamLog()
        // The upstream refuses the 21st request of a minute; the team keeps 2 for keys outside.
        // A wait of 5 s, far short of the minute the budget needs to refill: the 18 it has are
        // admitted even when the ledger's transactions crawl on a loaded machine (with 1 s, two CI
        // runs admitted only 7 before the others gave up).
        let upstream = try await GatewayHarness.upstream(limit: 20, log: log)
        let replicas = [
            try await TeamGateway.start(GatewayHarness.configuration(url, upstream: upstream.baseURL, limit: 20, reserve: 2, maxWait: 5, cacheSeconds: 0)),
            try await TeamGateway.start(GatewayHarness.configuration(url, upstream: upstream.baseURL, limit: 20, reserve: 2, maxWait: 5, cacheSeconds: 0)),
        ]
        var tokens: [String] = []
        for agent in 0..<8 { tokens.append(try await GatewayHarness.token("agent\(agent)", in: url)) }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for (index, token) in tokens.enumerated() {
                for page in 0..<10 {
                    let lane = ["interactive", "write", "background"][page % 3]
                    group.addTask {
                        try await GatewayHarness.get(replicas[(index + page) % 2].baseURL, "/contact?limit=1&page=\(index * 10 + page)", token: token, lane: lane).status
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.count == 80)
        #expect(statuses.filter { $0 == 200 }.count == 18)
        #expect(statuses.filter { $0 == 429 }.count == 62)
        #expect(log.count == 18)
        #expect(log.refusals == 0)
        for replica in replicas { await replica.stop() }
        await upstream.stop()
    }

    @Test func writesAreAuditedWithTheAgentTheEndpointAndTheTargetButNeverABody() async throws {
        let team = try await GatewayTeam.start()
        let (url, gateway) = (team.url, team.gateway)
        let ana = try await GatewayHarness.token("ana", in: url)
        let list = try await GatewayHarness.get(gateway.baseURL, "/contact?limit=1", token: ana)
        let contactID = try #require(((try JSONSerialization.jsonObject(with: Data(list.body.utf8))) as? [[String: Any]])?.first?["_id"] as? String)
        _ = try await GatewayHarness.send("POST", gateway.baseURL, "/contact/\(contactID)/note", token: ana, body: "{\"body\":\"Visit on Monday\"}")
        let created = try await GatewayHarness.send(
            "POST", gateway.baseURL, "/user", token: ana,
            body: "{\"name\":\"Rosa\",\"lastname\":\"Pereira\",\"email\":\"rosa.audit@example.com\",\"password\":\"s3cret-Passw0rd\",\"roles\":[\"user\"]}")
        #expect(created.status == 200)
        let userID = try #require(((try JSONSerialization.jsonObject(with: Data(created.body.utf8))) as? [String: Any])?["_id"] as? String)
        _ = try await GatewayHarness.send("POST", gateway.baseURL, "/contact/\(contactID)/archive", token: ana, body: "{\"reason\":\"no-such-reason\"}")
        let opened = try await GatewayHarness.open(url)
        defer { opened.close() }
        let records = try await AuditLog(opened).records()
        #expect(records.map { "\($0.agent) \($0.method) \($0.endpoint) \($0.targetID ?? "-") \($0.status)" } == [
            "ana POST /contact/{idcontact}/note \(contactID) 200",
            "ana POST /user \(userID) 200",
            "ana POST /contact/{idcontact}/archive \(contactID) 400",
        ])
        let dump = try await GatewayHarness.psql("SELECT row_to_json(t)::text FROM gateway_audit t", in: url)
        #expect(!dump.contains("s3cret") && !dump.contains("Visit on Monday"))
        #expect(try await AuditLog(opened).records(agent: "bruno").isEmpty)
        await team.stop()
    }
}
