import Foundation
import PostgresTesting
import ScriptedServers
import Testing
import VentiaAPI
@testable import VentiaGateway

/// What agents see when PostgreSQL or the upstream fails: answers in the API's error shape, bounded
/// waits, nothing forwarded twice, the budget still right afterwards.
@Suite struct GatewayFaultTests {
    @Test func postgreSQLRestartedUnderLoadGives503sThenServesAgainWithTheBudgetIntact() async throws {
        let cluster = try await offThread { try ThrowawayPostgres.startPrivate() }
        let url = try DatabaseURL(try await offThread { try cluster.makeDatabase("restart") })
        let log = UpstreamLog()
        let upstream = try await GatewayHarness.upstream(log: log)
        var configuration = GatewayHarness.configuration(url, upstream: upstream.baseURL, cacheSeconds: 0)
        configuration.databaseDeadline = .seconds(3)
        let gateway = try await TeamGateway.start(configuration)
        let ana = try await GatewayHarness.token("ana", in: url)
        let restart = Task.detached { try await offThread { try cluster.restart(downFor: 4) } }
        var answers: [GatewayHarness.Answer] = []
        let started = ContinuousClock.now
        var page = 0
        while ContinuousClock.now - started < .seconds(9) {
            answers.append(try await GatewayHarness.get(gateway.baseURL, "/contact?limit=1&page=\(page)", token: ana))
            page += 1
            try await Task.sleep(for: .milliseconds(40))
        }
        try await restart.value
        // Down longer than the gateway waits for its database (3 s): some requests fail, clearly.
        let unavailable = answers.filter { $0.status == 503 }
        #expect(!unavailable.isEmpty)
        #expect(unavailable.allSatisfy {
            $0.body.hasPrefix("{\"message\":\"The gateway's database is unavailable; nothing was sent to the Ventia API.") && $0.header("Retry-After") == "5"
        })
        #expect(answers.allSatisfy { $0.status == 200 || $0.status == 503 })
        #expect(answers.last?.status == 200)
        // Every request forwarded was forwarded once, and the ledger still holds each one.
        let served = answers.filter { $0.status == 200 }.count
        #expect(log.count == served)
        let counted = try await offThread { try cluster.psql("SELECT count(*) FROM gateway_reservations", database: url.database ?? "") }
        #expect(counted.trimmingCharacters(in: .whitespacesAndNewlines) == String(served))
        await gateway.stop()
        await upstream.stop()
    }

    @Test func anUpstreamThatIsDownSlowOrEndlessGetsBoundedAnswersInTheAPIsShape() async throws {
        let url = try await GatewayHarness.database()
        let down = try ScriptedServer { _ in }
        down.stop()
        let slow = try ScriptedServer { connection in
            guard connection.readRequest() != nil else { return }
            usleep(3_000_000)
            connection.answer(200, json: "[]")
        }
        let endless = try ScriptedServer { connection in
            guard connection.readRequest() != nil else { return }
            _ = connection.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            connection.streamUntilClosed(within: 20)
        }
        let ana = try await GatewayHarness.token("ana", in: url)
        func answer(from upstream: ScriptedServer) async throws -> (GatewayHarness.Answer, Duration) {
            var configuration = GatewayHarness.configuration(url, upstream: upstream.baseURL, cacheSeconds: 0)
            configuration.upstreamTimeout = 0.5
            configuration.maximumAnswerBytes = 1 << 20
            let gateway = try await TeamGateway.start(configuration)
            let started = ContinuousClock.now
            let answer = try await GatewayHarness.get(gateway.baseURL, "/user", token: ana)
            let elapsed = ContinuousClock.now - started
            await gateway.stop()
            return (answer, elapsed)
        }
        let (refused, _) = try await answer(from: down)
        #expect(refused.status == 502)
        #expect(refused.body == "{\"message\":\"The gateway could not reach the Ventia API (could not connect to the server); nothing was sent\",\"success\":false}")
        let (late, lateTime) = try await answer(from: slow)
        #expect(late.status == 504)
        #expect(late.body == "{\"message\":\"The Ventia API did not answer within 0.5 seconds; the request may have been carried out there\",\"success\":false}")
        #expect(lateTime < .seconds(2))
        let (cut, _) = try await answer(from: endless)
        #expect(cut.status == 502)
        #expect(cut.body == "{\"message\":\"The Ventia API's answer (status 200) was larger than 1 MB; the gateway cut it off\",\"success\":false}")
        #expect(endless.clientCloses == [true])
    }
}

/// Runs blocking work (a child process) on a thread of its own, not on the tasks' few threads.
func offThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
