import Foundation
import ScriptedServers
import Testing
import VentiaAPI

/// What the client makes of answers no good server gives.
@Suite struct FaultyServerTests {
    static let key = APIKey("LEAKME1-LEAKME2-LEAKME3-LEAKME4")

    func client(
        retrying: RetryPolicy = .never, budget: RateBudget = RateBudget(clock: ManualClock()),
        _ answer: @escaping @Sendable (HTTPRequest) -> Result<HTTPResponse, TransportFailure>
    ) -> VentiaClient {
        VentiaClient(
            configuration: VentiaConfiguration(baseURL: URL(string: "https://api.example.com/api/v1.0")!, apiKey: Self.key),
            transport: CannedTransport(answer: answer), rateBudget: budget, retryPolicy: retrying)
    }

    /// Retries at once, recording the pauses it would have made (jitter fixed at its top).
    static func recordingPolicy(_ pauses: Locked<[TimeInterval]>) -> RetryPolicy {
        RetryPolicy(attempts: 4, jitter: { 1 }, schedule: { delay, work in
            pauses.withLock { $0.append(delay) }
            work()
        })
    }

    @Test func aGetIsRetriedAfterA5xxWithGrowingPauses() async throws {
        let calls = Locked(0)
        let pauses = Locked<[TimeInterval]>([])
        let flaky = client(retrying: Self.recordingPolicy(pauses)) { _ in
            let call = calls.withLock { $0 += 1; return $0 }
            return call < 3 ? .success(HTTPResponse(status: 502, body: Data("<h1>Bad Gateway</h1>".utf8))) : .success(HTTPResponse(status: 200, body: Data("[]".utf8)))
        }
        let users = try await value { flaky.listUsers(on: testQueue, completion: $0) }
        #expect(users.isEmpty)
        #expect(calls.withLock { $0 } == 3)
        #expect(pauses.withLock { $0 } == [0.5, 1.0])
        #expect(flaky.rateBudget.snapshot().remaining == 197, "every try reached the server and counts")
    }

    @Test func againstAServerThatFailsEveryThirdRequestEveryReadSucceedsAndEveryTryCounts() async throws {
        let calls = Locked(0)
        let pauses = Locked<[TimeInterval]>([])
        let policy = RetryPolicy(attempts: 4, jitter: { Double.random(in: 0...1) }, schedule: { delay, work in
            pauses.withLock { $0.append(delay) }
            work()
        })
        let flaky = client(retrying: policy) { _ in
            let call = calls.withLock { $0 += 1; return $0 }
            return call % 3 == 0 ? .success(HTTPResponse(status: 503, body: Data())) : .success(HTTPResponse(status: 200, body: Data("[]".utf8)))
        }
        for _ in 0..<20 { _ = try await value { flaky.listUsers(on: testQueue, completion: $0) } }
        let tries = calls.withLock { $0 }
        #expect(tries == 29, "20 reads, 9 of them tried again once")
        #expect(flaky.rateBudget.snapshot().remaining == 200 - tries, "the scheduler counted every try")
        #expect(pauses.withLock { $0 }.allSatisfy { (0.25...0.5).contains($0) }, "first retries wait half a second, jittered down to half")
        #expect(Set(pauses.withLock { $0 }).count > 1, "jittered, not in step")
    }

    @Test func aGetThatKeepsTimingOutSaysHowOftenItTried() async {
        let calls = Locked(0)
        let pauses = Locked<[TimeInterval]>([])
        let silent = client(retrying: Self.recordingPolicy(pauses)) { _ in
            calls.withLock { $0 += 1 }
            return .failure(.timedOut)
        }
        let error = await failure { silent.listContacts(on: testQueue, completion: $0) }
        #expect(error == .afterRetries(attempts: 4, last: .timedOut))
        #expect(error?.description == "Network error: the server did not answer in time (tried 4 times)")
        #expect(calls.withLock { $0 } == 4)
        #expect(pauses.withLock { $0 } == [0.5, 1.0, 2.0])
        let reset = client(retrying: Self.recordingPolicy(Locked([]))) { _ in .failure(.failed(.connectionLost)) }
        #expect(await failure { reset.listGroups(on: testQueue, completion: $0) } == .afterRetries(attempts: 4, last: .transport(.connectionLost)))
    }

