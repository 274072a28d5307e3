import Foundation
import ScriptedServers
import Testing
import VentiaAPI

/// The production transport against servers that misbehave on the wire: it sends a request once,
/// keeps connections alive, and closes a connection whose answer is cut off, stalls or is cancelled.
@Suite struct AsyncHTTPClientTransportTests {
    static let key = APIKey("LEAKME1-LEAKME2-LEAKME3-LEAKME4")
    static let contactId = "621e8a5463c02a8bd532ff8c"

    func client(_ base: URL, timeout: TimeInterval = 5, proxies: ProxySettings = .none) -> VentiaClient {
        VentiaClient(
            configuration: VentiaConfiguration(baseURL: base, apiKey: Self.key, timeout: timeout),
            transport: AsyncHTTPClientTransport(proxies: proxies), rateBudget: RateBudget(clock: ManualClock()), retryPolicy: .never)
    }

    /// The answer to a POST on a kept-alive connection is lost: the client hears that the
    /// connection was lost, and the POST reached the server once; nothing sends it again.
    @Test func aPostWhoseAnswerIsLostOnAKeptAliveConnectionReachesTheServerOnce() async throws {
        let server = try ScriptedServer { connection in
            while let request = connection.readRequest() {
                guard request.head.hasPrefix("GET") else { return }  // the POST is read, then the connection closed unanswered
                connection.answer(json: "[]")
            }
        }
        let client = client(server.baseURL)
        _ = try await value { client.listUsers(on: testQueue, completion: $0) }
        let error = await failure { client.createNote(contactId: Self.contactId, body: "Una vez", on: testQueue, completion: $0) }
        #expect(error == .transport(.connectionLost))
        #expect(error?.neverReachedServer == false, "it may have arrived: only a check may tell")
        try await Task.sleep(for: .milliseconds(600))
        let posts = server.requests.filter { $0.hasPrefix("POST") }
        #expect(posts.count == 1, "the POST arrived \(posts.count) times")
        #expect(server.connections == 1, "the GET's connection was kept alive and used for the POST")
        #expect(client.requestsInFlight == 0)
    }

    @Test func connectionsAreKeptAliveBetweenRequests() async throws {
        let server = try ScriptedServer { connection in
            while connection.readRequest() != nil { connection.answer(json: "[]") }
        }
        let client = client(server.baseURL)
        for _ in 0..<5 { _ = try await value { client.listGroups(on: testQueue, completion: $0) } }
        #expect(server.requests.count == 5)
        #expect(server.connections == 1)
    }

    /// Headers, a few bytes, then nothing: the deadline ends the request and the connection.
    @Test func anAnswerThatStallsAfterItsHeadTimesOutAndIsClosed() async throws {
        let server = try ScriptedServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{\"_id\"")
            connection.waitForClose(within: 10)
        }
        let error = await failure { client(server.baseURL, timeout: 0.5).listContacts(on: testQueue, completion: $0) }
        #expect(error == .timedOut)
        try await eventually { server.clientCloses == [true] }
    }

    @Test func aResetMidBodyIsALostConnection() async throws {
        let server = try ScriptedServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n[{\"_id\": \"6")
            usleep(100_000)
            connection.reset()
        }
        let error = await failure { client(server.baseURL).listContacts(on: testQueue, completion: $0) }
        #expect(error == .transport(.connectionLost))
    }

    /// A cancel closes the connection: the server, mid-answer, sees it go. (The answer trickles: a
    /// fast stream would keep a loaded machine's event loop busy reading, and time the test, not the cancel.)
    @Test func aCancelClosesTheConnection() async throws {
        let server = try ScriptedServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n[\r\n")
            connection.waitForClose(within: 20)
        }
        let client = client(server.baseURL, timeout: 30)
        let outcome = Locked<VentiaError?>(nil)
        let handle = client.listContacts(on: testQueue) { result in
            if case .failure(let error) = result { outcome.withLock { $0 = error } }
        }
        try await eventually { server.requests.count == 1 }
        try await Task.sleep(for: .milliseconds(100))
        handle.cancel()
        try await eventually { server.clientCloses == [true] }
        try await eventually { outcome.withLock { $0 } == .cancelled }
    }

    /// A server whose certificate no authority signed: refused before anything is sent, in words.
    @Test func aServerWithAnUntrustedCertificateIsRefused() async throws {
        let tls = try SelfSignedTLSServer()
        defer { tls.stop() }
        let secure = client(try #require(URL(string: "https://127.0.0.1:\(tls.port)/api/v1.0")))
        let error = await failure { secure.listUsers(on: testQueue, completion: $0) }
        #expect(error == .transport(.untrustedCertificate))
        #expect(error?.neverReachedServer == true, "nothing was sent: a write may go again as it is")
    }

    /// Through an HTTP proxy (CONNECT), for a host only the proxy can reach.
    @Test func requestsGoThroughTheProxyOfTheEnvironment() async throws {
        let proxy = try ScriptedServer { connection in
            guard let connect = connection.readRequest(), connect.head.hasPrefix("CONNECT api.example.test:80 ") else { return }
            connection.send("HTTP/1.1 200 Connection established\r\n\r\n")
            while connection.readRequest() != nil { connection.answer(json: "[]") }
        }
        let settings = ProxySettings(environment: ["http_proxy": "http://127.0.0.1:\(proxy.port)", "NO_PROXY": "intranet.example.test"])
        let client = client(try #require(URL(string: "http://api.example.test/api/v1.0")), proxies: settings)
        let users = try await value { client.listUsers(on: testQueue, completion: $0) }
        #expect(users.isEmpty)
        #expect(proxy.requests.first?.hasPrefix("CONNECT api.example.test:80 HTTP/1.1") == true)
        #expect(proxy.requests.dropFirst().first?.hasPrefix("GET /api/v1.0/user?") == true)
    }

    @Test func proxySettingsFollowCurlsVariables() throws {
        let settings = ProxySettings(environment: [
            "HTTPS_PROXY": "http://alice:s%40cret@proxy.corp:3128", "http_proxy": "plain.corp:8080", "no_proxy": "internal.corp, .svc ,*.lan",
        ])
        let api = try #require(URL(string: "https://api.getventia.com/api/v1.0"))
        let https = try #require(settings.proxy(for: api))
        #expect(https.host == "proxy.corp" && https.port == 3128 && https.username == "alice" && https.password == "s@cret")
        #expect(settings.proxy(for: try #require(URL(string: "http://api.getventia.com/")))?.host == "plain.corp")
        #expect(settings.proxy(for: try #require(URL(string: "https://crm.internal.corp/")))?.host == nil)
        #expect(settings.proxy(for: try #require(URL(string: "https://db.svc/")))?.host == nil)
        #expect(settings.proxy(for: try #require(URL(string: "https://printer.lan/")))?.host == nil)
        #expect(settings.proxy(for: try #require(URL(string: "http://127.0.0.1:8080/api/v1.0")))?.host == nil, "loopback is never proxied")
        #expect(settings.proxy(for: try #require(URL(string: "http://localhost:8080/")))?.host == nil)
        #expect(ProxySettings(environment: ["https_proxy": "http://p:1", "NO_PROXY": "*"]).proxy(for: try #require(URL(string: "https://x.com"))) == nil)
        #expect(ProxySettings(environment: ["https_proxy": "socks5://p:1"]).httpsProxy == nil, "a proxy of another kind is not used")
    }
}

/// Waits up to 10 s for `condition`, failing the test if it never holds.
func eventually(_ condition: @escaping @Sendable () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    for _ in 0..<200 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("never came true", sourceLocation: sourceLocation)
}
