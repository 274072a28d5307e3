import Foundation
import Testing
import VentiaAPI
@testable import VentiaServer

/// `ventia-server --reference-shapes`: each answer's fields are exactly those of the reference's
/// sample for its endpoint.
@Suite struct ReferenceShapeTests {
    /// Each endpoint's sample answer in the reference (the fixtures are copied from it).
    static let samples: [(fixture: String, endpoint: Endpoint)] = [
        ("contact-list", .listContacts), ("contact-get", .getContact), ("contact-create", .createContact),
        ("contact-modify", .replaceContact), ("interactions-list", .listInteractions), ("notes-list", .listNotes),
        ("note-create", .createNote), ("archive", .archiveContact), ("transfer", .transferContact), ("reminder", .createReminder),
        ("lead-create", .createLead), ("leadentry-create", .createLeadEntry), ("users-list", .listUsers), ("user-create", .createUser),
        ("user-get", .getUser), ("user-patch", .updateUser), ("user-put", .replaceUser), ("groups-list", .listGroups),
        ("sales-list", .listSales), ("sale-create", .createSale), ("sale-get", .getSale), ("sale-patch", .updateSale),
        ("sale-upsert", .upsertSale), ("whatsapp-send", .sendWhatsAppMessage), ("webhooks-list", .listWebhooks),
        ("webhook-create", .createWebhook), ("webhook-get", .getWebhook), ("webhook-update", .updateWebhook),
    ]

    /// The field paths of a sample: objects are walked, a list by its first item; an interaction's
    /// `content` and a lead entry's `additionalData` depend on their kind and stop the walk.
    static func paths(of value: JSONValue, at prefix: String = "") -> Set<String> {
        switch value {
        case .object(let fields) where !fields.isEmpty && !["content", "additionalData"].contains(prefix.split(separator: ".").last.map(String.init) ?? ""):
            return fields.reduce(into: Set<String>()) { paths, field in paths.formUnion(Self.paths(of: field.value, at: prefix.isEmpty ? field.key : "\(prefix).\(field.key)")) }
        case .array(let items):
            guard case .object(let fields)? = items.first, !fields.isEmpty else { return [prefix] }
            return Self.paths(of: .object(fields), at: prefix + "[]")
        default: return [prefix]
        }
    }

    static func paths(of shape: ReferenceShape, at prefix: String = "") -> Set<String> {
        switch shape {
        case .whole: return [prefix]
        case .fields(let fields):
            return fields.reduce(into: Set<String>()) { paths, field in paths.formUnion(Self.paths(of: field.value, at: prefix.isEmpty ? field.key : "\(prefix).\(field.key)")) }
        case .each(let item): return Self.paths(of: item, at: prefix + "[]")
        }
    }

    @Test func everyEndpointsShapeIsItsSamplesFields() throws {
        #expect(Set(Self.samples.map(\.endpoint)).count == Endpoint.allCases.count, "one sample per endpoint")
        for (name, endpoint) in Self.samples {
            let sample = try VentiaJSON.decode(JSONValue.self, from: try fixture(name))
            let expected = Self.paths(of: sample)
            let shaped = Self.paths(of: ReferenceShape.answer(of: endpoint))
            #expect(shaped == expected, "\(name): more \(shaped.subtracting(expected).sorted()), missing \(expected.subtracting(shaped).sorted())")
        }
    }

    /// The server's own answers, cut: no field the sample lacks, and no rate headers.
    @Test func theServerAnswersWithTheSamplesFieldsOnly() throws {
        var configuration = ServerConfiguration(seed: 7, contactCount: 30, saleCount: 10, clock: ManualClock())
        configuration.answersInReferenceShapes = true
        let service = try VentiaLocalServer.makeService(configuration).0
        let contact = try #require(raw(service, "GET", "/contact?limit=1").body.arrayValue?.first?["_id"]?.stringValue)
        let reads: [(String, Endpoint)] = [
            ("/contact", .listContacts), ("/contact/\(contact)", .getContact), ("/contact/\(contact)/interactions", .listInteractions),
            ("/user", .listUsers), ("/group", .listGroups), ("/sale", .listSales), ("/webhook", .listWebhooks),
        ]
        for (path, endpoint) in reads {
            let answer = raw(service, "GET", path)
            #expect(answer.status == 200, "\(path)")
            #expect(answer.headers.keys.allSatisfy { !$0.lowercased().hasPrefix("x-ratelimit") }, "\(path): the reference documents no rate headers")
            let fields = Self.paths(of: answer.body)
            let allowed = Self.paths(of: ReferenceShape.answer(of: endpoint))
            // A field the sample shows as an empty list or a kind-dependent object is kept whole.
            let extra = fields.filter { field in !allowed.contains { field == $0 || field.hasPrefix($0 + ".") || field.hasPrefix($0 + "[]") } }
            #expect(extra.isEmpty, "\(path): \(extra.sorted())")
            #expect(fields.count >= allowed.count / 2, "\(path): the answer kept too little: \(fields.sorted())")
        }
        // "Get one contact" shows no reminder and no channels.
        let one = raw(service, "GET", "/contact/\(contact)").body
        #expect(one["reminder"] == nil && one["channels"] == nil && one["firstName"] != nil)
    }
}