    @Test func writesAndClientErrorsAreNeverRetried() async {
        let calls = Locked(0)
        let failing = client(retrying: Self.recordingPolicy(Locked([]))) { request in
            calls.withLock { $0 += 1 }
            return .success(HTTPResponse(status: request.method == .get ? 404 : 503))
        }
        #expect(await failure { failing.createNote(contactId: "c", body: "b", on: testQueue, completion: $0) } == .server(status: 503, excerpt: ""))
        #expect(calls.withLock { $0 } == 1, "a write was sent twice")
        #expect(await failure { failing.getSale(id: "s", on: testQueue, completion: $0) } == .notFound(message: ""))
        #expect(calls.withLock { $0 } == 2, "a 404 was retried")
    }

    @Test func retriesStopAtTheBudget() async {
        let calls = Locked(0)
        let budget = RateBudget(limit: 2, clock: ManualClock())
        let failing = client(retrying: Self.recordingPolicy(Locked([])), budget: budget) { _ in
            calls.withLock { $0 += 1 }
            return .success(HTTPResponse(status: 500))
        }
        #expect(await failure { failing.listUsers(on: testQueue, completion: $0) } == .afterRetries(attempts: 2, last: .server(status: 500, excerpt: "")))
        #expect(calls.withLock { $0 } == 2, "retries went past the budget")
    }

    @Test func htmlBadGatewayBecomesAServerError() async {
        let html = "<html><body><h1>502 Bad Gateway</h1><p>upstream for /contact?api-key=\(Self.key.secret)</p></body></html>"
        let faulty = client { _ in .success(HTTPResponse(status: 502, headers: ["Content-Type": "text/html"], body: Data(html.utf8))) }
        let error = await failure { faulty.listContacts(on: testQueue, completion: $0) }
        guard case .server(let status, let excerpt) = error else { Issue.record("expected a server error"); return }
        #expect(status == 502)
        #expect(excerpt.hasPrefix("502 Bad Gateway"))
        #expect(!excerpt.contains("LEAKME"))
    }

    @Test func emptyAndGarbledBodies() async {
        let empty = client { _ in .success(HTTPResponse(status: 503)) }
        #expect(await failure { empty.listUsers(on: testQueue, completion: $0) } == .server(status: 503, excerpt: ""))
        let garbled = client { _ in .success(HTTPResponse(status: 200, body: Data("<html>".utf8))) }
        guard case .decoding = await failure({ garbled.listUsers(on: testQueue, completion: $0) }) else {
            Issue.record("expected a decoding error")
            return
        }
        let blank = client { _ in .success(HTTPResponse(status: 200)) }
        #expect(await failure { blank.getUser(id: "x", on: testQueue, completion: $0) } == .decoding(path: "(top level)", reason: "the answer was empty"))
    }

