import Foundation
import Testing
import VentiaAPI
@testable import VentiaServer

/// Every endpoint's answer, byte for byte, for one fixed seed and clock, against a recorded
/// transcript: the store can change underneath, the answers cannot. Re-record (only for a change
/// meant to alter answers) with `RECORD_TRANSCRIPT=1 swift test --filter AnswerTranscriptTests`.
@Suite struct AnswerTranscriptTests {
    static let transcriptFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/answer-transcript.txt")

    @Test func answersAreByteForByteTheRecordedOnes() throws {
        let transcript = try Self.run()
        if ProcessInfo.processInfo.environment["RECORD_TRANSCRIPT"] == "1" {
            try Data(transcript.utf8).write(to: Self.transcriptFile)
            return
        }
        let recorded = try String(decoding: Data(contentsOf: Self.transcriptFile), as: UTF8.self)
        let got = transcript.split(separator: "\n", omittingEmptySubsequences: false)
        let want = recorded.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }
        if let (line, pair) = firstDifference {
            Issue.record("line \(line + 1) differs:\n  got:  \(pair.0.prefix(400))\n  want: \(pair.1.prefix(400))")
        }
        #expect(got.count == want.count, "the transcript has \(got.count) lines; the recorded one \(want.count)")
    }

    /// A script of requests: later steps use ids taken from earlier answers.
    static func run() throws -> String {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
        let service = try VentiaLocalServer.makeService(
            ServerConfiguration(seed: 11, contactCount: 30, saleCount: 12, rateLimit: 10_000, clock: clock)).0
        var lines: [String] = []
        var last = JSONValue.null
        func send(_ method: String, _ target: String, json: String? = nil, key: String = DemoKeys.primaryAccount[0]) {
            clock.advance(by: 1.25)
            let path = VentiaAPIService.basePath + target + (target.contains("?") ? "&" : "?") + "api-key=" + key
            let fields: [(name: String, value: String)] = json == nil ? [] : [(name: "Content-Type", value: "application/json")]
            let response = service.handle(ServerRequest(method: method, target: path, headerFields: fields, body: Data((json ?? "").utf8)))
            last = (try? JSONDecoder().decode(JSONValue.self, from: response.body)) ?? .null
            lines.append("\(method) \(target) \(json ?? "")")
            lines.append("\(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
        func id(_ value: JSONValue?) -> String { value?["_id"]?.stringValue ?? value?.stringValue ?? "000000000000000000000000" }

        send("GET", "/contact?limit=5")
        let contacts = last.arrayValue ?? []
        let first = id(contacts.first)
        let second = id(contacts.dropFirst().first)
        let channel = contacts.lazy.compactMap { $0["channels"]?.arrayValue?.first?.stringValue }.first ?? "x"
        send("GET", "/contact?limit=4&page=2")
        send("GET", "/contact?page=1")
        send("GET", "/contact")
        send("GET", "/contact/\(first)")
        send("GET", "/contact/\(first)/interactions")
        send("GET", "/contact/\(first)/interactions?limit=2&page=1")
        send("GET", "/contact/\(second)/notes")
        send("GET", "/user")
        let users = last.arrayValue ?? []
        let agent = id(users.first)
        let otherAgent = id(users.dropFirst().first)
        send("GET", "/user?limit=2&page=1")
        send("GET", "/user/\(agent)")
        send("GET", "/group")
        send("GET", "/sale")
        let sales = last["data"]?.arrayValue ?? []
        let sale = id(sales.first { $0["lock"] == false })
        send("GET", "/sale?limit=5&page=2")
        send("GET", "/sale/\(sale)")
        send("GET", "/webhook")
        let hook = id(last["result"]?.arrayValue?.first)
        send("GET", "/webhook/\(hook)")
        send("GET", "/contact?limit=3", key: DemoKeys.secondaryAccount[0])

        send("POST", "/contact", json: #"{"firstName":"Ana","lastName":"Pérez","emails":["ana@example.com"],"phones":["+59899111222"],"detail":"nueva","origin":"web"}"#)
        let created = id(last)
        send("PUT", "/contact/\(created)", json: #"{"firstName":"Ana María","lastName":"Pérez","emails":[],"phones":["099 111 222"],"detail":"","origin":"instagram"}"#)
        send("POST", "/contact/\(first)/note", json: #"{"body":"Llamó por la casa de Pocitos"}"#)
        send("POST", "/contact/\(first)/transfer", json: "{\"to\":\"\(otherAgent)\"}")
        send("POST", "/contact/\(first)/reminder", json: #"{"reminderDate":"2026-12-01T10:30:00.000Z"}"#)
        send("POST", "/contact/\(second)/archive", json: #"{"reason":"notinterested"}"#)
        send("POST", "/lead", json: "{\"agent\":\"\(agent)\",\"firstName\":\"Otra\",\"lastName\":\"Vez\",\"emails\":[],\"phones\":[\"+59899111222\"],\"detail\":\"repetida\",\"origin\":\"campaign\"}")
        send("POST", "/lead", json: "{\"agent\":\"\(agent)\",\"firstName\":\"Leo\",\"lastName\":\"Nuevo\",\"emails\":[\"leo@example.com\"],\"phones\":[],\"detail\":\"\",\"origin\":\"campaign\"}")
        send("POST", "/leadentry/web-contacto", json: #"{"firstName":"Eva","lastName":"Luna","phones":["+59899000111"],"additionalData":{"bedrooms":3}}"#)
        send("POST", "/whatsapp/\(channel)/\(first)/message", json: #"{"message":{"type":"text","text":{"body":"hola"}}}"#)
        send("POST", "/whatsapp/\(channel)/\(first)/message", json: #"{"message":{"type":"template","template":{"name":"saludo","language":{"code":"es"}}}}"#)
        send("GET", "/contact?limit=6")
        send("GET", "/contact/\(first)/interactions")
        send("GET", "/contact/\(first)/notes?limit=3")

        send("POST", "/user", json: #"{"name":"Zoe","lastname":"Alvez","email":"zoe.alvez@example.com","password":"secreto","roles":["user"]}"#)
        let newUser = id(last)
        send("PATCH", "/user/\(newUser)", json: #"{"name":"Zoé","phone_work":"099123456"}"#)
        send("PUT", "/user/\(newUser)", json: #"{"name":"Abel","lastname":"Zas","email":"abel@example.com","roles":["user","comercial"]}"#)
        send("POST", "/user", json: #"{"name":"Dup","lastname":"Licado","email":"ABEL@example.com","password":"secreto"}"#)
        send("GET", "/user")
        send("GET", "/user/\(newUser)")

        send("POST", "/sale", json: "{\"status\":\"sold\",\"ticket_id\":\"T-1\",\"phone\":\"099111222\",\"user\":\"\(agent)\",\"date_sale\":\"2026-11-20\"}")
        send("PATCH", "/sale/\(sale)", json: "{\"status\":\"cancelled\",\"user\":\"\(otherAgent)\"}")
        send("PUT", "/sale/\(sale)", json: #"{"product":"Casa","date":"2026/11/02"}"#)
        send("PUT", "/sale/0123456789abcdef01234567", json: "{\"status\":\"PENDING\",\"ticket_id\":\"T-9\",\"phone\":\"1\",\"user\":\"\(agent)\"}")
        send("GET", "/sale?limit=4")
        send("GET", "/sale/0123456789abcdef01234567")

        send("POST", "/webhook", json: #"{"active":false,"name":"Nuevo","callbackUrl":"https://example.com/h","topics":["interactions.official_whatsapp"]}"#)
        let newHook = last["id"]?.stringValue ?? ""
        send("PATCH", "/webhook/\(newHook)", json: #"{"active":true,"name":"Renombrado"}"#)
        send("GET", "/webhook")
        send("GET", "/webhook?limit=1&page=2")
        return lines.joined(separator: "\n") + "\n"
    }
}
