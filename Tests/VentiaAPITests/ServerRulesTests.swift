import Foundation
import Testing
import VentiaAPI
@testable import VentiaServer

/// The local server's rules, request by request, without a network.
@Suite struct ServerRulesTests {
    let service: VentiaAPIService
    let clock = ManualClock()
    let contactId: String
    let otherAccountContactId: String

    init() throws {
        service = try makeService(clock: clock)
        let ids = try service.store.inspect { state in
            (
                state.contacts.values.filter { $0.accountId == state.accounts[0].id }.map(\.id).sorted()[0],
                state.contacts.values.filter { $0.accountId == state.accounts[1].id }.map(\.id).sorted()[0]
            )
        }
        (contactId, otherAccountContactId) = ids
    }

    @Test func missingMalformedAndUnknownKeysAre401() {
        let missing = raw(service, "GET", "/contact", key: nil)
        #expect(missing.status == 401 && missing.body["success"] == false)
        #expect(missing.body["message"]?.stringValue?.contains("Missing") == true)
        #expect(raw(service, "GET", "/contact", key: "abc").body["message"]?.stringValue?.contains("Malformed") == true)
        #expect(raw(service, "GET", "/contact", key: "AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD").body["message"] == "Unknown API key")
        let header = service.handle(
            ServerRequest(method: "GET", target: VentiaAPIService.basePath + "/user", headers: ["X-API-KEY": DemoKeys.primaryAccount[1]]))
        #expect(header.status == 200)
    }

    @Test func anotherAccountsResourcesAre404() throws {
        #expect(raw(service, "GET", "/contact/\(otherAccountContactId)").status == 404)
        #expect(raw(service, "POST", "/contact/\(otherAccountContactId)/note", json: #"{"body":"x"}"#).status == 404)
        #expect(raw(service, "GET", "/contact/\(otherAccountContactId)/interactions").status == 404)
        #expect(raw(service, "GET", "/contact/\(otherAccountContactId)", key: DemoKeys.secondaryAccount[1]).status == 200)
        let otherSale = try #require(try service.store.inspect { state in state.sales.values.first { $0.accountId == state.accounts[1].id }?.id })
        #expect(raw(service, "GET", "/sale/\(otherSale)").status == 404)
        #expect(raw(service, "PUT", "/sale/\(otherSale)", json: #"{"status":"SOLD"}"#).status == 404)
        let otherUser = try #require(try service.store.inspect { state in state.users.values.first { $0.accountId == state.accounts[1].id }?.id })
        #expect(raw(service, "GET", "/user/\(otherUser)").status == 404)
        let inactive = try #require(try service.store.inspect { state in state.users.values.first { !$0.active && $0.accountId == state.accounts[0].id }?.id })
        #expect(raw(service, "GET", "/user/\(inactive)").status == 404)
        #expect(raw(service, "POST", "/contact/\(contactId)/transfer", json: "{\"to\":\"\(inactive)\"}").status == 400)
    }

    @Test func unknownPathsAndWrongMethods() {
        #expect(raw(service, "GET", "/nothing").status == 404)
        let wrong = raw(service, "DELETE", "/contact/\(contactId)")
        #expect(wrong.status == 405 && wrong.headers["Allow"] == "GET, PUT")
        #expect(raw(service, "GET", "/contact/not-an-id").body["errors"]?[0]?["field"] == "idcontact")
        #expect(raw(service, "GET", "/contact/not-an-id").status == 400)
    }