    /// A server that takes the connection and never answers: the kernel accepts for a listening
    /// socket nobody reads, so the request waits on a silent peer until the client's own deadline.
    @Test func aSilentServerTimesOut() throws {
        let (listener, port) = try LoopbackSocket.bound(backlog: 8)
        defer { close(listener) }
        let silent = VentiaClient(
            configuration: VentiaConfiguration(baseURL: try #require(URL(string: "http://127.0.0.1:\(port)/api/v1.0")), apiKey: Self.key, timeout: 0.5),
            rateBudget: RateBudget(clock: ManualClock()), retryPolicy: .never)
        // Waits with a bound of its own, so a client without a deadline fails here instead of hanging.
        let answered = DispatchSemaphore(value: 0)
        let outcome = Locked<VentiaError?>(nil)
        silent.listContacts(on: testQueue) { result in
            if case .failure(let error) = result { outcome.withLock { $0 = error } }
            answered.signal()
        }
        try #require(answered.wait(timeout: .now() + 10) == .success, "the request outlived its 0.5 s deadline")
        #expect(outcome.withLock { $0 } == .timedOut)
        #expect(silent.requestsInFlight == 0)
    }

    /// An answer that never ends is cut off at the cap instead of filling memory, whether it
    /// announces its length or streams chunks; the request still counts against the budget.
    @Test(arguments: ["Content-Length: 90000000000\r\n", "Transfer-Encoding: chunked\r\n"])
    func anEndlessAnswerIsCutOffAtTheCap(framing: String) async throws {
        let server = try EndlessAnswerServer(head: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\(framing)\r\n")
        let capped = VentiaClient(
            configuration: VentiaConfiguration(
                baseURL: try #require(URL(string: "http://127.0.0.1:\(server.port)/api/v1.0")), apiKey: Self.key, timeout: 10,
                maximumAnswerBytes: 256 << 10),
            rateBudget: RateBudget(clock: ManualClock()))
        let error = await failure { capped.listContacts(on: testQueue, completion: $0) }
        #expect(error == .answerTooLarge(limit: 256 << 10), "\(String(describing: error)) after the server sent \(server.sent) bytes")
        #expect(error?.description == "The server's answer was larger than 256 KB; ventia stopped reading it")
        #expect(capped.rateBudget.snapshot().remaining == 199)
        #expect(capped.requestsInFlight == 0)
        // The download stops too (on loopback some megabytes are in flight before the cancel lands).
        var sent = server.sent
        for _ in 0..<50 {
            try await Task.sleep(for: .milliseconds(200))
            if server.sent == sent { break }
            sent = server.sent
        }
        #expect(server.sent == sent, "the server was still sending after \(sent) bytes, for a 256 KB cap")
    }

    @Test func transportFailuresAreTypedAndDoNotCount() async {
        let timeout = client { _ in .failure(.timedOut) }
        #expect(await failure { timeout.listGroups(on: testQueue, completion: $0) } == .timedOut)
        #expect(timeout.rateBudget.snapshot().remaining == 200)
        let refused = client { _ in .failure(.failed(.couldNotConnect)) }
        #expect(await failure { refused.listGroups(on: testQueue, completion: $0) } == .transport(.couldNotConnect))
    }

    @Test func theKeyNeverAppearsInErrors() async {
        let echoing = client { request in
            let echoed = #"{"success":false,"message":"bad key \#(request.url.absoluteString)","errors":[{"field":"\#(Self.key.secret)","message":"x"}]}"#
            return .success(HTTPResponse(status: 400, body: Data(echoed.utf8)))
        }
        let error = await failure { echoing.createNote(contactId: "c", body: "b", on: testQueue, completion: $0) }
        let everything = "\(String(describing: error)) \(String(reflecting: error)) \(error?.localizedDescription ?? "") \(error?.fieldErrors ?? [])"
        #expect(!everything.contains("LEAKME"))
        #expect(everything.contains("[api-key]"))
        let description = "\(echoing.configuration) \(String(reflecting: echoing.configuration))"
        #expect(!description.contains("LEAKME"))
    }

    @Test func requestsCarryTheKeyBothWays() async {
        let seen = Locked<HTTPRequest?>(nil)
        let recording = client { request in
            seen.withLock { $0 = request }
            return .success(HTTPResponse(status: 200, body: Data("[]".utf8)))
        }
        _ = await call { recording.listContacts(page: 2, limit: 10, on: testQueue, completion: $0) }
        let request = seen.withLock { $0 }
        #expect(request?.headers["X-API-KEY"] == Self.key.secret)
        let query = URLComponents(url: request!.url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        #expect(query.contains(URLQueryItem(name: "api-key", value: Self.key.secret)))
        #expect(query.contains(URLQueryItem(name: "page", value: "2")))
        #expect(request?.url.path == "/api/v1.0/contact")
    }

    @Test func statusesMapToTypedErrors() async {
        let cases: [(Int, String, VentiaError)] = [
            (403, #"{"success":false,"message":"Sale is locked"}"#, .forbidden(message: "Sale is locked")),
            (404, #"{"success":false,"message":"gone"}"#, .notFound(message: "gone")),
            (409, #"{"success":false,"message":"window closed"}"#, .conflict(message: "window closed")),
            (401, "", .unauthorized(message: "")),
        ]
        for (status, body, expected) in cases {
            let faulty = client { _ in .success(HTTPResponse(status: status, body: Data(body.utf8))) }
            #expect(await failure { faulty.getSale(id: "s", on: testQueue, completion: $0) } == expected)
        }
        let limited = client { _ in .success(HTTPResponse(status: 429, headers: ["Retry-After": "12"], body: Data())) }
        #expect(await failure { limited.getSale(id: "s", on: testQueue, completion: $0) } == .rateLimited(retryAfter: 12))
        #expect(limited.rateBudget.snapshot().secondsUntilSlot == 12)
    }
}
