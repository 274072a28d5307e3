import Foundation
import GRDB
import Testing
import VentiaAPI
@testable import VentiaServer

/// `--data`: what was acknowledged survives the process dying, and a damaged file is never replaced.
@Suite(.serialized) struct DataFileDurabilityTests {
    static let key = DemoKeys.primaryAccount[0]

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ventia-durability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aCorruptOrTruncatedDataFileIsRefusedAndLeftAsItIs() throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.appendingPathComponent("store.db")
        _ = try makeService(dataFile: file)
        try DatabaseQueue(path: file.path).writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        let whole = try Data(contentsOf: file)
        var scrambled = whole
        scrambled.replaceSubrange(4096..<whole.count, with: Data(repeating: 0xA5, count: whole.count - 4096))
        let cases: [(Data, String)] = [
            (whole.prefix(whole.count / 2), "it is cut short"), (Data("not a database at all".utf8), "neither a ventia-server database"),
            (Data([0xFF, 0xFE, 0x00]), "neither a ventia-server database"), (scrambled, "damaged"),
            (Data("{\"formatVersion\": 1, \"accounts\": [".utf8), "cannot use the data file"),
        ]
        for (damaged, reason) in cases {
            try damaged.write(to: file)
            #expect {
                _ = try makeService(dataFile: file)
            } throws: { error in
                let text = String(describing: error)
                return text.hasPrefix("cannot use the data file \(file.path): ") && text.contains(reason)
            }
            #expect(try Data(contentsOf: file) == damaged, "the damaged file (\(reason)) was changed")
        }
    }

    /// Another program's SQLite file, or one a newer server migrated, is refused by name and untouched.
    @Test func aForeignOrNewerDatabaseIsRefused() throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(at: home) }
        let foreign = home.appendingPathComponent("foreign.db")
        try DatabaseQueue(path: foreign.path).write { db in try db.execute(sql: "CREATE TABLE notes (body TEXT)") }
        #expect {
            _ = try makeService(dataFile: foreign)
        } throws: { error in
            String(describing: error) == "cannot use the data file \(foreign.path): it is a SQLite database of another program (tables: notes)"
        }
        let newer = home.appendingPathComponent("newer.db")
        _ = try makeService(dataFile: newer)
        try DatabaseQueue(path: newer.path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: from the future')")
        }
        #expect {
            _ = try makeService(dataFile: newer)
        } throws: { error in
            String(describing: error).contains("written by a newer ventia-server (schema v9: from the future)")
        }
    }

    /// A data file of the JSON format (before SQLite) is imported once: the same answers after,
    /// the original kept beside it, and the next start opens the database as it is.
    @Test func aJSONDataFileIsImportedOnce() throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(at: home) }
        let source = try makeService()
        let contact = try #require(raw(source, "GET", "/contact?limit=1").body.arrayValue?.first?["_id"]?.stringValue)
        #expect(raw(source, "POST", "/contact/\(contact)/note", json: #"{"body":"desde JSON"}"#).status == 200)
        let state = try source.store.snapshot()
        let file = home.appendingPathComponent("store.json")
        let json = try VentiaJSON.encoder().encode(state)
        try json.write(to: file)

        let imported = try makeService(dataFile: file)
        #expect(try imported.store.snapshot().contacts.count == state.contacts.count)
        for target in ["/contact?limit=100", "/contact/\(contact)/notes", "/user", "/sale", "/webhook", "/group"] {
            #expect(raw(imported, "GET", target).body == raw(source, "GET", target).body, "\(target) differs after the import")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: file.path + ".json-backup")) == json)
        #expect(try Data(contentsOf: file).starts(with: DataFile.sqliteHeader))
        #expect(raw(imported, "POST", "/contact/\(contact)/note", json: #"{"body":"ya en SQLite"}"#).status == 200)
        let reopened = try makeService(dataFile: file)
        #expect(raw(reopened, "GET", "/contact/\(contact)/notes?limit=1").body.arrayValue?.first?["content"]?["body"] == "ya en SQLite")
        // An imported contact's lead-matching keys follow its edits like a new contact's.
        let agent = try #require(raw(reopened, "GET", "/user?limit=1").body.arrayValue?.first?["_id"]?.stringValue)
        let edit = #"{"firstName":"Importada","lastName":"Editada","emails":[],"phones":["+59899000999"],"detail":"","origin":"web"}"#
        #expect(raw(reopened, "PUT", "/contact/\(contact)", json: edit).status == 200)
        let old = try #require(state.contacts[contact]?.phones.first, "the seeded contact has a phone")
        let lead = raw(
            reopened, "POST", "/lead",
            json: "{\"agent\":\"\(agent)\",\"firstName\":\"Otra\",\"lastName\":\"Persona\",\"emails\":[],\"phones\":[\"\(old)\"],\"detail\":\"\",\"origin\":\"web\"}")
        #expect(lead.status == 200 && lead.body["_id"]?.stringValue != contact, "a lead matched the contact by a phone it no longer has")
        let byNewPhone = raw(
            reopened, "POST", "/lead",
            json: "{\"agent\":\"\(agent)\",\"firstName\":\"Misma\",\"lastName\":\"Persona\",\"emails\":[],\"phones\":[\"+598 99 000 999\"],\"detail\":\"\",\"origin\":\"web\"}")
        #expect(byNewPhone.body["_id"]?.stringValue == contact, "a lead did not match the contact by its new phone")
    }

    /// The real binary takes a stream of notes and is killed with SIGKILL in the middle of it; after
    /// a restart every note it answered 200 is there, and the file opens.
    @Test func everyAcknowledgedWriteSurvivesSIGKILL() async throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.appendingPathComponent("store.db")
        let first = try ServerProcess(dataFile: file)
        let contact = try first.firstContactId()
        let acknowledged = try await onOwnThread { () -> [String] in
            var bodies: [String] = []
            for index in 0..<500 {
                let body = "nota \(index)"
                guard let status = try? first.postNote(contact, body: body) else { break }  // the server is gone
                if status == 200 { bodies.append(body) }
                if bodies.count == 25 { first.kill() }  // later requests meet a dead server
            }
            return bodies
        }
        #expect(acknowledged.count >= 25)
        let second = try ServerProcess(dataFile: file)
        defer { second.kill() }
        let kept = try second.noteBodies(contact)
        #expect(acknowledged.allSatisfy(kept.contains), "acknowledged but lost: \(acknowledged.filter { !kept.contains($0) })")
    }
}

