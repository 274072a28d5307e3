import Foundation
import Testing
import VentiaAPI
@testable import VentiaServer

/// The list order kept in memory is the one the database's index gives, after seeding and after
/// writes that move contacts, and a page is its slice.
@Suite struct ContactOrderTests {
    @Test func theKeptOrderIsTheIndexOrder() throws {
        let service = try makeService(contacts: 400)
        let store = service.store
        func check(_ when: String) throws {
            for account in store.catalog.accounts {
                let fromIndex = try store.writer.read { db in try StoreDatabase.orderKeys(of: account, db) }.reversed().map(\.id)
                var kept: [String] = []
                for page in 0..<10 { kept += store.order.page(account: account.id, index: page, size: 50) }
                #expect(kept == Array(fromIndex), "\(when): the kept order of \(account.name) is not the index's")
            }
        }
        try check("after seeding")
        let ids = try #require(raw(service, "GET", "/contact?limit=100&page=2").body.arrayValue).compactMap { $0["_id"]?.stringValue }
        for (index, id) in ids.prefix(20).enumerated() where index % 3 == 0 {
            #expect(raw(service, "POST", "/contact/\(id)/note", json: #"{"body":"moved"}"#).status == 200)
        }
        try check("after notes moved contacts to the top")
        #expect(store.order.page(account: store.catalog.accounts[0].id, index: 1_000_000, size: 100).isEmpty)
    }
}

/// Lead-matching keys reach the database sorted as its index sorts them: by their bytes, then by
/// the contact's 12-byte id; each key once per contact.
@Suite struct SeedKeyOrderTests {
    @Test func keysAreSortedByTheirBytesThenTheirContact() {
        var random = SeededGenerator(seed: 5)
        let pieces = ["p:598", "p:5989", "e:zoë@", "e:ana@", "e:Ana@", "p:", "e:maria.gonzalez.rodriguez@", "e:maria.gonzalez.rodrigues@"]
        var keys = SeedMatchKeys()
        var entries: [(key: String, high: UInt64, low: UInt32)] = []
        for _ in 0..<2000 {
            let key = random.pick(pieces) + random.digits(Int.random(in: 0...12, using: &random))
            let (high, low) = (UInt64.random(in: 0...3, using: &random) << 60, UInt32.random(in: 0...3, using: &random))
            keys.add(key: key, high: high, low: low)
            entries.append((key, high, low))
        }
        func line(_ key: String, _ high: UInt64, _ low: UInt32) -> String { "\(key) \(high) \(low)" }
        let expected = entries.sorted { a, b in
            if a.key != b.key { return a.key.utf8.lexicographicallyPrecedes(b.key.utf8) }
            return (a.high, a.low) < (b.high, b.low)
        }.map { line($0.key, $0.high, $0.low) }.reduce(into: [String]()) { kept, line in if kept.last != line { kept.append(line) } }
        let sorted = keys.sorted().map { line(String(decoding: keys.key(of: $0), as: UTF8.self), $0.high, $0.low) }
        #expect(sorted == expected)
        #expect(sorted.count < entries.count)
    }
}
