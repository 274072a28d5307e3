import Foundation
import GRDB
import Testing
import VentiaAPI
@testable import VentiaMirror

/// A contact as the API answers it.
func contact(
    _ id: String, _ first: String, _ last: String, phones: [String] = [], emails: [String] = [], updatedAt: String = "2026-11-20T10:00:00.000Z",
    version: Int = 0, detail: String = ""
) throws -> Contact {
    let json: [String: Any] = [
        "_id": id, "firstName": first, "lastName": last, "phones": phones, "emails": emails, "detail": detail,
        "updatedAt": updatedAt, "createdAt": "2026-01-02T03:04:05.678Z", "__v": version, "status": "new", "channels": [],
        "assignedGroups": ["g1"], "stats": ["visits": 2], "agent": "u1", "agentFullName": "Ana Pérez",
    ]
    return try VentiaJSON.decode(Contact.self, from: JSONSerialization.data(withJSONObject: json))
}

func note(_ id: String, _ body: String, at time: String) throws -> Interaction {
    let json = #"{"_id":"\#(id)","type":"note","content":{"body":"\#(body)"},"createdAt":"\#(time)","via":"web"}"#
    return try VentiaJSON.decode(Interaction.self, from: Data(json.utf8))
}

@Suite struct ContactMirrorTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func everyContactComesABatchAtATimeInListOrder() throws {
        let mirror = try ContactMirror.temporary()
        let kept = try (0..<1234).map { index in
            try contact(String(format: "c%05d", index), "N\(index)", "L", updatedAt: String(format: "2026-11-20T10:%02d:%02d.000Z", index / 60 % 60, index % 60))
        }
        try mirror.save(kept, fetchedAt: now)
        var batches: [[ListedContact]] = []
        try mirror.forEachListedContact(withJSON: true, batchSize: 500) { batch in
            batches.append(batch)
            return true
        }
        #expect(batches.map(\.count) == [500, 500, 234])
        let inOrder = try mirror.contacts(offset: 0, limit: .max)
        #expect(batches.flatMap { $0 }.map(\.summary) == inOrder.map(ContactSummary.init), "the columns say what the JSON says")
        #expect(batches.flatMap { $0 }.map { try? VentiaJSON.decode(Contact.self, from: $0.json ?? Data()) } == inOrder)
        var seen = 0
        try mirror.forEachListedContact(withJSON: false, batchSize: 500) { batch in
            seen += batch.count
            #expect(batch.allSatisfy { $0.json == nil })
            return false
        }
        #expect(seen == 500, "false stops it")
    }

    @Test func aListingFiltersAndStopsInTheDatabase() throws {
        let mirror = try ContactMirror.temporary()
        var kept = try (0..<40).map { index in
            try contact("c\(index)", "N\(index)", "", phones: ["+5989900000\(index % 10)", "099 123"], emails: index % 2 == 0 ? [] : ["a@b.uy", "c@d.uy"],
                        updatedAt: String(format: "2026-11-20T10:00:%02d.000Z", index))
        }
        for index in kept.indices where index % 4 == 0 { kept[index].status = "sold" }
        kept[1].agentFullName = nil
        kept[1].reminder = Date(timeIntervalSince1970: 1_795_000_000.25)
        try mirror.save(kept, fetchedAt: now)
        var query = ContactQuery()
        query.statuses = ["sold"]
        var listed: [ListedContact] = []
        try mirror.forEachListedContact(matching: query, limit: 3, withJSON: false) { batch in
            listed += batch
            return true
        }
        #expect(listed.map(\.summary.id) == ["c36", "c32", "c28"])
        var all: [ContactSummary] = []
        try mirror.forEachListedContact(withJSON: false) { batch in
            all += batch.map(\.summary)
            return true
        }
        #expect(all.sorted { $0.id < $1.id } == kept.map(ContactSummary.init).sorted { $0.id < $1.id }, "lists, a missing name and a date's fraction come back")
    }

    @Test func aMirrorKeptBeforeTheListingColumnsListsEveryContact() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mirror-v6-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("mirror.sqlite").path
        let kept = try contact("c1", "Zoë", "Ñandú", phones: ["+59899346003", "+59899346004"], emails: ["zoe@example.com"])
        // A mirror as ventia kept it before mirror-v7: the JSON and the view's columns only.
        do {
            let queue = try DatabaseQueue(path: file)
            var migrator = MirrorSchema.migrator()
            migrator.eraseDatabaseOnSchemaChange = false
            try migrator.migrate(queue, upTo: "mirror-v6-view-index")
            try queue.write { db in
                try db.execute(
                    sql: "INSERT INTO contact (id, updatedAt, version, body, fetchedAt) VALUES (?, ?, ?, ?, ?), ('bad', 1, 0, X'7B', 1)",
                    arguments: ["c1", kept.updatedAt?.timeIntervalSince1970 ?? 0, 0, try VentiaJSON.encoder().encode(kept), 1.0])
            }
        }
        guard case .opened(let mirror, let notice) = ContactMirror.open(MirrorLocation(file: URL(fileURLWithPath: file))) else {
            Issue.record("the mirror did not open")
            return
        }
        #expect(notice == nil, "migrated, not moved aside")
        var listed: [ContactSummary] = []
        try mirror.forEachListedContact(withJSON: false) { batch in
            listed += batch.map(\.summary)
            return true
        }
        #expect(listed == [ContactSummary(kept)], "filled from the JSON; a row whose JSON does not decode is left out")
    }

    @Test func contactsAndTimelinesComeBackAsTheyWereKept() throws {
        let mirror = try ContactMirror.temporary()
        let kept = try contact("c1", "Zoë", "Ñandú", phones: ["+59899346003"], emails: ["zoe@example.com"], version: 3, detail: "línea\nnueva")
        try mirror.save([kept], fetchedAt: now)
        #expect(try mirror.contact(id: "c1") == kept)
        var patched = kept
        patched.detail = "changed locally, same updatedAt"
        try mirror.save([patched], fetchedAt: now)
        #expect(try mirror.contact(id: "c1") == patched, "a decoded copy never outlives a save")
        let whatsApp = try VentiaJSON.decode(
            Interaction.self,
            from: Data(#"{"_id":"i2","type":"official_whatsapp","content":{"direction":"inbound","type":"text","text":{"body":"hola"},"id":"wamid.1"},"createdAt":"2026-11-20T11:00:00.000Z"}"#.utf8))
        let reminder = try VentiaJSON.decode(
            Interaction.self, from: Data(#"{"_id":"i3","type":"reminder","content":{"reminderDate":"2026-11-21T09:00:00.000Z"},"createdAt":"2026-11-20T09:00:00.000Z"}"#.utf8))
        let timeline = [whatsApp, try note("i1", "llamar mañana", at: "2026-11-20T10:30:00.000Z"), reminder]
        try mirror.save(timeline: timeline, of: "c1", fetchedAt: now)
        #expect(try mirror.timeline(of: "c1") == timeline)
    }

    @Test func theListOrderIsNewestUpdateFirstAndARefreshKnowsWhatItHas() throws {
        let mirror = try ContactMirror.temporary()
        let older = try contact("a", "Ana", "Uno", updatedAt: "2026-11-01T00:00:00.000Z")
        let newer = try contact("b", "Bea", "Dos", updatedAt: "2026-11-02T00:00:00.000Z")
        #expect(try mirror.save([newer, older], fetchedAt: now) == 0)
        #expect(try mirror.contacts(offset: 0, limit: 10).map(\.id) == ["b", "a"])
        #expect(try mirror.contacts(offset: 1, limit: 10).map(\.id) == ["a"])
        let moved = try contact("a", "Ana", "Uno", updatedAt: "2026-11-03T00:00:00.000Z", version: 1)
        #expect(try mirror.save([moved, newer], fetchedAt: now) == 1, "the unchanged contact is known, the moved one is not")
        #expect(try mirror.contacts(offset: 0, limit: 10).map(\.id) == ["a", "b"])
        #expect(try mirror.contactCount() == 2)
    }

    @Test func searchFindsPhonesInAnyFormatNamesWithoutAccentsEmailsAndNotes() throws {
        let mirror = try ContactMirror.temporary()
        try mirror.save(
            [
                try contact("1", "Florencia", "Castro", phones: ["+59899346003"], emails: ["florencia.castro@outlook.com"]),
                try contact("2", "José", "Núñez", phones: ["+59893139306"]),
                try contact("3", "Joselo", "Pérez", emails: ["jp@vera.com.uy"]),
            ], fetchedAt: now)
        try mirror.save(timeline: [try note("n1", "Interesado en apartamento en Pocitos", at: "2026-11-20T10:30:00.000Z")], of: "3", fetchedAt: now)
        func ids(_ typed: String) throws -> [String] { try mirror.search(typed, limit: 50).contacts.map(\.id).sorted() }
        #expect(try ids("099 346 003") == ["1"])
        #expect(try ids("+598 99 346 003") == ["1"])
        #expect(try ids("346003") == ["1"])
        #expect(try ids("(093) 139-306") == ["2"])
        #expect(try ids("nunez") == ["2"])
        #expect(try ids("JOSE") == ["2", "3"], "a prefix: José and Joselo")
        #expect(try ids("jose nu") == ["2"], "every word must match")
        #expect(try ids("florencia.cas") == ["1"])
        #expect(try ids("outlook") == ["1"])
        #expect(try ids("pocitos") == ["3"], "note text is searched")
        #expect(try ids("zzz") == [])
        #expect(try ids("\"") == [], "text FTS5 cannot read finds nothing")
        #expect(try ids("-- ( ") == [])
    }

    @Test func aBroadSearchListsItsNewestMatchesAndANarrowOneIsRanked() throws {
        let mirror = try ContactMirror.temporary()
        let base = Date(timeIntervalSince1970: 1_790_000_000)
        let many = try (0..<2100).map { index in
            try contact(String(format: "%024x", index), "Ana", "Número \(index)", updatedAt: VentiaDate.format(base.addingTimeInterval(Double(index))))
        }
        try mirror.save(many.shuffled(), fetchedAt: now)
        let broad = try mirror.search("ana", limit: 5)
        #expect(broad.isBroad && broad.matched == 2001)
        #expect(broad.contacts.map(\.lastName) == (2095...2099).reversed().map { "Número \($0)" }, "newest first")
        let narrow = try mirror.search("ana número 2099", limit: 5)
        #expect(!narrow.isBroad && narrow.contacts.first?.lastName == "Número 2099")
    }

    @Test func aFileIsPrivateNamedWithoutTheKeyAndReopened() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mirror-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = "SECRET0-KEY0000-NEVER00-DISK0001"
        let location = MirrorLocation(baseURL: URL(string: "https://api.example.com/api/v1.0")!, apiKey: key, environment: ["XDG_CACHE_HOME": folder.path])
        #expect(location.file.deletingLastPathComponent().path == folder.appendingPathComponent("ventia").path)
        #expect(!location.file.lastPathComponent.contains("SECRET"))
        guard case .opened(let mirror, nil) = ContactMirror.open(location) else { Issue.record("not opened"); return }
        try mirror.save([try contact("1", "Ana", "Uno")], fetchedAt: now)
        try mirror.setCaughtUp(at: now)
        let mode = try FileManager.default.attributesOfItem(atPath: location.file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        guard case .opened(let again, nil) = ContactMirror.open(location) else { Issue.record("not reopened"); return }
        #expect(try again.contactCount() == 1)
        #expect(try again.caughtUpAt() == now)
        let other = MirrorLocation(baseURL: URL(string: "https://api.example.com/api/v1.0")!, apiKey: key + "2", environment: ["XDG_CACHE_HOME": folder.path])
        #expect(other.file != location.file)
    }

    @Test(arguments: ["garbage", "foreign", "newer"])
    func anUnreadableMirrorIsMovedAsideAndANewOneBuilt(kind: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mirror-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = MirrorLocation(file: folder.appendingPathComponent("m.sqlite"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        switch kind {
        case "garbage": try Data(repeating: 0x41, count: 8192).write(to: location.file)
        case "foreign":
            let queue = try DatabaseQueue(path: location.file.path)
            try queue.write { db in try db.execute(sql: "CREATE TABLE t (x); INSERT INTO t VALUES (1)") }
        default:
            guard case .opened = ContactMirror.open(location) else { Issue.record("not opened"); return }
            let queue = try DatabaseQueue(path: location.file.path)
            try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('mirror-v99')") }
        }
        let before = try Data(contentsOf: location.file)
        guard case .opened(let mirror, let notice?) = ContactMirror.open(location) else { Issue.record("no notice"); return }
        #expect(notice.contains("moved to m.sqlite.broken-"))
        #expect(try mirror.contactCount() == 0)
        let aside = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("m.sqlite.broken-") }
        #expect(aside.count == 1)
        #expect(try Data(contentsOf: folder.appendingPathComponent(aside[0])) == before, "moved, never changed or deleted")
    }

    @Test func aCacheFolderThatCannotBeWrittenLeavesNoMirrorAndSaysWhy() throws {
        // A file where the folder should be fails for root too, as a read-only folder fails for others.
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("mirror-\(UUID().uuidString)")
        try Data("x".utf8).write(to: blocker)
        defer { try? FileManager.default.removeItem(at: blocker) }
        guard case .unavailable(let reason) = ContactMirror.open(MirrorLocation(file: blocker.appendingPathComponent("ventia/m.sqlite"))) else {
            Issue.record("opened")
            return
        }
        #expect(reason.contains(blocker.path))
    }

    /// A mirror written before saved views existed gets their columns from the contacts it holds.
    @Test func anOlderMirrorFillsTheViewColumnsFromItsContacts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mirror-v4-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("m.sqlite")
        let queue = try DatabaseQueue(path: file.path)
        try MirrorSchema.migrator().migrate(queue, upTo: "mirror-v4-read-state")
        let kept = try contact("c1", "Ana", "Paz")
        try queue.write { db in
            try db.execute(
                sql: "INSERT INTO contact (id, updatedAt, version, body, fetchedAt) VALUES (?, ?, ?, ?, ?)",
                arguments: ["c1", 1.0, 0, try VentiaJSON.encoder().encode(kept), 1.0])
        }
        try queue.close()
        guard case .opened(let mirror, nil) = ContactMirror.open(MirrorLocation(file: file)) else { Issue.record("not opened"); return }
        var query = ContactQuery()
        query.statuses = ["new"]
        query.agents = ["u1"]
        #expect(try mirror.contacts(matching: query, limit: 10).contacts.map(\.id) == ["c1"])
        query.agents = ["u2"]
        #expect(try mirror.counts([query]) == [0])
    }

    /// The sync's rules, as the app's list and the commands both follow them.
    @Test func aRefreshStopsAtWhatItHasAndTheBackfillAtAShortPage() {
        let first = MirrorSyncStep.refreshPage(0, fetched: 100, changed: 100, pageSize: 100, hadContacts: false, pageLimit: 20)
        #expect(first.caughtUp && first.backfill == BackfillState(nextPage: 1, complete: false), "a first sync takes one page, the backfill the rest")
        let changedOnly = MirrorSyncStep.refreshPage(0, fetched: 100, changed: 100, pageSize: 100, hadContacts: true, pageLimit: 20)
        #expect(!changedOnly.caughtUp && changedOnly.backfill == nil, "a page of nothing but changes: on to the next")
        #expect(MirrorSyncStep.refreshPage(1, fetched: 100, changed: 50, pageSize: 100, hadContacts: true, pageLimit: 20).caughtUp)
        #expect(MirrorSyncStep.refreshPage(19, fetched: 100, changed: 100, pageSize: 100, hadContacts: true, pageLimit: 20).caughtUp, "at the page limit")
        let short = MirrorSyncStep.refreshPage(3, fetched: 40, changed: 40, pageSize: 100, hadContacts: true, pageLimit: 20)
        #expect(short.caughtUp && short.backfill == BackfillState(nextPage: 4, complete: true), "the list ended: nothing older to fetch")
        #expect(MirrorSyncStep.backfillPage(BackfillState(nextPage: 4, complete: false), fetched: 100, pageSize: 100) == BackfillState(nextPage: 5, complete: false))
        #expect(MirrorSyncStep.backfillPage(BackfillState(nextPage: 5, complete: false), fetched: 7, pageSize: 100).complete)
    }
}
