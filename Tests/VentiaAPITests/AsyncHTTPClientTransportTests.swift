import Foundation
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
        #expect(error == .transport(reason: "the connection was lost"))
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
        let started = Date()
        let error = await failure { client(server.baseURL, timeout: 0.5).listContacts(on: testQueue, completion: $0) }
        #expect(error == .timedOut)
        #expect(Date().timeIntervalSince(started) < 5)
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
        #expect(error == .transport(reason: "the connection was lost"))
    }

    /// A cancel closes the connection: the server streaming the answer sees it go.
    @Test func aCancelClosesTheConnection() async throws {
        let server = try ScriptedServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            connection.streamUntilClosed(within: 10)
        }
        let client = client(server.baseURL, timeout: 30)
        let outcome = Locked<VentiaError?>(nil)
        let handle = client.listContacts(on: testQueue) { result in
            if case .failure(let error) = result { outcome.withLock { $0 = error } }
        }
        try await Task.sleep(for: .milliseconds(300))
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
        #expect(error == .transport(reason: "a secure connection could not be made: the server's certificate is not trusted"))
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

/// `openssl s_server` on a loopback port with a certificate it signed itself.
final class SelfSignedTLSServer {
    let port: Int
    private let process: Process
    private let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ventia-tls-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.run([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1",
            "-keyout", folder.appendingPathComponent("key.pem").path, "-out", folder.appendingPathComponent("cert.pem").path,
        ])
        port = try Self.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "s_server", "-quiet", "-accept", "127.0.0.1:\(port)", "-cert", folder.appendingPathComponent("cert.pem").path,
            "-key", folder.appendingPathComponent("key.pem").path,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 where !Self.listening(port) { usleep(50_000) }
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    /// A port nothing listens on now: bound to 0, read, and let go.
    private static func freePort() throws -> Int {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, length) == 0 && getsockname(probe, $0, &length) == 0 }
        }
        guard bound else { throw RawHTTPError.socket(errno) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func listening(_ port: Int) -> Bool {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    private static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw RawHTTPError.socket(process.terminationStatus) }
    }
}
