import Foundation
import Logging
import GRDB
import Testing
import VentiaAPI
@testable import VentiaServer

/// The server under abuse: writes it cannot keep, bodies too large, callers that never finish,
/// ambiguous keys, bodies of the wrong type. Each test fails without its fix.
@Suite struct ServerHardeningTests {
    static let key = DemoKeys.primaryAccount[0]

    static func firstContact(of service: VentiaAPIService) throws -> String {
        try service.store.inspect { state in state.contacts.values.filter { $0.accountId == state.accounts[0].id }.map(\.id).sorted()[0] }
    }

    // MARK: 1. An acknowledged write is on disk

    /// A note is acknowledged once it is in the file; one that cannot be committed (here another
    /// process holds the file's write lock) is a 500 and leaves nothing behind.
    @Test func aWriteThatCannotBeCommittedIs500AndChangesNothing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ventia-save-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("store.db")
        let service = try makeService(dataFile: file)
        let contact = try Self.firstContact(of: service)
        let notesBefore = raw(service, "GET", "/contact/\(contact)/notes").body.arrayValue?.count ?? -1
        #expect(raw(service, "POST", "/contact/\(contact)/note", json: #"{"body":"kept"}"#).status == 200)
        var holdsLocks = Configuration()
        holdsLocks.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: file.path, configuration: holdsLocks)
        let inFile = try other.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM interaction WHERE contactId = ? AND content LIKE '%kept%'", arguments: [StoredId.argument(contact)])
        }
        #expect(inFile == 1, "the acknowledged note is not in the file another connection reads")

        try other.inDatabase { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        let lost = raw(service, "POST", "/contact/\(contact)/note", json: #"{"body":"never acknowledged"}"#)
        try other.inDatabase { db in try db.execute(sql: "ROLLBACK") }
        #expect(lost.status == 500)
        #expect(lost.body["success"] == false)
        #expect(lost.body["message"]?.stringValue?.contains("not saved") == true)
        let notes = raw(service, "GET", "/contact/\(contact)/notes").body.arrayValue ?? []
        #expect(notes.count == notesBefore + 1, "the refused note is visible although it was never committed")
        #expect(raw(service, "POST", "/contact/\(contact)/note", json: #"{"body":"after"}"#).status == 200, "the store did not recover")
    }

    @Test func aDataFileThatCannotBeCreatedStopsTheStart() {
        let path = "/nonexistent-\(UUID().uuidString)/store.json"
        #expect {
            _ = try makeService(dataFile: URL(fileURLWithPath: path))
        } throws: { error in
            String(describing: error).contains(path)
        }
    }

    // MARK: 2. Bodies past the limit, and no body read without a key

    @Test func anOversizedBodyIsRefusedAndItsConnectionClosed() async throws {
        let live = try await LiveServer.start(contacts: 5, sales: 0)
        defer { Task { await live.stop() } }
        let port = live.server.port
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: VentiaAPIService.maximumBodyBytes + 200_000)
        let rounds = try await onOwnThread { try (0..<24).map { try Self.sendOversizedBody(port: port, body: body, chunked: $0 % 2 == 1) } }
        for (round, outcome) in rounds.enumerated() {
            #expect(outcome.status == 413, "round \(round)")
            #expect(outcome.ending == .closed, "round \(round): the server kept the connection open after its 413")
        }
        // Every refused connection is closed on the server's side too, not only half-closed.
        for _ in 0..<100 where live.server.openConnections > 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(live.server.openConnections == 0, "the server still holds \(live.server.openConnections) of the 24 refused connections")
    }

    /// Writes the whole body before reading, as simple clients do; chunked, the limit is found while reading.
    static func sendOversizedBody(port: Int, body: [UInt8], chunked: Bool) throws -> (status: Int?, ending: RawHTTPConnection.Ending) {
        let connection = try RawHTTPConnection(port: port)
        var head = "POST /api/v1.0/contact?api-key=\(Self.key) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
        head += chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: \(body.count)\r\n\r\n"
        connection.send(head)
        if chunked {
            for start in stride(from: 0, to: body.count, by: 65_536) {
                let piece = body[start..<min(body.count, start + 65_536)]
                guard connection.send(String(piece.count, radix: 16) + "\r\n"), connection.send(Array(piece)), connection.send("\r\n") else { break }
            }
        } else {
            connection.send(body)
        }
        let (answer, ending) = connection.readToEnd()
        return (RawHTTPConnection.status(in: answer), ending)
    }

    @Test func noBodyIsReadBeforeTheKeyIsChecked() async throws {
        let live = try await LiveServer.start(contacts: 5, sales: 0)
        defer { Task { await live.stop() } }
        let port = live.server.port
        let (answer, ending) = try await onOwnThread {
            let connection = try RawHTTPConnection(port: port)
            // A large body is announced and never sent: the answer must not wait for it.
            connection.send(
                "POST /api/v1.0/contact?api-key=AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 900000\r\n\r\n")
            return connection.readToEnd()
        }
        #expect(RawHTTPConnection.status(in: answer) == 401)
        #expect(String(decoding: answer, as: UTF8.self).contains("Unknown API key"))
        #expect(ending == .closed)
    }

    // MARK: 3. Slow clients and many connections

    @Test func connectionsThatNeverFinishTheirHeadersAreClosed() async throws {
        let live = try await LiveServer.start(contacts: 5, sales: 0, idleTimeout: 0.5)
        defer { Task { await live.stop() } }
        let port = live.server.port
        let stillOpen = try await onOwnThread { () -> Int in
            let connections = try (0..<40).map { _ in try RawHTTPConnection(port: port) }
            for connection in connections { connection.send("GET /api/v1.0/contact HTTP/1.1\r\nHost: x\r\nX-Slow: ") }
            var open = connections
            // Up to 10 s: far past the timeout, with room for a loaded 2-core machine running every suite at once.
            for _ in 0..<100 where !open.isEmpty {
                Thread.sleep(forTimeInterval: 0.1)
                open.removeAll { $0.isClosedByPeer }
            }
            return open.count
        }
        #expect(stillOpen == 0, "\(stillOpen) of 40 connections were still open 10 s after a 0.5 s idle timeout")
    }

    @Test func connectionsBeyondTheCapWaitForAFreeOne() async throws {
        let live = try await LiveServer.start(contacts: 5, sales: 0, maximumConnections: 2)
        defer { Task { await live.stop() } }
        let port = live.server.port
        let (held, beyondCap, afterOneClosed) = try await onOwnThread { try Self.holdTwoAndTryAThird(port: port) }
        #expect(held == [200, 200])
        #expect(beyondCap == nil, "a third connection was served beyond the cap of 2")
        #expect(afterOneClosed == 200, "the waiting connection was not served after one closed")
    }

    /// Two kept-alive connections fill a cap of 2; a third waits until one of them closes.
    static func holdTwoAndTryAThird(port: Int) throws -> (held: [Int?], beyondCap: Int?, afterOneClosed: Int?) {
        var holders = try (0..<2).map { _ in try RawHTTPConnection(port: port) }
        let held = holders.map { holder -> Int? in
            holder.send("GET /api/v1.0/group?api-key=\(Self.key) HTTP/1.1\r\nHost: x\r\n\r\n")
            return holder.readStatus()
        }
        let third = try RawHTTPConnection(port: port, readTimeout: 1)
        third.send("GET /api/v1.0/group?api-key=\(Self.key) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let beyondCap = third.readStatus()
        holders.removeFirst()  // closes one
        // Served once a slot frees: on a loaded machine that may take more than one read's second.
        var afterOneClosed: Int?
        for _ in 0..<10 where afterOneClosed == nil { afterOneClosed = third.readStatus() }
        return (held, beyondCap, afterOneClosed)
    }

    // MARK: 4. One key per request; one page and one limit

    @Test func ambiguousCredentialsAre401() throws {
        let service = try makeService()
        let other = DemoKeys.secondaryAccount[0]
        let twoQueryKeys = raw(service, "GET", "/contact?api-key=\(other)")
        #expect(twoQueryKeys.status == 401 && twoQueryKeys.body["success"] == false)
        #expect(twoQueryKeys.body["message"]?.stringValue?.contains("Ambiguous") == true)
        let twoHeaders = raw(service, "GET", "/contact", key: nil, headers: [("X-API-KEY", Self.key), ("X-API-KEY", other)])
        #expect(twoHeaders.status == 401)
        let disagreeing = raw(service, "GET", "/contact", headers: [("X-API-KEY", other)])
        #expect(disagreeing.status == 401)
        // The same key both ways is what the client sends, and is fine.
        #expect(raw(service, "GET", "/contact", headers: [("X-API-KEY", Self.key)]).status == 200)
    }

    @Test func aRepeatedPageOrLimitIs400() throws {
        let service = try makeService()
        let page = raw(service, "GET", "/contact?page=0&page=1")
        #expect(page.status == 400 && page.body["errors"]?[0]?["field"] == "page")
        #expect(raw(service, "GET", "/sale?limit=5&limit=10").status == 400)
        #expect(raw(service, "GET", "/contact?page=1&limit=5").status == 200)
    }

    // MARK: 5. JSON bodies only

    @Test func aBodyIsReadOnlyWhenItIsJSON() throws {
        let service = try makeService()
        let contact = try Self.firstContact(of: service)
        let note = #"{"body":"hola"}"#
        for type in ["text/plain", "application/x-www-form-urlencoded"] {
            let answer = raw(service, "POST", "/contact/\(contact)/note", json: note, contentType: type)
            #expect(answer.status == 400, "\(type)")
            #expect(answer.body["message"]?.stringValue?.contains("application/json") == true)
        }
        #expect(raw(service, "POST", "/contact/\(contact)/note", json: note, contentType: nil).status == 400)
        let latin = raw(service, "POST", "/contact/\(contact)/note", json: note, contentType: "application/json; charset=iso-8859-1")
        #expect(latin.status == 415 && latin.body["success"] == false)
        #expect(raw(service, "POST", "/contact/\(contact)/note", json: note, contentType: "Application/JSON; Charset=\"UTF-8\"").status == 200)
    }

    // MARK: 6. --verbose logs each request

    @Test func eachRequestIsLoggedWithoutItsKey() throws {
        let lines = LogLines()
        var logger = Logger(label: "ventia-server", factory: { _ in lines })
        logger.logLevel = .info
        let service = try makeService(logger: logger)
        let atStart = lines.all
        #expect(atStart.count == 1 && atStart.allSatisfy { $0.hasPrefix("seeded 40 contacts in memory in ") }, "the start logs how long seeding took: \(atStart)")
        _ = raw(service, "GET", "/contact?limit=3")
        _ = raw(service, "GET", "/contact", key: "AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD")
        let logged = Array(lines.all.dropFirst(atStart.count))
        #expect(logged.count == 2)
        let first = try #require(logged.first)
        #expect(first.hasPrefix("GET /api/v1.0/contact?limit=3&api-key=[redacted] 200 account=Inmobiliaria Rambla "), "\(first)")
        #expect(first.hasSuffix("ms"))
        #expect(logged.last?.hasPrefix("GET /api/v1.0/contact?api-key=[redacted] 401 account=- ") == true, "\(logged)")
        #expect(!logged.joined().contains("DEMO0A1") && !logged.joined().contains("AAAAAAA"))
    }

    // MARK: 7. Trailing slashes and empty segments

    @Test func oneTrailingSlashIsTheSamePathAndEmptySegmentsAreNone() throws {
        let service = try makeService()
        let contact = try Self.firstContact(of: service)
        #expect(raw(service, "GET", "/contact/").status == 200)
        #expect(raw(service, "GET", "/contact/\(contact)/").status == 200)
        #expect(raw(service, "GET", "//contact").status == 404)
        #expect(raw(service, "GET", "/contact//\(contact)").status == 404)
        #expect(raw(service, "GET", "/contact//").status == 404)
        #expect(raw(service, "GET", "/").status == 404)
    }
}

/// Keeps what a logger writes, one line a message.
final class LogLines: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    var all: [String] { lock.withLock { lines } }

    func log(event: LogEvent) {
        lock.withLock { lines.append(event.message.description) }
    }
}