    @Test func malformedBodiesAre400NotCrashes() {
        for body in ["", "not json", "[1,2]", "\"text\"", "{\"body\": 5}", "{\"body\": \"\"}", "{\"body\": null}"] {
            let answer = raw(service, "POST", "/contact/\(contactId)/note", json: body)
            #expect(answer.status == 400, "body \(body)")
            #expect(answer.body["message"]?.stringValue?.isEmpty == false)
        }
        let typed = raw(service, "POST", "/contact/\(contactId)/note", json: #"{"body": 5}"#)
        #expect(typed.body["errors"]?[0]?["field"] == "body")
        #expect(typed.body["errors"]?[0]?["message"] == "must be a string, not a number")
    }

    /// The three requests schemathesis found accepted against the document (ST201): `null` where a
    /// value is asked for is refused, and nothing changes; `null` still clears `phone_work`.
    @Test func nullIsNoValueWhereTheReferenceAsksForOne() throws {
        let (userId, webhookId) = try service.store.inspect { state in
            (state.users.values.filter { $0.accountId == state.accounts[0].id && $0.active }.map(\.id).sorted()[0],
             state.webhooks.values.filter { $0.accountId == state.accounts[0].id }.map(\.id).sorted()[0])
        }
        let before = raw(service, "GET", "/user/\(userId)").body
        let user = raw(service, "PATCH", "/user/\(userId)", json: #"{"name": "00", "lastname": "0", "email": null, "phone_work": "", "roles": []}"#)
        #expect(user.status == 400 && user.body["errors"]?[0]?["field"] == "email")
        #expect(raw(service, "GET", "/user/\(userId)").body == before, "nothing of it was applied")
        let hook = raw(service, "PATCH", "/webhook/\(webhookId)", json: #"{"active": false, "name": "0", "callbackUrl": null, "topics": []}"#)
        #expect(hook.status == 400 && hook.body["errors"]?[0]?["field"] == "callbackUrl")
        let created = raw(service, "POST", "/user", json: #"{"name": "00", "lastname": "0", "email": "0@0.com", "password": "pass1234", "phone_work": "", "roles": null}"#)
        #expect(created.status == 400 && created.body["errors"]?[0]?["field"] == "roles")
        #expect(created.body["errors"]?[0]?["message"] == "must be an array of strings, not null (leave it out instead)")
        let cleared = raw(service, "PATCH", "/user/\(userId)", json: #"{"phone_work": null}"#)
        #expect(cleared.status == 200 && cleared.body["phone_work"] == .null)
    }

    /// The contact list's pages are kept between writes: what a write changes is on the next page
    /// asked for (a note moves its contact, a renamed user's name shows as agentFullName).
    @Test func aKeptPageNeverOutlivesAWrite() throws {
        let first = raw(service, "GET", "/contact?page=0&limit=100")
        #expect(raw(service, "GET", "/contact?page=0&limit=100").body == first.body, "the same page, kept")
        let last = try #require(first.body.arrayValue?.last?["_id"]?.stringValue)
        #expect(raw(service, "POST", "/contact/\(last)/note", json: #"{"body": "moves it up"}"#).status == 200)
        let after = raw(service, "GET", "/contact?page=0&limit=100").body
        #expect(after.arrayValue?.first?["_id"]?.stringValue == last, "the noted contact comes first")
        let agent = try #require(after.arrayValue?.first?["agent"]?.stringValue)
        #expect(raw(service, "PATCH", "/user/\(agent)", json: #"{"name": "Renombrada"}"#).status == 200)
        let renamed = raw(service, "GET", "/contact?page=0&limit=100").body
        #expect(renamed.arrayValue?.first?["agentFullName"]?.stringValue?.hasPrefix("Renombrada ") == true)

        // A page written from a state a write replaced meanwhile is not kept.
        let cache = ContactPageCache()
        let key = ContactPageCache.Key(account: "a", page: 0, limit: 100)
        let before = cache.generation
        cache.storeChanged()
        cache.keep([1, 2, 3], for: key, writtenAt: before)
        #expect(cache.page(key) == nil)
        cache.keep([4], for: key, writtenAt: cache.generation)
        #expect(cache.page(key) == [4])
        cache.storeChanged()
        #expect(cache.page(key) == nil)
    }

    /// An upsert's fields are all optional for a sale that exists (`{}` changes nothing); a new id
    /// needs the fields a new sale needs (the random fuzzing run found the document asking more).
    @Test func anUpsertOfAnExistingSaleTakesAnyFieldsANewOneTheCoreOnes() throws {
        let saleId = try #require(try service.store.inspect { state in
            state.sales.values.filter { $0.accountId == state.accounts[0].id && !$0.lock }.map(\.id).sorted().first
        })
        let before = raw(service, "GET", "/sale/\(saleId)").body
        #expect(raw(service, "PUT", "/sale/\(saleId)", json: "{}").status == 200)
        #expect(raw(service, "GET", "/sale/\(saleId)").body["status"] == before["status"])
        let fresh = raw(service, "PUT", "/sale/6955b9000000000000ffffff", json: "{}")
        #expect(fresh.status == 400 && Set(fresh.body["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []) == ["status", "ticket_id", "phone", "user"])
    }

    @Test(arguments: [
        ("/contact", #"{"firstName":"","lastName":"x","emails":[],"phones":[],"detail":"","origin":"web"}"#, "firstName"),
        ("/contact", #"{"firstName":"A","lastName":"x","emails":["bad"],"phones":[],"detail":"","origin":"web"}"#, "emails[0]"),
        ("/contact", #"{"firstName":"A","lastName":"x","emails":[],"phones":["call me"],"detail":"","origin":"web"}"#, "phones[0]"),
        ("/contact", #"{"firstName":"A","lastName":"x","emails":[],"phones":[],"detail":"","origin":"moon"}"#, "origin"),
        ("/contact", #"{"firstName":"A","lastName":"x","emails":[],"phones":[],"origin":"web"}"#, "detail"),
        ("/contact", #"{"firstName":"A","lastName":"x","emails":"a@b.co","phones":[],"detail":"","origin":"web"}"#, "emails"),
        ("/lead", #"{"firstName":"A","lastName":"x","emails":[],"phones":["099123456"],"detail":"","origin":"web","agent":"nope"}"#, "agent"),
        ("/user", #"{"name":"A","lastname":"B","email":"a@b.co","password":"1234"}"#, "name"),
        ("/user", #"{"name":"Ana","lastname":"","email":"a@b.co","password":"1234"}"#, "lastname"),
        ("/user", #"{"name":"Ana","lastname":"B","email":"a@b","password":"1234"}"#, "email"),
        ("/user", #"{"name":"Ana","lastname":"B","email":"a@b.co","password":"123"}"#, "password"),
        ("/user", #"{"name":"Ana","lastname":"B","email":"a@b.co","password":"1234","roles":["admin"]}"#, "roles"),
        ("/user", #"{"name":"Ana","lastname":"B","email":"a@b.co","password":"1234","phone_work":5}"#, "phone_work"),
        ("/sale", #"{"ticket_id":"t","phone":"1","user":"x"}"#, "status"),
        ("/sale", #"{"status":"GONE","ticket_id":"t","phone":"1","user":"x"}"#, "status"),
        ("/sale", #"{"status":"SOLD","ticket_id":"t","phone":"1","user":"x","date_sale":"24-02-2024"}"#, "date_sale"),
        ("/webhook", #"{"active":"yes","name":"n","callbackUrl":"https://a.b"}"#, "active"),
        ("/webhook", #"{"active":true,"name":"n","callbackUrl":"ftp://a.b"}"#, "callbackUrl"),
        ("/leadentry/web-contacto", #"{"firstName":"A"}"#, "phones"),
        ("/leadentry/web-contacto", #"{"emails":["x"]}"#, "emails[0]"),
    ])
    func validationNamesTheField(path: String, body: String, field: String) {
        let answer = raw(service, "POST", path, json: body)
        #expect(answer.status == 400)
        let fields = answer.body["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
        #expect(fields.contains(field), "\(path) \(body) → \(fields)")
    }

    @Test func contactActionRules() {
        #expect(raw(service, "POST", "/contact/\(contactId)/reminder", json: #"{"reminderDate":"2024-01-01"}"#).status == 400)
        #expect(raw(service, "POST", "/contact/\(contactId)/reminder", json: #"{"reminderDate":"2024-01-01T10:00:00Z"}"#).status == 200)
        #expect(raw(service, "POST", "/contact/\(contactId)/archive", json: #"{"reason":"duplicate"}"#).status == 400)  // inactive
        #expect(raw(service, "POST", "/contact/\(contactId)/archive", json: #"{"reason":"nobudget"}"#).status == 200)
        let contact = raw(service, "GET", "/contact/\(contactId)").body
        #expect(contact["status"] == "archived" && contact["archivingReasonText"] == "Sin presupuesto")
    }

    @Test func whatsAppRules() throws {
        let channel = try service.store.inspect { $0.accounts[0].channelIds[0] }
        let emptied = raw(
            service, "PUT", "/contact/\(contactId)", json: #"{"firstName":"Sin","lastName":"Teléfono","emails":[],"phones":[],"detail":"","origin":"web"}"#)
        #expect(emptied.status == 200)
        let noPhone = contactId
        let path = "/whatsapp/\(channel)/\(noPhone)/message"
        #expect(raw(service, "POST", path, json: #"{"message":{"type":"text","text":{"body":"hi"}}}"#).status == 409)
        #expect(raw(service, "POST", "/whatsapp/unknownchannel/\(contactId)/message", json: #"{"message":{"type":"text","text":{"body":"hi"}}}"#).status == 404)
        let cases: [(String, String)] = [
            (#"{"message":{"type":"sticker","sticker":{}}}"#, "message.type"),
            (#"{"message":{"type":"text","text":{"body":""}}}"#, "message.text.body"),
            (#"{"message":{"type":"image","image":{"caption":"x"}}}"#, "message.image"),
            (#"{"message":{"type":"interactive","interactive":{"type":"button","body":{"text":"?"},"action":{"buttons":[]}}}}"#, "message.interactive.action.buttons"),
            (#"{"message":{"type":"interactive","interactive":{"type":"button","body":{"text":"?"},"action":{"buttons":[{"type":"reply","reply":{"id":"1","title":"This title is far too long"}}]}}}}"#, "message.interactive.action.buttons[0].reply.title"),
            (#"{"message":{"type":"location","location":{"latitude":"x"}}}"#, "message.location.longitude"),
            (#"{"message":{"type":"template","template":{"name":"t"}}}"#, "message.template.language.code"),
            (#"{"preview_url":"true"}"#, "message"),
        ]
        for (body, field) in cases {
            let answer = raw(service, "POST", path, json: body)
            #expect(answer.status == 400, "\(body)")
            #expect(answer.body["errors"]?.arrayValue?.contains { $0["field"]?.stringValue == field } == true, "\(body) → \(answer.body)")
        }
    }

    @Test func paginationEdges() {
        #expect(raw(service, "GET", "/contact?page=-1").status == 400)
        #expect(raw(service, "GET", "/contact?limit=0").status == 400)
        #expect(raw(service, "GET", "/contact?limit=101").status == 400)
        #expect(raw(service, "GET", "/contact?limit=abc").body["errors"]?[0]?["field"] == "limit")
        #expect(raw(service, "GET", "/sale?page=0").status == 400)
        #expect(raw(service, "GET", "/contact?page=99999").body == .array([]))
        let all = raw(service, "GET", "/contact?limit=100").body.arrayValue ?? []
        #expect(all.count == 40)
        let short = raw(service, "GET", "/contact?limit=15&page=2").body.arrayValue ?? []
        #expect(short.count == 10)
        let pages = (0..<3).flatMap { raw(service, "GET", "/contact?limit=15&page=\($0)").body.arrayValue ?? [] }
        #expect(pages.compactMap { $0["_id"]?.stringValue } == all.compactMap { $0["_id"]?.stringValue })
        #expect(raw(service, "GET", "/contact?page=0&limit=100", key: DemoKeys.secondaryAccount[0]).body.arrayValue?.isEmpty == false)
        #expect(raw(service, "GET", "/user?page=5").body == .array([]))
        #expect(raw(service, "GET", "/sale?page=500").body["data"] == .array([]))
        #expect(raw(service, "GET", "/webhook?limit=1").body["result"]?.arrayValue?.count == 1)
    }

    @Test func rateLimitRefusesWithRetryAfterAndForgets401s() throws {
        let limited = try makeService(rateLimit: 3, clock: clock)
        for _ in 0..<5 { _ = raw(limited, "GET", "/contact", key: "AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD") }
        for key in [DemoKeys.primaryAccount[0], DemoKeys.primaryAccount[1], DemoKeys.primaryAccount[0]] {
            #expect(raw(limited, "GET", "/group", key: key).status == 200)
            clock.advance(by: 10)
        }
        let refused = raw(limited, "GET", "/group", key: DemoKeys.primaryAccount[1])
        #expect(refused.status == 429 && refused.headers["Retry-After"] == "30")
        #expect(refused.headers["X-RateLimit-Remaining"] == "0")
        #expect(raw(limited, "GET", "/group", key: DemoKeys.secondaryAccount[0]).status == 200)
        clock.advance(by: 30)
        let again = raw(limited, "GET", "/group", key: DemoKeys.primaryAccount[1])
        #expect(again.status == 200 && again.headers["X-RateLimit-Remaining"] == "0")
    }

    @Test func rateHeadersCanBeTurnedOff() throws {
        let quiet = try VentiaLocalServer.makeService(ServerConfiguration(contactCount: 5, sendsRateHeaders: false, clock: clock)).0
        #expect(raw(quiet, "GET", "/group").headers["X-RateLimit-Limit"] == nil)
    }

    @Test func seedingIsDeterministic() throws {
        let fixed = ManualClock()
        let a = try makeService(clock: fixed)
        let b = try makeService(clock: fixed)
        #expect(raw(a, "GET", "/contact?limit=100").body == raw(b, "GET", "/contact?limit=100").body)
        #expect(raw(a, "GET", "/sale?limit=100").body == raw(b, "GET", "/sale?limit=100").body)
        let names = (raw(a, "GET", "/contact?limit=100").body.arrayValue ?? []).compactMap { $0["lastName"]?.stringValue }
        #expect(names.contains { $0.contains("á") || $0.contains("é") || $0.contains("í") || $0.contains("ñ") || $0.contains("ú") })
        let phones = (raw(a, "GET", "/contact?limit=100").body.arrayValue ?? []).compactMap { $0["phones"]?[0]?.stringValue }
        #expect(phones.allSatisfy { $0.hasPrefix("+598") })
    }
}

extension JSONValue {
    subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, index < array.count else { return nil }
        return array[index]
    }
}
