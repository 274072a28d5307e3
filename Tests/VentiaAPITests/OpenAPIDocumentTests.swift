import Foundation
import Testing
import VentiaAPI
import Yams
@testable import VentiaServer

/// `Sources/VentiaServer/OpenAPI/openapi.yaml` against what the client expects (the reference's
/// sample answers), what the server answers, and the client's endpoint table: none can drift apart.
@Suite struct OpenAPIDocumentTests {
    let document: [String: Any]

    init() throws {
        let text = String(decoding: VentiaAPIService.openAPIDocument, as: UTF8.self)
        document = try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    var paths: [String: Any] { document["paths"] as? [String: Any] ?? [:] }

    /// The schema of the answer `status` to `method path`, as the document gives it.
    func answerSchema(_ method: String, _ path: String, _ status: Int) throws -> [String: Any] {
        let operation = try #require((paths[path] as? [String: Any])?[method.lowercased()] as? [String: Any], "\(method) \(path) is not in the document")
        var response = try #require((operation["responses"] as? [String: Any])?[String(status)] as? [String: Any], "\(method) \(path) has no \(status)")
        if let ref = response["$ref"] as? String { response = try #require(SchemaCheck(document: document).resolve(ref)) }
        let content = try #require(response["content"] as? [String: Any])
        return try #require((content["application/json"] as? [String: Any])?["schema"] as? [String: Any])
    }

    @Test func everyEndpointOfTheClientIsInTheDocument() {
        for endpoint in Endpoint.allCases {
            let operation = (paths[endpoint.route.path] as? [String: Any])?[endpoint.method.rawValue.lowercased()]
            #expect(operation != nil, "\(endpoint.method.rawValue) \(endpoint.route.path) is missing")
        }
        let documented = paths.flatMap { path, item in ((item as? [String: Any]) ?? [:]).keys.filter { $0 != "parameters" }.map { "\($0.uppercased()) \(path)" } }
        #expect(documented.count == Endpoint.allCases.count + 1, "the 28 endpoints and the document itself")
    }

    /// Each of the reference's sample answers is valid against its operation's answer schema.
    @Test(arguments: [
        ("contact-list", "GET", "/contact"), ("contact-get", "GET", "/contact/{idcontact}"), ("contact-create", "POST", "/contact"),
        ("contact-modify", "PUT", "/contact/{idcontact}"), ("interactions-list", "GET", "/contact/{idcontact}/interactions"),
        ("notes-list", "GET", "/contact/{idcontact}/notes"), ("note-create", "POST", "/contact/{idcontact}/note"),
        ("archive", "POST", "/contact/{idcontact}/archive"), ("transfer", "POST", "/contact/{idcontact}/transfer"),
        ("reminder", "POST", "/contact/{idcontact}/reminder"), ("lead-create", "POST", "/lead"), ("leadentry-create", "POST", "/leadentry/{code}"),
        ("users-list", "GET", "/user"), ("user-create", "POST", "/user"), ("user-get", "GET", "/user/{id}"), ("user-patch", "PATCH", "/user/{id}"),
        ("user-put", "PUT", "/user/{id}"), ("groups-list", "GET", "/group"), ("sales-list", "GET", "/sale"), ("sale-create", "POST", "/sale"),
        ("sale-get", "GET", "/sale/{id}"), ("sale-patch", "PATCH", "/sale/{id}"), ("sale-upsert", "PUT", "/sale/{id}"),
        ("whatsapp-send", "POST", "/whatsapp/{channelId}/{contactId}/message"), ("webhooks-list", "GET", "/webhook"),
        ("webhook-create", "POST", "/webhook"), ("webhook-get", "GET", "/webhook/{id}"), ("webhook-update", "PATCH", "/webhook/{id}"),
    ])
    func theReferenceSamplesMatchTheDocument(fixtureName: String, method: String, path: String) throws {
        let sample = try VentiaJSON.decode(JSONValue.self, from: try fixture(fixtureName))
        let problems = SchemaCheck(document: document).problems(sample, try answerSchema(method, path, 200), at: fixtureName)
        #expect(problems.isEmpty, "\(problems)")
    }

    /// The document's examples and its links' bodies name what `ventia-server` (seed 1, its default
    /// counts) holds, so that the fuzzer gets past the 404 of a random id: each is answered 200.
    @Test func theExamplesAndTheLinksBodiesNameWhatTheSeededServerHolds() throws {
        let service = try VentiaLocalServer.makeService(ServerConfiguration(seed: 1, contactCount: 500, saleCount: 200, rateLimit: 10_000)).0
        let parameters = try #require((document["components"] as? [String: Any])?["parameters"] as? [String: Any])
        func example(_ name: String) throws -> String { try #require((parameters[name] as? [String: Any])?["example"] as? String, "\(name)") }
        let whatsApp = try #require((paths["/whatsapp/{channelId}/{contactId}/message"] as? [String: Any])?["parameters"] as? [[String: Any]])
        let channel = try #require(whatsApp.first { $0["name"] as? String == "channelId" }?["example"] as? String)
        let code = try #require(((paths["/leadentry/{code}"] as? [String: Any])?["parameters"] as? [[String: Any]])?.first?["example"] as? String)
        let contact = try example("idcontact")
        #expect(raw(service, "GET", "/contact/\(contact)").status == 200)
        #expect(raw(service, "GET", "/user/\(try example("userId"))").status == 200)
        #expect(raw(service, "GET", "/webhook/\(try example("webhookId"))").status == 200)
        #expect(raw(service, "PATCH", "/sale/\(try example("saleId"))", json: #"{"status": "SOLD"}"#).status == 200, "an unlocked sale")
        #expect(raw(service, "POST", "/leadentry/\(code)", json: #"{"firstName": "Ana", "lastName": "Pérez", "phones": ["+59899123456"]}"#).status == 200)

        // Each link's body, sent where the link leads, to the example contact.
        var bodies: [String: Any] = [:]
        for (_, item) in paths {
            for (_, operation) in (item as? [String: Any]) ?? [:] {
                let links = (((operation as? [String: Any])?["responses"] as? [String: Any])?["200"] as? [String: Any])?["links"] as? [String: Any] ?? [:]
                for (_, link) in links {
                    guard let link = link as? [String: Any], let target = link["operationId"] as? String, let body = link["requestBody"] else { continue }
                    bodies[target] = body
                }
            }
        }
        #expect(Set(bodies.keys) == ["archiveContact", "transferContact", "replaceContact", "sendWhatsAppMessage"])
        func json(_ value: Any?) throws -> String { String(decoding: try JSONSerialization.data(withJSONObject: try #require(value)), as: UTF8.self) }
        #expect(raw(service, "PUT", "/contact/\(contact)", json: try json(bodies["replaceContact"])).status == 200)
        #expect(raw(service, "POST", "/whatsapp/\(channel)/\(contact)/message", json: try json(bodies["sendWhatsAppMessage"])).status == 200)
        #expect(raw(service, "POST", "/contact/\(contact)/transfer", json: try json(bodies["transferContact"])).status == 200)
        #expect(raw(service, "POST", "/contact/\(contact)/archive", json: try json(bodies["archiveContact"])).status == 200)
    }

    /// Every link leads to an operation of the document, with parameters that operation takes.
    @Test func everyLinkLeadsSomewhere() throws {
        var operations: [String: Set<String>] = [:]
        for (path, item) in paths {
            let item = (item as? [String: Any]) ?? [:]
            let shared = ((item["parameters"] as? [[String: Any]]) ?? [])
            for (_, operation) in item {
                guard let operation = operation as? [String: Any], let id = operation["operationId"] as? String else { continue }
                let own = (operation["parameters"] as? [[String: Any]]) ?? []
                let refs = (shared + own).compactMap { parameter -> String? in
                    if let name = parameter["name"] as? String { return name }
                    guard let ref = parameter["$ref"] as? String else { return nil }
                    return (SchemaCheck(document: document).resolve(ref))?["name"] as? String
                }
                operations[id] = Set(refs + path.split(separator: "{").dropFirst().compactMap { $0.split(separator: "}").first.map(String.init) })
            }
        }
        var count = 0
        for (_, item) in paths {
            for (_, operation) in (item as? [String: Any]) ?? [:] {
                let links = (((operation as? [String: Any])?["responses"] as? [String: Any])?["200"] as? [String: Any])?["links"] as? [String: Any] ?? [:]
                for (name, link) in links {
                    let link = try #require(link as? [String: Any])
                    let target = try #require(link["operationId"] as? String)
                    let taken = try #require(operations[target], "\(name) leads to no operation")
                    let given = Set(((link["parameters"] as? [String: Any]) ?? [:]).keys)
                    #expect(given.isSubset(of: taken), "\(name): \(given) not all taken by \(target)")
                    count += 1
                }
            }
        }
        #expect(count >= 40)
    }

    /// What this server answers, successes and refusals, is what the document says.
    @Test func theServersAnswersMatchTheDocument() throws {
        let clock = ManualClock()
        let service = try makeService(rateLimit: 40, clock: clock)
        let (contact, user, sale) = try service.store.inspect { state in
            let account = state.accounts[0].id
            return (
                state.contacts.values.filter { $0.accountId == account }.map(\.id).sorted()[0],
                state.users.values.filter { $0.accountId == account && $0.active }.map(\.id).sorted()[0],
                state.sales.values.filter { $0.accountId == account }.map(\.id).sorted()[0]
            )
        }
        let cases: [(String, String, String, Int, String?)] = [
            ("GET", "/contact?limit=3", "/contact", 200, nil), ("GET", "/contact/\(contact)", "/contact/{idcontact}", 200, nil),
            ("GET", "/contact/\(contact)/interactions", "/contact/{idcontact}/interactions", 200, nil),
            ("GET", "/contact/\(contact)/notes", "/contact/{idcontact}/notes", 200, nil),
            ("POST", "/contact/\(contact)/note", "/contact/{idcontact}/note", 200, #"{"body":"hola"}"#),
            ("GET", "/user", "/user", 200, nil), ("GET", "/user/\(user)", "/user/{id}", 200, nil), ("GET", "/group", "/group", 200, nil),
            ("GET", "/sale?limit=5", "/sale", 200, nil), ("GET", "/sale/\(sale)", "/sale/{id}", 200, nil), ("GET", "/webhook", "/webhook", 200, nil),
            ("POST", "/sale", "/sale", 200, "{\"status\":\"sold\",\"ticket_id\":\"T-1\",\"phone\":\"+59899123456\",\"user\":\"\(user)\"}"),
            ("GET", "/contact/\(String(repeating: "0", count: 24))", "/contact/{idcontact}", 404, nil),
            ("GET", "/contact?page=-1", "/contact", 400, nil), ("POST", "/contact/\(contact)/note", "/contact/{idcontact}/note", 400, #"{"body":""}"#),
        ]
        for (method, target, path, status, body) in cases {
            let answer = raw(service, method, target, json: body)
            #expect(answer.status == status, "\(method) \(target)")
            let problems = SchemaCheck(document: document).problems(answer.body, try answerSchema(method, path, status), at: "\(method) \(target)")
            #expect(problems.isEmpty, "\(problems)")
        }
        let unauthorized = raw(service, "GET", "/contact", key: "AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD")
        #expect(SchemaCheck(document: document).problems(unauthorized.body, try answerSchema("GET", "/contact", 401), at: "401").isEmpty)
        var limited = raw(service, "GET", "/group")
        while limited.status != 429 { limited = raw(service, "GET", "/group") }
        #expect(limited.headers["Retry-After"].flatMap { Int($0) } ?? 0 >= 1, "the 429 carries Retry-After")
        #expect(SchemaCheck(document: document).problems(limited.body, try answerSchema("GET", "/group", 429), at: "429").isEmpty)
    }

    @Test func theDocumentIsServedWithoutAKey() throws {
        let service = try makeService()
        let answer = service.handle(ServerRequest(method: "GET", target: VentiaAPIService.documentPath))
        #expect(answer.status == 200)
        #expect(answer.headers["Content-Type"] == "application/yaml; charset=utf-8")
        #expect(answer.body == VentiaAPIService.openAPIDocument)
        #expect(String(decoding: answer.body, as: UTF8.self).hasPrefix("openapi: 3.1.0"))
    }

    /// The webhook events the server sends match the `WebhookEvent` the document gives them.
    @Test func webhookEventsMatchTheDocument() throws {
        let service = try makeService()
        let check = SchemaCheck(document: document)
        let schema = try #require(check.resolve("#/components/schemas/WebhookEvent"))
        #expect((document["webhooks"] as? [String: Any])?.keys.sorted() == WebhookTopic.all.sorted())
        let account = try #require(service.store.catalog.accounts.first)
        let events = try service.store.read { state throws(APIFailure) -> [WebhookEvent] in
            guard let contact = try state.contactWithPhone(of: account, pick: { _ in 0 }),
                let interaction = try state.interactionPage(of: contact.id, onlyNotes: false, page: 0, size: 1).first
            else { return [] }
            return [
                try state.webhookEvent(WebhookTopic.officialWhatsApp, account: account, contact: contact, interaction: interaction, now: Date()),
                try state.webhookEvent(
                    WebhookTopic.officialWhatsAppStatuses, account: account, contact: contact, interaction: interaction,
                    status: ["id": "wamid.x", "status": "read", "timestamp": .date(Date())], now: Date()),
            ]
        }
        #expect(events.count == 2)
        for event in events {
            guard case .object(var body) = event.body else { Issue.record("not an object"); continue }
            body["webhook"] = ["id": "h", "name": "A"]  // added per hook on delivery
            #expect(check.problems(.object(body), schema, at: "event") == [])
        }
        #expect(check.problems(["topic": "elsewhere"], schema, at: "e").isEmpty == false)
    }

    /// The checker itself refuses what it should, so a passing check means something.
    @Test func theCheckerRefusesWrongShapes() throws {
        let check = SchemaCheck(document: document)
        let user = try answerSchema("GET", "/user/{id}", 200)
        #expect(check.problems(["_id": "x", "firstLogin": 3], user, at: "u") == ["u.firstLogin: matches none of its 2 shapes"])
        #expect(check.problems(["name": "x"], user, at: "u") == ["u: lacks _id"])
        #expect(check.problems(.array([]), user, at: "u") == ["u: is an array, not object"])
        let sale = try answerSchema("GET", "/sale/{id}", 200)
        #expect(check.problems(["_id": "x", "user": ["name": "A"]], sale, at: "s") == ["s.user: matches none of its 2 shapes"])
        #expect(check.problems(["success": true, "message": "x"], try answerSchema("GET", "/contact", 401), at: "e") == ["e.success: is not false"])
    }
}

/// A JSON-Schema check of the parts the document uses: `$ref`, `type` (one or several), `const`,
/// `enum`, `properties`, `required`, `items`, `oneOf`, `anyOf`, `allOf`.
@Suite struct SchemaCheckTests {
    let check = SchemaCheck(document: [:])

    @Test func eachRuleItImplementsRefusesAndAnyOtherKeywordFails() {
        let text: [String: Any] = ["type": "string", "minLength": 2, "maxLength": 4, "pattern": "^[a-z]+$"]
        #expect(check.problems(.string("abc"), text, at: "v").isEmpty)
        #expect(check.problems(.string("a"), text, at: "v") == ["v: is shorter than 2"])
        #expect(check.problems(.string("abcde"), text, at: "v") == ["v: is longer than 4"])
        #expect(check.problems(.string("AB"), text, at: "v") == ["v: does not match ^[a-z]+$"])
        #expect(check.problems(.number(7), ["type": "integer", "minimum": 1, "maximum": 5], at: "n") == ["n: is above 5.0"])
        #expect(check.problems(.string("2026-12-04T10:00:00.000Z"), ["type": "string", "format": "date-time"], at: "t").isEmpty)
        #expect(check.problems(.string("yesterday"), ["type": "string", "format": "date-time"], at: "t") == ["t: is not a date-time"])
        #expect(check.problems(.string("ana@example"), ["type": "string", "format": "email"], at: "e") == ["e: is not a email"])
        #expect(check.problems(.string("x"), ["type": "string", "format": "uuid"], at: "u") == ["u: the check does not implement format uuid"])
        #expect(check.problems(.object([:]), ["type": "object", "additionalProperties": false], at: "o") == ["o: the check does not implement additionalProperties"])
        #expect(check.problems(.string("x"), ["type": "string", "description": "a note"], at: "d").isEmpty)
    }
}

struct SchemaCheck {
    let document: [String: Any]

    func resolve(_ ref: String) -> [String: Any]? {
        var node: Any? = document
        for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] }
        return node as? [String: Any]
    }

    /// Keywords checked below, and those that only annotate; any other fails the check, so a schema
    /// never passes because a rule in it was not understood.
    static let checkedKeywords: Set<String> = [
        "$ref", "allOf", "anyOf", "oneOf", "const", "enum", "type", "properties", "required", "items",
        "minLength", "maxLength", "pattern", "minimum", "maximum", "format",
    ]
    static let annotations: Set<String> = ["description", "default", "example", "examples", "title"]
    static let formats: Set<String> = ["date-time", "date", "email"]

    func problems(_ value: JSONValue, _ schema: [String: Any], at place: String) -> [String] {
        let unknown = Set(schema.keys).subtracting(Self.checkedKeywords).subtracting(Self.annotations)
        if !unknown.isEmpty { return ["\(place): the check does not implement \(unknown.sorted().joined(separator: ", "))"] }
        if let format = schema["format"] as? String, !Self.formats.contains(format) { return ["\(place): the check does not implement format \(format)"] }
        if let ref = schema["$ref"] as? String {
            guard let target = resolve(ref) else { return ["\(place): unknown \(ref)"] }
            return problems(value, target, at: place)
        }
        if let all = schema["allOf"] as? [[String: Any]] { return all.flatMap { problems(value, $0, at: place) } }
        if let any = schema["anyOf"] as? [[String: Any]] {
            return any.contains { problems(value, $0, at: place).isEmpty } ? [] : ["\(place): matches none of its \(any.count) shapes"]
        }
        if let one = schema["oneOf"] as? [[String: Any]] {
            let matching = one.filter { problems(value, $0, at: place).isEmpty }.count
            return matching == 1 ? [] : ["\(place): matches \(matching == 0 ? "none" : "\(matching)") of its \(one.count) shapes"]
        }
        if let constant = schema["const"], !same(value, constant) { return ["\(place): is not \(constant)"] }
        if let options = schema["enum"] as? [Any], !options.contains(where: { same(value, $0) }) { return ["\(place): is none of \(options)"] }
        let kinds = (schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []
        if !kinds.isEmpty, !kinds.contains(where: { kind($0, holds: value) }) { return ["\(place): is \(value.kindName), not \(kinds.joined(separator: " or "))"] }
        var found = scalarProblems(value, schema, at: place)
        if case .object(let object) = value {
            for name in (schema["required"] as? [String]) ?? [] where object[name] == nil { found.append("\(place): lacks \(name)") }
            for (name, property) in (schema["properties"] as? [String: Any]) ?? [:] {
                if let field = object[name], let property = property as? [String: Any] { found += problems(field, property, at: "\(place).\(name)") }
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] as? [String: Any] {
            for (index, item) in items.enumerated() { found += problems(item, itemSchema, at: "\(place)[\(index)]") }
        }
        return found
    }

    /// Lengths, pattern, bounds and formats of strings and numbers.
    func scalarProblems(_ value: JSONValue, _ schema: [String: Any], at place: String) -> [String] {
        var found: [String] = []
        switch value {
        case .string(let text):
            if let least = schema["minLength"] as? Int, text.count < least { found.append("\(place): is shorter than \(least)") }
            if let most = schema["maxLength"] as? Int, text.count > most { found.append("\(place): is longer than \(most)") }
            if let pattern = schema["pattern"] as? String {
                let matches = (try? NSRegularExpression(pattern: pattern)).map {
                    $0.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                }
                if matches != true { found.append("\(place): does not match \(pattern)") }
            }
            if let format = schema["format"] as? String, !Self.holds(format, text) { found.append("\(place): is not a \(format)") }
        case .number(let number):
            if let least = (schema["minimum"] as? NSNumber)?.doubleValue, number < least { found.append("\(place): is below \(least)") }
            if let most = (schema["maximum"] as? NSNumber)?.doubleValue, number > most { found.append("\(place): is above \(most)") }
        default: break
        }
        return found
    }

    static func holds(_ format: String, _ text: String) -> Bool {
        switch format {
        case "date-time":
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter.date(from: text) != nil || ISO8601DateFormatter().date(from: text) != nil
        case "date":
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate]
            return text.count == 10 && formatter.date(from: text) != nil
        case "email":
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
        default:
            return false
        }
    }

    func kind(_ name: String, holds value: JSONValue) -> Bool {
        switch (name, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null), ("number", .number): return true
        case ("integer", .number(let number)): return number.rounded() == number
        default: return false
        }
    }

    func same(_ value: JSONValue, _ expected: Any) -> Bool {
        switch (value, expected) {
        case (.string(let text), let other as String): return text == other
        case (.bool(let flag), let other as Bool): return flag == other
        case (.number(let number), let other as Int): return number == Double(other)
        default: return false
        }
    }
}
