import Foundation
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
        let file = home.appendingPathComponent("store.json")
        _ = try makeService(dataFile: file)
        let whole = try Data(contentsOf: file)
        for damaged in [whole.prefix(whole.count / 2), Data("not json at all".utf8), Data([0xFF, 0xFE, 0x00])] {
            try damaged.write(to: file)
            #expect {
                _ = try makeService(dataFile: file)
            } throws: { error in
                String(describing: error).hasPrefix("cannot read the data file \(file.path): ")
            }
            #expect(try Data(contentsOf: file) == damaged, "the damaged file was replaced")
        }
    }

    /// The real binary takes a stream of notes and is killed with SIGKILL in the middle of it; after
    /// a restart every note it answered 200 is there, and the file opens.
    @Test func everyAcknowledgedWriteSurvivesSIGKILL() async throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.appendingPathComponent("store.json")
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