/// `ventia-server` started as its own process on a free port.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int

    /// The built `ventia-server` beside the test bundle.
    static var binary: URL {
        let folders = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
            + (Bundle.main.executableURL.map { [$0.deletingLastPathComponent(), $0.deletingLastPathComponent().deletingLastPathComponent()] } ?? [])
        return folders.map { $0.appendingPathComponent("ventia-server") }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/ventia-server")
    }

    init(dataFile: URL) throws {
        process.executableURL = Self.binary
        process.arguments = ["--port", "0", "--contacts", "20", "--sales", "5", "--rate-limit", "100000", "--data", dataFile.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        let announcement = try JSONSerialization.jsonObject(with: line) as? [String: Any]
        guard let port = announcement?["port"] as? Int else { throw ServerProcessError.noPort(String(decoding: line, as: UTF8.self)) }
        self.port = port
    }

    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func request(_ method: String, _ target: String, json: String? = nil) throws -> (status: Int?, body: [UInt8]) {
        let connection = try RawHTTPConnection(port: port)
        let body = Array((json ?? "").utf8)
        var head = "\(method) /api/v1.0\(target)\(target.contains("?") ? "&" : "?")api-key=\(DataFileDurabilityTests.key) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        if json != nil { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        guard connection.send(head + "\r\n"), connection.send(body) else { throw ServerProcessError.gone }
        let (answer, _) = connection.readToEnd()
        guard !answer.isEmpty else { throw ServerProcessError.gone }
        let split = answer.firstRange(of: Array("\r\n\r\n".utf8)).map { answer[$0.upperBound...] } ?? []
        return (RawHTTPConnection.status(in: answer), Array(split))
    }

    func postNote(_ contact: String, body: String) throws -> Int? {
        try request("POST", "/contact/\(contact)/note", json: "{\"body\":\"\(body)\"}").status
    }

    func firstContactId() throws -> String {
        let answer = try request("GET", "/contact?limit=1")
        let list = try JSONDecoder().decode([JSONValue].self, from: Data(answer.body))
        guard let id = list.first?["_id"]?.stringValue else { throw ServerProcessError.gone }
        return id
    }

    func noteBodies(_ contact: String) throws -> Set<String> {
        var bodies: Set<String> = []
        for page in 0..<10 {
            let answer = try request("GET", "/contact/\(contact)/notes?limit=100&page=\(page)")
            let notes = try JSONDecoder().decode([JSONValue].self, from: Data(answer.body))
            bodies.formUnion(notes.compactMap { $0["content"]?["body"]?.stringValue })
            if notes.count < 100 { break }
        }
        return bodies
    }
}

enum ServerProcessError: Error { case noPort(String), gone }
