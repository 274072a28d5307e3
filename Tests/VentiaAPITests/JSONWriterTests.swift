import Foundation
import Testing
import VentiaAPI
@testable import VentiaServer

/// The server's own JSON writer must write what the API's coder writes, byte for byte.
@Suite struct JSONWriterTests {
    @Test func writesWhatTheAPIsCoderWritesOnRandomValues() throws {
        var random = SeededGenerator(seed: 42)
        let strings = [
            "", "plain", "a/b", "quote \" and \\ backslash", "línea\nnueva\ttab\r\u{8}\u{C}", "\u{1}\u{1F}\u{7F}", "王小明 😀", "\u{2028}\u{2029}",
            "e\u{301}", "é", "Zoë", "_id", "__v", "phone_work", "phoneWork", "a10", "a9", "A", "status_lock", "status",
        ]
        let numbers: [Double] = [0, -0.0, 1, -1, 42, 0.1, -34.9011, 1e15, 1e15 - 1, 1e16, 1e20, 1e-7, 123456.789, 3.0000000000000004, 2.5e-300]
        func value(depth: Int) -> JSONValue {
            switch Int.random(in: 0...(depth > 2 ? 3 : 5), using: &random) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &random))
            case 2: return .number(random.pick(numbers))
            case 3: return .string(random.pick(strings))
            case 4: return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in value(depth: depth + 1) })
            default:
                var members: [String: JSONValue] = [:]
                for _ in 0..<Int.random(in: 0...6, using: &random) { members[random.pick(strings)] = value(depth: depth + 1) }
                return .object(members)
            }
        }
        for round in 0..<2000 {
            let sample = value(depth: 0)
            let expected = try VentiaJSON.encoder().encode(sample)
            let written = try #require(JSONWriter.data(sample))
            let at = zip(written, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(written.count, expected.count)
            #expect(
                written == expected,
                "round \(round), byte \(at): …\(String(decoding: written.dropFirst(max(0, at - 30)).prefix(60), as: UTF8.self).debugDescription) ≠ …\(String(decoding: expected.dropFirst(max(0, at - 30)).prefix(60), as: UTF8.self).debugDescription)")
            if written != expected { break }
        }
    }

    /// The contact list writes its text directly; it must be what encoding the list shape writes.
    @Test func theContactListsOwnWriterMatchesTheListShape() throws {
        let service = try makeService(contacts: 300)
        let mismatches = try service.store.read { state throws(APIFailure) in
            let account = state.catalog.accounts[0]
            return try state.contactPage(of: account, page: 0, size: 100).count == 100
                ? (0..<3).flatMap { page in
                    (try? state.contactPage(of: account, page: page, size: 100))?.filter { contact in
                        let written = state.listWriter(for: [contact], account: account).page([contact])
                        return written != JSONWriter.bytes(.array([state.listJSON(contact, account: account)]))
                    }.map(\.id) ?? ["page \(page) failed"]
                } : ["the first page is short"]
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")
    }

    @Test func aNumberJSONCannotHoldIsRefused() {
        #expect(JSONWriter.data(["x": .number(.nan)]) == nil)
        #expect(JSONWriter.data(.array([.number(.infinity)])) == nil)
    }
}
